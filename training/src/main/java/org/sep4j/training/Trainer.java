package org.sep4j.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sep4j.core.progress.ProgressBar;
import org.sep4j.core.track.Tracker;
import org.sep4j.models.nn.Graph;
import org.sep4j.training.optim.LrSchedule;
import org.sep4j.training.optim.Optimizer;

/**
 * The training loop: for each step, the batch the data function gives for that step, gradients
 * of the graph's loss, global-norm clipping, one optimiser update at the scheduled learning rate,
 * metrics to the tracker, a checkpoint every N steps (and at the end) in {@code <dir>/last}.
 * A run whose {@code last} checkpoint exists resumes after it: because batches are a function of
 * the step, the resumed run follows the same trajectory as an uninterrupted one.
 * A loss or gradient that is NaN or infinite stops the run with the step and parameter named.
 */
public final class Trainer {

    /**
     * @param steps           total optimiser steps
     * @param clipNorm        global gradient norm limit (≤ 0: none)
     * @param logEvery        steps between tracker rows
     * @param checkpointEvery steps between checkpoints
     */
    public record Settings(long steps, double clipNorm, int logEvery, int checkpointEvery) {
        public Settings {
            if (steps < 1 || logEvery < 1 || checkpointEvery < 1) {
                throw new IllegalArgumentException("steps, log_every and checkpoint_every must be at least 1");
            }
        }
    }

    /** Thrown when training diverges; the message says where. */
    public static final class DivergedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DivergedException(String message) {
            super(message);
        }
    }

    private final Graph graph;
    private final String loss;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final Settings settings;
    private final Tracker tracker;
    private final Path checkpoints;

    public Trainer(Graph graph, String loss, Optimizer optimizer, LrSchedule schedule, Settings settings, Tracker tracker,
            Path checkpoints) {
        this.graph = graph;
        this.loss = loss;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.settings = settings;
        this.tracker = tracker;
        this.checkpoints = checkpoints;
    }

    /**
     * Trains until {@code settings.steps}.
     *
     * @param batches step → placeholder values (a function of the step, so resuming is exact)
     * @return the last step's loss
     */
    public double fit(LongFunction<Map<String, INDArray>> batches) throws IOException {
        long start = 0;
        Path last = checkpoints.resolve("last");
        if (Files.isRegularFile(last.resolve("state.json"))) {
            start = Checkpoint.load(last, graph, optimizer);
        }
        List<String> trainable = new ArrayList<>();
        for (String n : graph.paramNames()) {
            if (optimizer.group(n) != null) {
                trainable.add(n);
            }
        }
        double value = Double.NaN;
        try (ProgressBar bar = ProgressBar.start("train", settings.steps() - start, "steps")) {
            for (long step = start; step < settings.steps(); step++) {
                Map<String, INDArray> batch = batches.apply(step);
                Map<String, INDArray> grads = graph.gradients(batch, trainable);
                List<String> wanted = new ArrayList<>(List.of(loss));
                graph.bufferUpdates().forEach(u -> wanted.add(u.output()));
                Map<String, INDArray> outs = graph.output(batch, wanted.toArray(new String[0]));
                value = outs.get(loss).getDouble(0);
                check(step, value, grads);
                double norm = settings.clipNorm() > 0 ? Optimizer.clipGlobalNorm(grads, settings.clipNorm()) : Double.NaN;
                double lr = schedule.at(step);
                Map<String, INDArray> params = new LinkedHashMap<>();
                for (String n : trainable) {
                    params.put(n, graph.params().get(n).getArr());
                }
                optimizer.step(params, grads, lr);
                graph.applyBufferUpdates(outs); // running statistics follow the batch they were computed on
                long done = step + 1;
                if (done % settings.logEvery() == 0 || done == settings.steps()) {
                    Map<String, Double> m = new LinkedHashMap<>();
                    m.put("train/loss", value);
                    m.put("train/lr", lr);
                    if (!Double.isNaN(norm)) {
                        m.put("train/grad_norm", norm);
                    }
                    tracker.log(done, m);
                }
                if (done % settings.checkpointEvery() == 0 || done == settings.steps()) {
                    Checkpoint.save(last, graph, optimizer, done, Map.of("loss", value));
                }
                bar.step();
            }
        }
        return value;
    }

    private void check(long step, double value, Map<String, INDArray> grads) {
        if (!Double.isFinite(value)) {
            throw new DivergedException("loss is " + value + " at step " + step + " (lower the learning rate, check "
                    + "the batch for NaN/Inf inputs, or clip gradients)");
        }
        for (Map.Entry<String, INDArray> e : grads.entrySet()) {
            double s = e.getValue().sumNumber().doubleValue();
            if (!Double.isFinite(s)) {
                throw new DivergedException("the gradient of '" + e.getKey() + "' is not finite at step " + step);
            }
        }
    }
}

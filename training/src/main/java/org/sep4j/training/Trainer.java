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
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.sep4j.core.progress.ProgressBar;
import org.sep4j.core.track.Tracker;
import org.sep4j.models.nn.Graph;
import org.sep4j.training.optim.LrSchedule;
import org.sep4j.training.optim.Optimizer;

/**
 * The training loop: for each step, the batch the data function gives for that step, gradients
 * of the graph's loss, global-norm clipping, one optimiser update at the scheduled learning rate,
 * metrics to the tracker, a checkpoint every N steps (and at the end) in {@code <dir>/last}.
 * With a validator, every {@code validateEvery} steps the validation metrics are logged under
 * {@code val/}; the monitored one keeps {@code <dir>/best} and stops the run after
 * {@code patience} validations without improvement.
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
     * @param validateEvery   steps between validations (0: none)
     * @param monitor         the validation metric that picks the best checkpoint
     * @param maximize        whether larger monitored values are better
     * @param patience        validations without improvement before stopping early (0: never)
     * @param stepsPerEpoch   steps per pass over the data, for the {@code epoch} column (0: not logged)
     */
    public record Settings(long steps, double clipNorm, int logEvery, int checkpointEvery, int validateEvery, String monitor,
            boolean maximize, int patience, long stepsPerEpoch) {
        public Settings {
            if (steps < 1 || logEvery < 1 || checkpointEvery < 1) {
                throw new IllegalArgumentException("steps, log_every and checkpoint_every must be at least 1");
            }
            if (validateEvery < 0 || patience < 0 || stepsPerEpoch < 0) {
                throw new IllegalArgumentException("validate_every, patience and steps_per_epoch cannot be negative");
            }
        }

        public Settings(long steps, double clipNorm, int logEvery, int checkpointEvery) {
            this(steps, clipNorm, logEvery, checkpointEvery, 0, "loss", false, 0, 0);
        }

        /** The same settings, validating every {@code every} steps and keeping the best by {@code monitor}. */
        public Settings validating(int every, String metric, boolean larger, int wait) {
            return new Settings(steps, clipNorm, logEvery, checkpointEvery, every, metric, larger, wait, stepsPerEpoch);
        }

        public Settings epochsOf(long stepsEachEpoch) {
            return new Settings(steps, clipNorm, logEvery, checkpointEvery, validateEvery, monitor, maximize, patience,
                    stepsEachEpoch);
        }
    }

    /** Scores the model at a step (e.g. loss and SI-SDR on a held-out set); names without the {@code val/} prefix. */
    @FunctionalInterface
    public interface Validator {
        Map<String, Double> validate(long step) throws IOException;
    }

    /** How a fit ended. */
    public record Result(long steps, double lastLoss, double best, long bestStep, boolean stoppedEarly) {
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
    private Ema teacher;

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

    /** An EMA teacher to update after every step and to keep in the checkpoints (null: none). */
    public Trainer teacher(Ema ema) {
        this.teacher = ema;
        return this;
    }

    /** Trains without validation; returns the last step's loss. */
    public double fit(LongFunction<Map<String, INDArray>> batches) throws IOException {
        return fit(batches, null).lastLoss();
    }

    /**
     * Trains until {@code settings.steps} or an early stop.
     *
     * @param batches   step → placeholder values (a function of the step, so resuming is exact)
     * @param validator scores the current weights (null: no validation)
     */
    public Result fit(LongFunction<Map<String, INDArray>> batches, Validator validator) throws IOException {
        long start = 0;
        Path last = checkpoints.resolve("last");
        double best = Double.NaN;
        long bestStep = -1;
        int bad = 0;
        if (Files.isRegularFile(last.resolve("state.json"))) {
            start = Checkpoint.load(last, graph, optimizer);
            if (teacher != null) {
                teacher.restore(last, Checkpoint.extra(last, Ema.FILE));
            }
            Map<String, Object> meta = Checkpoint.meta(last);
            if (meta.get("best") instanceof Number b) {
                best = b.doubleValue();
                bestStep = ((Number) meta.get("best_step")).longValue();
                bad = ((Number) meta.get("bad_validations")).intValue();
            }
            if (Boolean.TRUE.equals(meta.get("stopped_early"))) {
                return new Result(start, ((Number) meta.get("loss")).doubleValue(), best, bestStep, true);
            }
        }
        List<String> trainable = new ArrayList<>();
        for (String n : graph.paramNames()) {
            if (optimizer.group(n) != null) {
                trainable.add(n);
            }
        }
        List<String> wanted = new ArrayList<>(List.of(loss));
        graph.bufferUpdates().forEach(u -> wanted.add(u.output()));
        double value = Double.NaN;
        boolean stopped = false;
        try (ProgressBar bar = ProgressBar.start("train", settings.steps() - start, "steps")) {
            for (long step = start; step < settings.steps() && !stopped; step++) {
                Map<String, INDArray> batch = batches.apply(step);
                OutAndGrad og = graph.gradientsAndOutputs(batch, wanted, trainable);
                Map<String, INDArray> grads = og.getGradients();
                Map<String, INDArray> outs = og.getOutputs();
                value = outs.get(loss).getDouble(0);
                double norm = Optimizer.globalNorm(grads);
                check(step, value, norm, grads);
                bar.status(String.format(java.util.Locale.ROOT, "loss %.4g", value));
                if (settings.clipNorm() > 0) {
                    Optimizer.clipGlobalNorm(grads, settings.clipNorm());
                } else {
                    norm = Double.NaN;
                }
                double lr = schedule.at(step);
                Map<String, INDArray> params = new LinkedHashMap<>();
                for (String n : trainable) {
                    params.put(n, graph.params().get(n).getArr());
                }
                optimizer.step(params, grads, lr);
                if (teacher != null) {
                    teacher.update(step);
                }
                graph.applyBufferUpdates(outs); // running statistics follow the batch they were computed on
                if (!graph.usesPlans()) {
                    // SameDiff's step arrays live in native memory that is freed only when their Java handles
                    // are collected; the handles are tiny, so without this the process grows by the size of
                    // every activation each step and pays page faults for fresh memory (measured: 16 s vs
                    // 1.7 s per separator step, resident size levelling at 7 GB instead of growing). A plan
                    // reuses its arrays every step, so there is nothing to collect.
                    grads = null;
                    outs = null;
                    og = null;
                    graph.release();
                    System.gc();
                }
                long done = step + 1;
                Map<String, Double> m = new LinkedHashMap<>();
                if (done % settings.logEvery() == 0 || done == settings.steps()) {
                    m.put("train/loss", value);
                    m.put("train/lr", lr);
                    if (!Double.isNaN(norm)) {
                        m.put("train/grad_norm", norm);
                    }
                    memory(m);
                    if (settings.stepsPerEpoch() > 0) {
                        m.put("epoch", (double) done / settings.stepsPerEpoch());
                    }
                }
                boolean improved = false;
                if (validator != null && settings.validateEvery() > 0
                        && (done % settings.validateEvery() == 0 || done == settings.steps())) {
                    Map<String, Double> val = validator.validate(done);
                    val.forEach((k, v) -> m.put("val/" + k, v));
                    Double score = val.get(settings.monitor());
                    if (score == null) {
                        throw new IllegalArgumentException("trainer.monitor: the validator reports " + val.keySet()
                                + ", not '" + settings.monitor() + "'");
                    }
                    improved = Double.isNaN(best) || (settings.maximize() ? score > best : score < best);
                    if (improved) {
                        best = score;
                        bestStep = done;
                        bad = 0;
                    } else {
                        bad++;
                        stopped = settings.patience() > 0 && bad >= settings.patience();
                    }
                }
                if (!m.isEmpty()) {
                    tracker.log(done, m);
                }
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("loss", value);
                if (!Double.isNaN(best)) {
                    meta.put("best", best);
                    meta.put("best_step", bestStep);
                    meta.put("bad_validations", bad);
                    meta.put("monitor", settings.monitor());
                }
                meta.put("stopped_early", stopped);
                boolean saveLast = stopped || done % settings.checkpointEvery() == 0 || done == settings.steps();
                Map<String, Map<String, org.sep4j.core.tensor.TensorData>> extras = teacher != null && (improved || saveLast)
                        ? Map.of(Ema.FILE, teacher.tensors()) : Map.of();
                if (improved) {
                    Checkpoint.save(checkpoints.resolve("best"), graph, optimizer, done, meta, extras);
                }
                if (saveLast) {
                    Checkpoint.save(last, graph, optimizer, done, meta, extras);
                }
                bar.step();
            }
        }
        graph.release(); // the step's compiled plan and its arrays
        return new Result(settings.steps(), value, best, bestStep, stopped);
    }

    private void check(long step, double value, double norm, Map<String, INDArray> grads) {
        if (!Double.isFinite(value)) {
            throw new DivergedException("loss is " + value + " at step " + step + " (the batch of step " + step
                    + "; lower the learning rate, check the batch for NaN/Inf inputs, or clip gradients)");
        }
        if (Double.isFinite(norm)) {
            return;
        }
        for (Map.Entry<String, INDArray> e : grads.entrySet()) {
            double s = e.getValue().sumNumber().doubleValue();
            if (!Double.isFinite(s)) {
                throw new DivergedException("the gradient of '" + e.getKey() + "' is not finite at step " + step
                        + " (the batch of step " + step + ")");
            }
        }
    }

    /** Memory as W&B's system panel shows it (MiB): resident size, Java heap in use, C heap in use and kept free. */
    static void memory(Map<String, Double> m) {
        double mib = 1 << 20;
        Runtime rt = Runtime.getRuntime();
        org.sep4j.core.track.NativeHeap.residentBytes().ifPresent(b -> m.put("sys/rss_mb", b / mib));
        m.put("sys/heap_mb", (rt.totalMemory() - rt.freeMemory()) / mib);
        org.sep4j.core.track.NativeHeap.inUse().ifPresent(b -> m.put("sys/native_mb", b / mib));
        org.sep4j.core.track.NativeHeap.retained().ifPresent(b -> m.put("sys/native_free_mb", b / mib));
    }
}

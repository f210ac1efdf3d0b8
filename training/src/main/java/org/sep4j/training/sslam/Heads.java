package org.sep4j.training.sslam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.evaluation.metrics.Tagging;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.LayerNorm;
import org.sep4j.models.nn.Linear;
import org.sep4j.models.nn.WeightImport;
import org.sep4j.core.track.Tracker;
import org.sep4j.training.Trainer;
import org.sep4j.training.dcase.TrainSettings;
import org.sep4j.training.loss.Losses;
import org.sep4j.training.optim.Optimizer;

/** What SSLAM's tagging evaluations share: the CLS head, its loss and score, the encoder's starting weights. */
final class Heads {

    static final String PREFIX = "head.";

    private Heads() {
    }

    /** EAT's AudioSet head on the CLS feature: LayerNorm (eps 1e-6) → linear to the classes' logits. */
    static SDVariable tagging(Graph g, SDVariable cls, int dim, int classes) {
        SDVariable normed = new LayerNorm(PREFIX + "norm", dim, 1e-6, true).apply(g, cls);
        return new Linear(PREFIX + "fc", dim, classes).apply(g, normed);
    }

    /** Binary cross-entropy of the logits against the {@code weak} placeholder, the graph's loss {@code loss}. */
    static void bceLoss(Graph g, SDVariable logits, int classes) {
        SDVariable loss = Losses.bceWithLogits(g.sd(), logits, g.input(TaggedClips.LABELS, -1, classes));
        g.sd().setLossVariables(loss);
        g.sd().getVariable(loss.name()).rename("loss");
    }

    /** mAP of logits {@code [N, C]} against multi-hot labels {@code [N, C]}. */
    static double meanAveragePrecision(INDArray labels, INDArray logits) {
        return Tagging.meanAveragePrecision(labels.toFloatMatrix(), logits.toFloatMatrix());
    }

    /** A trainer of the tagging head's graph: the trainer block's steps, clipping and checkpoints, validated by mAP (larger is better). */
    static Trainer trainer(Graph g, Optimizer opt, TrainSettings t, Tracker tracker, Path checkpoints) {
        Trainer.Settings ts = new Trainer.Settings(t.steps(), t.clipNorm(), t.logEvery(), t.checkpointEvery())
                .validating(t.validateEvery() > 0 ? t.validateEvery() : (int) t.steps(), "map", true, t.patience());
        return new Trainer(g, "loss", opt, t.lrSchedule(), ts, tracker, checkpoints);
    }

    /** Step {@code step}'s clips of {@code n}: epochs of {@code batch}-sized slices of a new permutation each (the last partial slice left out). */
    static int[] batch(int n, int batch, long seed, long step) {
        int b = Math.min(batch, n);
        long perEpoch = Math.max(1, n / b);
        int[] order = epochOrder(n, seed, step / perEpoch);
        int from = (int) ((step % perEpoch) * b);
        return java.util.Arrays.copyOfRange(order, from, from + b);
    }

    /** A permutation of {@code 0..n-1} for epoch {@code epoch}, the same for a seed and epoch (so resumed runs see the same order). */
    static int[] epochOrder(int n, long seed, long epoch) {
        return org.sep4j.data.loader.DataLoader.permutation(n, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch));
    }

    /**
     * The encoder's parameters from a checkpoint or safetensors file (a pre-training run's also
     * holds its decoder: left out); the head, when the graph has one, stays as initialised.
     */
    static void startFrom(Graph g, Path weights, String key, Consumer<String> log) throws IOException {
        Path file = Files.isDirectory(weights) ? weights.resolve("weights.safetensors") : weights;
        if (!Files.isRegularFile(file)) {
            throw new IOException(key + ": " + weights + " not found; expected a pre-training run's checkpoints/last "
                    + "(holding weights.safetensors) or a .safetensors file");
        }
        WeightImport.Report r = WeightImport.load(g, Safetensors.read(file).tensors(), n -> n, false);
        List<String> missing = r.missing().stream().filter(n -> !n.startsWith(PREFIX)).toList();
        if (!missing.isEmpty() || !r.mismatched().isEmpty()) {
            throw new IOException(key + ": " + file + " does not fit this encoder (model.sslam): missing " + missing
                    + ", mismatched " + r.mismatched());
        }
        log.accept(key + ": the encoder's " + r.loaded().size() + " tensors from " + file);
    }
}

package org.sep4j.training.sslam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.config.Doc;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.track.Tracker;
import org.sep4j.data.scene.Scene;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.evaluation.metrics.Tagging;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.LayerNorm;
import org.sep4j.models.nn.Linear;
import org.sep4j.models.nn.WeightImport;
import org.sep4j.models.sslam.EatConfig;
import org.sep4j.models.sslam.EatEncoder;
import org.sep4j.training.Trainer;
import org.sep4j.training.dcase.TrainSettings;
import org.sep4j.training.loss.Losses;
import org.sep4j.training.optim.LrSchedule;
import org.sep4j.training.optim.Optimizer;
import org.sep4j.training.optim.ParamGroup;

/**
 * {@code task: sslam_linear}: the linear evaluation of an EAT/SSLAM encoder: the encoder frozen,
 * its CLS token through a LayerNorm and a linear layer to the scenes' target classes, trained with
 * binary cross-entropy on their weak labels and scored by mean average precision (mAP) on the
 * validation scenes. The encoder starts from {@code probe.weights} (a pre-training run's
 * checkpoint, or a safetensors file with fairseq's names), or random: the baseline to read it against.
 */
public final class LinearProbeTask {

    /** The {@code probe} block. */
    public record Settings(
            @Doc("fbank frames per clip (a multiple of 16)") int frames,
            @Doc("encoder weights: a pre-training run's checkpoints/last (or best), or a .safetensors file; null: random")
            Path weights) {
    }

    private static final String WEAK = "weak";
    private static final String LOGITS = "logits";

    private final EatConfig model;
    private final Settings settings;
    private final SceneGenerator data;
    private final TrainSettings trainer;
    private final List<String> classes;

    public LinearProbeTask(EatConfig model, Settings settings, SceneGenerator data, TrainSettings trainer) {
        Clips.check(data, model, settings.frames(), "probe.frames", "sslam linear evaluation");
        this.model = model;
        this.settings = settings;
        this.data = data;
        this.trainer = trainer;
        this.classes = data.targetClasses();
    }

    Graph graph(long seed) {
        Graph g = new Graph(seed);
        EatEncoder enc = new EatEncoder(model, settings.frames());
        SDVariable features = enc.apply(g, enc.input(g, "fbank"));
        SDVariable cls = features.get(SDIndex.all(), SDIndex.point(0), SDIndex.all());
        SDVariable normed = new LayerNorm("head.norm", model.dim(), 1e-6, true).apply(g, cls);
        SDVariable logits = new Linear("head.fc", model.dim(), classes.size()).apply(g, normed);
        g.sd().getVariable(logits.name()).rename(LOGITS);
        SDVariable loss = Losses.bceWithLogits(g.sd(), logits, g.input(WEAK, -1, classes.size()));
        g.sd().setLossVariables(loss);
        g.sd().getVariable(loss.name()).rename("loss");
        return g;
    }

    public long parameterCount(long seed) {
        return graph(seed).parameterCount();
    }

    public Trainer.Result train(Path checkpoints, Tracker tracker, long seed, Consumer<String> log) throws IOException {
        Graph g = graph(seed);
        if (settings.weights() != null) {
            startFrom(g, settings.weights(), log);
        } else {
            log.accept("probe.weights: null, a random encoder (the baseline to read a pre-trained one against)");
        }
        Graph eval = graph(seed);
        Scene[] validation = data.validation(trainer.validationItems());
        INDArray valFbanks = Clips.fbanks(validation, settings.frames());
        float[][] truth = java.util.Arrays.stream(validation).map(s -> s.multiHot(classes)).toArray(float[][]::new);
        Optimizer opt = new Optimizer(Optimizer.Settings.adamw(false), List.of(ParamGroup.prefix("head.", 1.0,
                trainer.weightDecay()))); // only the head: the encoder is frozen
        LrSchedule schedule = trainer.lrSchedule();
        Trainer.Settings ts = new Trainer.Settings(trainer.steps(), trainer.clipNorm(), trainer.logEvery(), trainer.checkpointEvery())
                .validating(trainer.validateEvery() > 0 ? trainer.validateEvery() : (int) trainer.steps(), "map", true,
                        trainer.patience());
        Trainer t = new Trainer(g, "loss", opt, schedule, ts, tracker, checkpoints);
        int b = trainer.batchSize();
        return t.fit(step -> {
            Scene[] scenes = Clips.ofStep(data, step, b);
            float[] weak = new float[b * classes.size()];
            for (int j = 0; j < b; j++) {
                System.arraycopy(scenes[j].multiHot(classes), 0, weak, j * classes.size(), classes.size());
            }
            return Map.of("fbank", Clips.fbanks(scenes, settings.frames()), WEAK,
                    Nd4j.create(weak, new long[] {b, classes.size()}, 'c'));
        }, step -> {
            eval.copyWeightsFrom(g);
            INDArray logits = eval.output(Map.of("fbank", valFbanks), LOGITS).get(LOGITS);
            float[][] scores = new float[truth.length][];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = logits.getRow(i).toFloatVector();
            }
            return Map.of("map", Tagging.meanAveragePrecision(truth, scores));
        });
    }

    /** The encoder's parameters from a checkpoint or safetensors file (a pre-training run also holds its decoder: left out). */
    private static void startFrom(Graph g, Path weights, Consumer<String> log) throws IOException {
        Path file = Files.isDirectory(weights) ? weights.resolve("weights.safetensors") : weights;
        if (!Files.isRegularFile(file)) {
            throw new IOException("probe.weights: " + weights + " not found; expected a pre-training run's checkpoints/last "
                    + "(holding weights.safetensors) or a .safetensors file");
        }
        WeightImport.Report r = WeightImport.load(g, Safetensors.read(file).tensors(), n -> n, false);
        List<String> missing = r.missing().stream().filter(n -> !n.startsWith("head.")).toList();
        if (!missing.isEmpty() || !r.mismatched().isEmpty()) {
            throw new IOException("probe.weights: " + file + " does not fit this encoder (model.sslam): missing " + missing
                    + ", mismatched " + r.mismatched());
        }
        log.accept("probe.weights: the encoder's " + r.loaded().size() + " tensors from " + file);
    }
}

package org.sep4j.training.dcase;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.track.Tracker;
import org.sep4j.data.scene.Scene;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.evaluation.metrics.LabelDecoder;
import org.sep4j.evaluation.metrics.Tagging;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.onnx.M2dEncoder;
import org.sep4j.models.onnx.OrtModel;
import org.sep4j.models.sed.SedConfig;
import org.sep4j.models.sed.SedTagger;
import org.sep4j.training.Trainer;
import org.sep4j.training.loss.Losses;

/**
 * Trains the SED tagger on generated scenes: attention head 0.5·BCE(clip, weak) +
 * 0.5·BCE(strong logits, frame labels); baseline head BCE on the clip logits. Validation reports
 * label accuracy (the DCASE decoding rule) and mAP on a fixed set of scenes.
 */
public final class TaggerTask {

    static final String LOGMEL = "logmel";
    static final String WEAK = "weak_target";
    static final String STRONG = "strong_target";
    static final String CLIP = "clip";
    /** σ of the strong (frame) logits {@code [B, strongFrames, classes]} (attention head only). */
    static final String FRAMES = "frame_probabilities";

    private final SedConfig cfg;
    private final SceneBatches data;
    private final TrainSettings settings;

    public TaggerTask(SedConfig cfg, SceneGenerator gen, TrainSettings settings) {
        this.cfg = cfg;
        this.data = new SceneBatches(gen, cfg, settings.trainItems());
        this.settings = settings;
    }

    public SedTagger model() {
        return new SedTagger(cfg, "", data.classes().size(), data.sedSamples());
    }

    /** The graph with its loss ("loss") and clip probabilities ("clip"). */
    public Graph graph(boolean training, long seed) {
        Graph g = new Graph(seed);
        g.train(training);
        SedTagger sed = model();
        SedTagger.Outputs out = sed.apply(g, sed.input(g, LOGMEL));
        g.sd().identity(CLIP, out.clip());
        if (out.strong() != null) {
            g.sd().identity(FRAMES, g.sd().nn().sigmoid(out.strong()));
        }
        int c = data.classes().size();
        SDVariable weak = g.input(WEAK, -1, c);
        SDVariable loss;
        if (out.strong() != null) {
            SDVariable strong = g.input(STRONG, -1, cfg.strongFrames(), c);
            loss = Losses.bce(g.sd(), out.clip(), weak).mul(0.5).add(Losses.bceWithLogits(g.sd(), out.strong(), strong).mul(0.5));
        } else {
            loss = Losses.bceWithLogits(g.sd(), out.weak(), weak);
        }
        g.sd().identity("loss", loss);
        g.sd().setLossVariables("loss");
        return g;
    }

    /** Placeholders for a set of scenes. */
    Map<String, INDArray> batch(Scene[] scenes) {
        List<String> classes = data.classes();
        Map<String, INDArray> b = new LinkedHashMap<>();
        b.put(LOGMEL, data.logMel(scenes));
        float[][] weak = new float[scenes.length][];
        float[] strong = new float[scenes.length * cfg.strongFrames() * classes.size()];
        for (int i = 0; i < scenes.length; i++) {
            weak[i] = scenes[i].multiHot(classes);
            float[][] s = scenes[i].strong(classes, cfg.strongFrames());
            for (int t = 0; t < s.length; t++) {
                System.arraycopy(s[t], 0, strong, (i * cfg.strongFrames() + t) * classes.size(), classes.size());
            }
        }
        b.put(WEAK, SceneBatches.stack(weak));
        b.put(STRONG, Nd4j.create(strong, new long[] {scenes.length, cfg.strongFrames(), classes.size()}, 'c'));
        return b;
    }

    /** Trains (resuming from {@code checkpoints/last} if present); returns the trainer's result. */
    public Trainer.Result train(Path checkpoints, Tracker tracker, long seed, java.util.function.Consumer<String> log)
            throws IOException {
        Graph g = graph(true, seed);
        Graph eval = graph(false, seed);
        if (cfg.weights() != null) {
            Fitting.startFrom(g, cfg.weights(), "model.sed.weights", "", false, log);
        }
        Scene[] validation = data.validation(settings.validationItems());
        Trainer t = Fitting.trainer(g, settings, tracker, checkpoints, "label_accuracy", true, Fitting.groups(settings, false));
        return t.fit(step -> trainingBatch(step), step -> {
            eval.copyWeightsFrom(g);
            return validate(eval, validation);
        });
    }

    /** The tagger's inputs from one training scene: log-mel {@code [1, mels, frames]}, weak and strong targets. */
    private record Item(float[] logMel, long[] logMelShape, float[] weak, float[] strong) {

        long bytes() {
            return 4L * (logMel.length + weak.length + strong.length);
        }
    }

    /**
     * With a fixed training set the inputs of each scene are kept (up to a quarter of the heap), so
     * later epochs cost no scene generation: a tiny tagger step (~80 ms at batch 8) costs a quarter of
     * drawing its scenes.
     */
    private final org.sep4j.core.cache.ByteBudgetMemo<Long, Item> kept =
            new org.sep4j.core.cache.ByteBudgetMemo<>(Runtime.getRuntime().maxMemory() / 4);

    Map<String, INDArray> trainingBatch(long step) {
        int bs = settings.batchSize();
        if (settings.trainItems() == 0) {
            return batch(data.training(step, bs));
        }
        long[] at = data.indices(step, bs);
        Item[] items = new Item[bs];
        List<Integer> missing = new ArrayList<>();
        for (int j = 0; j < bs; j++) {
            items[j] = kept.get(at[j]);
            if (items[j] == null) {
                missing.add(j);
            }
        }
        if (!missing.isEmpty()) {
            Scene[] drawn = missing.parallelStream().map(j -> data.scene(at[j])).toArray(Scene[]::new);
            Map<String, INDArray> b = batch(drawn);
            for (int m = 0; m < drawn.length; m++) {
                INDArray mel = b.get(LOGMEL).slice(m);
                Item it = new Item(mel.dup().data().asFloat(), mel.shape(), b.get(WEAK).getRow(m).toFloatVector(),
                        b.get(STRONG).slice(m).dup().data().asFloat());
                items[missing.get(m)] = kept.keep(at[missing.get(m)], it, it.bytes());
            }
        }
        float[][] mel = new float[bs][];
        float[][] weak = new float[bs][];
        float[][] strong = new float[bs][];
        for (int j = 0; j < bs; j++) {
            mel[j] = items[j].logMel();
            weak[j] = items[j].weak();
            strong[j] = items[j].strong();
        }
        long[] s = items[0].logMelShape();
        Map<String, INDArray> b = new LinkedHashMap<>();
        b.put(LOGMEL, SceneBatches.stack(mel).reshape('c', bs, s[0], s[1], s[2]));
        b.put(WEAK, SceneBatches.stack(weak));
        b.put(STRONG, SceneBatches.stack(strong).reshape('c', bs, cfg.strongFrames(), data.classes().size()));
        return b;
    }

    /** Label accuracy and mAP of a graph's clip probabilities on scenes. */
    public Map<String, Double> validate(Graph eval, Scene[] scenes) {
        List<String> classes = data.classes();
        List<float[]> probs = probabilities(eval, scenes);
        List<Set<String>> truth = new ArrayList<>();
        float[][] t = new float[scenes.length][];
        for (int i = 0; i < scenes.length; i++) {
            truth.add(new HashSet<>(scenes[i].labels()));
            t[i] = scenes[i].multiHot(classes);
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("label_accuracy", LabelDecoder.dcase(classes).accuracy(probs, truth));
        m.put("mAP", Tagging.meanAveragePrecision(t, probs.toArray(new float[0][])));
        return m;
    }

    /** Clip probabilities per scene, in batches. */
    List<float[]> probabilities(Graph eval, Scene[] scenes) {
        return probabilities(eval, SceneBatches.channel0(scenes));
    }

    /**
     * Frame probabilities {@code [frames][classes]} of channel-0 signals at the scene rate (the
     * strong head's {@code strongFrames} frames over the clip), or null when the head has none.
     */
    public List<float[][]> frameProbabilities(Graph eval, float[][] ch0) {
        if (!hasFrames(eval)) {
            return null;
        }
        return frameProbabilities(ch0, logmel -> eval.output(Map.of(LOGMEL, logmel), FRAMES).get(FRAMES));
    }

    /** The same from this task's graph exported with its {@code frames} output ({@link OrtModel#of}). */
    public List<float[][]> frameProbabilities(OrtModel exported, float[][] ch0) {
        return frameProbabilities(ch0, logmel -> exported.run(Map.of(LOGMEL, logmel)).get(FRAMES));
    }

    private List<float[][]> frameProbabilities(float[][] ch0, java.util.function.UnaryOperator<INDArray> framesOf) {
        List<float[][]> out = new ArrayList<>();
        int bs = settings.batchSize();
        for (int i = 0; i < ch0.length; i += bs) {
            float[][] part = java.util.Arrays.copyOfRange(ch0, i, Math.min(ch0.length, i + bs));
            INDArray p = framesOf.apply(data.logMel(part));
            for (int r = 0; r < part.length; r++) {
                INDArray row = p.slice(r);
                float[][] frames = new float[(int) row.size(0)][];
                for (int t = 0; t < frames.length; t++) {
                    frames[t] = row.getRow(t).toFloatVector();
                }
                out.add(frames);
            }
        }
        return out;
    }

    /**
     * The eval graph exported in memory and opened in ONNX Runtime with its clip (and, when the head
     * has them, frame) probabilities: what {@link #probabilities(OrtModel, float[][])} and
     * {@link #frameProbabilities(OrtModel, float[][])} run.
     */
    public OrtModel exported(Graph eval, java.nio.file.Path origin, OrtModel.Options options) throws java.io.IOException {
        return OrtModel.of(eval, hasFrames(eval) ? List.of(CLIP, FRAMES) : List.of(CLIP), origin, options);
    }

    /** Whether the graph's head gives frame probabilities (the attention head does). */
    public boolean hasFrames(Graph eval) {
        return eval.sd().hasVariable(FRAMES);
    }

    /** Clip probabilities of channel-0 signals at the scene rate, in batches. */
    public List<float[]> probabilities(Graph eval, float[][] ch0) {
        return probabilities(ch0, logmel -> eval.output(Map.of(LOGMEL, logmel), CLIP).get(CLIP));
    }

    /**
     * Clip probabilities from an ONNX tagger: one input taking this task's log-mel
     * {@code [B, 1, mels, frames]} (model.sed front end) and either sep4j's stage-1 contract, an output
     * {@code clip} {@code [B, classes]} of probabilities (the only output may have any name), or the
     * M2D adapter contract ({@link M2dEncoder}: clip {@code logits} beside the token maps, σ applied,
     * the log-mel cut or padded to the export's frames).
     */
    public List<float[]> probabilities(OrtModel onnx, float[][] ch0) {
        if (onnx.inputs().size() != 1) {
            throw new IllegalArgumentException(onnx.file() + ": a stage-1 tagger takes one input (log-mel [B, 1, mels, frames]), "
                    + "this model takes " + onnx.inputs());
        }
        String in = onnx.inputs().get(0).name();
        boolean m2d = onnx.outputs().stream().anyMatch(p -> p.name().equals(M2dEncoder.LOGITS))
                && onnx.outputs().stream().noneMatch(p -> p.name().equals(CLIP));
        String out = m2d ? M2dEncoder.LOGITS : onnx.outputs().size() == 1 ? onnx.outputs().get(0).name() : CLIP;
        if (onnx.outputs().stream().noneMatch(p -> p.name().equals(out))) {
            throw new IllegalArgumentException(onnx.file() + ": a stage-1 tagger outputs '" + CLIP + "' [B, classes] probabilities "
                    + "or M2D's '" + M2dEncoder.LOGITS + "', this model outputs " + onnx.outputs());
        }
        List<float[]> p = m2d ? probabilities(ch0, M2dEncoder.over(onnx, cfg)::clipProbabilities)
                : probabilities(ch0, logmel -> onnx.run(Map.of(in, logmel)).get(out));
        if (!p.isEmpty() && p.get(0).length != data.classes().size()) {
            throw new IllegalArgumentException(onnx.file() + ": " + p.get(0).length + " class probabilities, the task has "
                    + data.classes().size() + " classes " + data.classes());
        }
        return p;
    }

    private List<float[]> probabilities(float[][] ch0, java.util.function.UnaryOperator<INDArray> clipOf) {
        List<float[]> out = new ArrayList<>();
        int bs = settings.batchSize();
        for (int i = 0; i < ch0.length; i += bs) {
            float[][] part = java.util.Arrays.copyOfRange(ch0, i, Math.min(ch0.length, i + bs));
            INDArray p = clipOf.apply(data.logMel(part));
            for (int r = 0; r < part.length; r++) {
                out.add(p.getRow(r).toFloatVector());
            }
        }
        return out;
    }

    SceneBatches data() {
        return data;
    }

    public List<String> classes() {
        return data.classes();
    }

    /** The clip length the tagger takes, in samples at {@link #sampleRate()}. */
    public int samples() {
        return data.samples();
    }

    /** The rate of the signals {@link #probabilities} takes (the scenes'; resampled inside for the SED). */
    public int sampleRate() {
        return data.generator().spec().sampleRate();
    }
}

package org.sep4j.training.dcase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.progress.ProgressBar;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.track.Tracker;
import org.sep4j.data.scene.Scene;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.evaluation.metrics.CaSdri;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.WeightImport;
import org.sep4j.models.sed.SedConfig;
import org.sep4j.models.sed.SedTagger;
import org.sep4j.models.sep.ResUNet;
import org.sep4j.models.sep.SeparatorConfig;
import org.sep4j.training.Trainer;
import org.sep4j.training.loss.Losses;

/**
 * Trains the query-conditioned separator: each training mixture is queried with one of its
 * targets (drawn per item), the loss is −SNR against that target's dry reference. With iterative
 * refinement a step draws n ~ U{1..max} passes; the first n − 1 run without gradients and feed
 * their estimate back (so the feedback is detached), the loss is on the last. Validation reports
 * CA-SDRi with oracle labels on a fixed set of scenes, running {@code max} passes.
 */
public final class SeparatorTask {

    static final String REFERENCE = "reference";

    private final SeparatorConfig cfg;
    private final SedConfig sedCfg;
    private final SceneBatches data;
    private final TrainSettings settings;
    private final ResUNet net;

    public SeparatorTask(SeparatorConfig cfg, SedConfig sedCfg, SceneGenerator gen, TrainSettings settings) {
        if (cfg.sources() != 1) {
            throw new IllegalArgumentException("model.separator.sources: this task trains one source per query (1), found "
                    + cfg.sources());
        }
        this.cfg = cfg;
        this.sedCfg = sedCfg;
        this.data = new SceneBatches(gen, cfg.needsSed() ? sedCfg : null);
        this.settings = settings;
        int c = data.classes().size();
        SedTagger sed = cfg.needsSed() ? new SedTagger(sedCfg, "sed.", c, data.sedSamples()) : null;
        this.net = new ResUNet(cfg, sed, c, data.samples());
    }

    SceneBatches data() {
        return data;
    }

    /** The separator graph with its loss ("loss"); {@code batch} −1 for any batch size. */
    public Graph graph(boolean training, long batch, long seed) {
        Graph g = new Graph(seed);
        g.train(training);
        ResUNet.Built built = net.build(g, batch);
        SDVariable reference = g.input(REFERENCE, batch, 1, data.samples());
        SDVariable loss = Losses.negSnr(g.sd(), built.estimate().reshape(-1, data.samples()), reference.reshape(-1, data.samples()));
        g.sd().identity("loss", loss);
        g.sd().setLossVariables("loss");
        return g;
    }

    /** Placeholders for querying each scene with one of its targets (by index into its targets). */
    Map<String, INDArray> batch(Scene[] scenes, int[] which) {
        float[][][] mix = new float[scenes.length][][];
        String[] labels = new String[scenes.length];
        float[][] ref = new float[scenes.length][];
        for (int i = 0; i < scenes.length; i++) {
            mix[i] = scenes[i].mixture();
            Scene.Event e = scenes[i].targets().get(which[i]);
            labels[i] = e.label();
            ref[i] = e.dry();
        }
        return batch(mix, labels, ref);
    }

    /** Placeholders for mixtures {@code [B][channels][samples]} queried by labels (references optional). */
    Map<String, INDArray> batch(float[][][] mix, String[] labels, float[][] ref) {
        List<String> classes = data.classes();
        int b = mix.length;
        float[][] query = new float[b][classes.size()];
        float[][] ch0 = new float[b][];
        for (int i = 0; i < b; i++) {
            int c = classes.indexOf(labels[i]);
            if (c < 0) {
                throw new IllegalArgumentException("label '" + labels[i] + "' is not one of the model's classes " + classes);
            }
            query[i][c] = 1f;
            ch0[i] = mix[i][0];
        }
        Map<String, INDArray> in = new LinkedHashMap<>(net.analyse(mix));
        in.put(ResUNet.QUERY, SceneBatches.stack(query));
        in.put(ResUNet.ACTIVE, Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, b, 1));
        if (ref != null) {
            in.put(REFERENCE, SceneBatches.stack(ref).reshape(b, 1, data.samples()));
        }
        if (cfg.needsSed()) {
            in.put(ResUNet.LOGMEL, data.logMel(ch0));
        }
        if (cfg.iterations().max() > 1) {
            in.put(ResUNet.FEEDBACK, Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, b, 1, net.frames(), net.bins()));
        }
        return in;
    }

    /** Estimates for mixtures queried by labels (pairwise), with {@code iterations.max} passes. */
    public List<float[]> separate(Graph eval, float[][][] mixtures, String[] labels) {
        return separate(eval, mixtures, labels, cfg.iterations().max(), null);
    }

    /** The same with a chosen number of refinement passes; {@code bar} (may be null) counts the queries done. */
    public List<float[]> separate(Graph eval, float[][][] mixtures, String[] labels, int passes, ProgressBar bar) {
        List<float[]> out = new ArrayList<>();
        int bs = settings.batchSize();
        for (int p = 0; p < mixtures.length; p += bs) {
            int e = Math.min(mixtures.length, p + bs);
            INDArray est = refine(eval, batch(java.util.Arrays.copyOfRange(mixtures, p, e), java.util.Arrays.copyOfRange(labels, p, e),
                    null), passes);
            for (int r = 0; r < e - p; r++) {
                out.add(est.slice(r).reshape(-1).toFloatVector());
            }
            if (bar != null) {
                bar.step(e - p);
            }
        }
        return out;
    }

    public int samples() {
        return data.samples();
    }

    public SeparatorConfig config() {
        return cfg;
    }

    public int sampleRate() {
        return data.generator().spec().sampleRate();
    }

    /** Runs {@code passes} passes, feeding each estimate back; returns the last {@code [B, 1, N]}. */
    INDArray refine(Graph g, Map<String, INDArray> in, int passes) {
        Map<String, INDArray> feed = new LinkedHashMap<>(in);
        INDArray est = null;
        for (int p = 0; p < passes; p++) {
            est = g.output(feed, ResUNet.ESTIMATE).get(ResUNet.ESTIMATE);
            if (feed.containsKey(ResUNet.FEEDBACK)) {
                feed.put(ResUNet.FEEDBACK, net.feedback(est));
            }
        }
        return est;
    }

    /** Trains (resuming from {@code checkpoints/last} if present). */
    public Trainer.Result train(Path checkpoints, Tracker tracker, long seed, java.util.function.Consumer<String> log)
            throws IOException {
        Graph g = graph(true, settings.batchSize(), seed);
        Graph eval = graph(false, -1, seed);
        if (cfg.needsSed() && settings.tagger() != null) {
            initialiseSed(g, settings.tagger(), log);
        }
        Scene[] validation = data.validation(settings.validationItems());
        Trainer t = Fitting.trainer(g, settings, tracker, checkpoints, "ca_sdri", true,
                Fitting.groups(settings, cfg.soundbeam().trainable()));
        int max = cfg.iterations().max();
        return t.fit(step -> {
            Scene[] scenes = data.training(step, settings.batchSize());
            int[] which = new int[scenes.length];
            for (int i = 0; i < scenes.length; i++) {
                which[i] = new SplittableRandom(step * scenes.length + i).nextInt(scenes[i].targets().size());
            }
            Map<String, INDArray> in = batch(scenes, which);
            int passes = 1 + new SplittableRandom(~step).nextInt(max);
            if (passes > 1) { // earlier passes give the feedback, without gradients
                in.put(ResUNet.FEEDBACK, net.feedback(refine(g, in, passes - 1)));
            }
            return in;
        }, step -> {
            eval.copyWeightsFrom(g);
            return validate(eval, validation);
        });
    }

    /** Loads a tagger checkpoint's weights into the separator's SED ({@code sed.} prefix). */
    static void initialiseSed(Graph g, Path tagger, java.util.function.Consumer<String> log) throws IOException {
        Path file = tagger.resolve("weights.safetensors");
        if (!Files.isRegularFile(file)) {
            throw new IOException("trainer.tagger: " + tagger + " is not a checkpoint folder (no weights.safetensors); point it at "
                    + "a tagger run's checkpoints/best");
        }
        WeightImport.Report r = WeightImport.load(g, Safetensors.read(file).tensors(), n -> "sed." + n, false);
        long missing = r.missing().stream().filter(n -> n.startsWith("sed.")).count();
        if (!r.mismatched().isEmpty() || missing > 0) {
            throw new IOException("trainer.tagger: " + tagger + " does not fit model.sed (" + missing + " SED parameters missing, "
                    + "mismatched: " + r.mismatched() + ")");
        }
        log.accept("SED initialised from " + tagger + " (" + r.loaded().size() + " tensors)");
    }

    /** CA-SDRi with oracle labels: every target of every scene queried by its own label. */
    public Map<String, Double> validate(Graph eval, Scene[] scenes) {
        return Map.of("ca_sdri", caSdri(eval, scenes, oracleLabels(scenes), cfg.iterations().max(), null));
    }

    /** Each scene's target labels. */
    public static List<List<String>> oracleLabels(Scene[] scenes) {
        List<List<String>> labels = new ArrayList<>();
        for (Scene s : scenes) {
            labels.add(s.labels());
        }
        return labels;
    }

    /**
     * Mean CA-SDRi over scenes, each queried with its own labels (oracle or decoded by a tagger: false
     * positives and negatives count as the metric defines); {@code bar} (may be null) counts queries.
     */
    public double caSdri(Graph eval, Scene[] scenes, List<List<String>> labels, int passes, ProgressBar bar) {
        List<float[][]> mixtures = new ArrayList<>();
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < scenes.length; i++) {
            for (String l : labels.get(i)) {
                mixtures.add(scenes[i].mixture());
                queries.add(l);
            }
        }
        List<float[]> est = separate(eval, mixtures.toArray(new float[0][][]), queries.toArray(new String[0]), passes, bar);
        List<CaSdri.Mixture> scores = new ArrayList<>();
        for (int i = 0, k = 0; i < scenes.length; i++) {
            Map<String, float[]> byLabel = new LinkedHashMap<>();
            for (String l : labels.get(i)) {
                byLabel.put(l, est.get(k++));
            }
            Map<String, float[]> refs = new LinkedHashMap<>();
            scenes[i].targets().forEach(e -> refs.put(e.label(), e.dry()));
            scores.add(CaSdri.mixture(refs, byLabel, scenes[i].mixture()[0]));
        }
        return CaSdri.mean(scores);
    }
}

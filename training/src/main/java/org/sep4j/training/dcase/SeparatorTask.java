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
import org.sep4j.models.onnx.OrtModel;
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
 * CA-SDRi with oracle labels on a fixed set of scenes, running {@code max} passes. With
 * {@code trainer.crop_seconds} the network trains on crops of the scenes (each holding the queried
 * event where it fits) and is validated and scored on whole scenes: its convolutions do not depend
 * on the length, and the SED's position table is the whole clip's.
 */
public final class SeparatorTask {

    static final String REFERENCE = "reference";

    private final SeparatorConfig cfg;
    private final SedConfig sedCfg;
    private final SceneBatches data;
    private final TrainSettings settings;
    private final ResUNet net;
    /** The network on training crops (the same parameters); {@link #net} when training on whole scenes. */
    private final ResUNet trainNet;

    public SeparatorTask(SeparatorConfig cfg, SedConfig sedCfg, SceneGenerator gen, TrainSettings settings) {
        this.cfg = cfg;
        this.sedCfg = sedCfg;
        this.data = new SceneBatches(gen, cfg.needsSed() ? sedCfg : null, settings.trainItems());
        this.settings = settings;
        this.net = network(data.samples());
        int crop = (int) Math.round(settings.cropSeconds() * data.generator().spec().sampleRate());
        if (settings.cropSeconds() > 0 && crop < 1) {
            throw new IllegalArgumentException("trainer.crop_seconds=" + settings.cropSeconds() + " is under one sample at "
                    + data.generator().spec().sampleRate() + " Hz");
        }
        this.trainNet = crop > 0 && crop < data.samples() ? network(crop) : net;
    }

    /** The separator for mixtures of {@code samples}, its SED's positions those of a whole scene. */
    private ResUNet network(int samples) {
        int c = data.classes().size();
        SedTagger sed = cfg.needsSed() ? new SedTagger(sedCfg, "sed.", c, data.sedSamples(samples), data.sedSamples()) : null;
        return new ResUNet(cfg, sed, c, samples);
    }

    SceneBatches data() {
        return data;
    }

    /**
     * The separator graph with its loss ("loss"): −SNR of the queried source, or with ResUNetK's k
     * slots the mean −SNR over the slots that hold a target. {@code batch} −1 for any batch size.
     */
    public Graph graph(boolean training, long batch, long seed) {
        return graph(net, training, batch, seed);
    }

    private Graph graph(ResUNet net, boolean training, long batch, long seed) {
        Graph g = new Graph(seed);
        g.train(training);
        ResUNet.Built built = net.build(g, batch);
        int k = cfg.sources();
        int n = net.samples();
        SDVariable reference = g.input(REFERENCE, batch, k, n);
        SDVariable est = built.estimate().reshape(-1, n);
        SDVariable loss = k == 1 ? Losses.negSnr(g.sd(), est, reference.reshape(-1, n))
                : Losses.negSnr(g.sd(), est, reference.reshape(-1, n), g.sd().getVariable(ResUNet.ACTIVE).reshape(-1));
        g.sd().identity("loss", loss);
        g.sd().setLossVariables("loss");
        return g;
    }

    /**
     * Training placeholders: with one source per query each scene is queried with one of its targets
     * ({@code which[i]}); with k slots, with all its targets (up to k) at once.
     */
    Map<String, INDArray> batch(Scene[] scenes, int[] which) {
        return batch(net, scenes, which, 0);
    }

    /**
     * The same on {@code net}'s length: whole scenes, or for a shorter network a crop of each, drawn
     * from the stream {@code seed}·B + i, that holds the first queried event when it fits.
     */
    private Map<String, INDArray> batch(ResUNet net, Scene[] scenes, int[] which, long seed) {
        int k = cfg.sources();
        float[][][] mix = new float[scenes.length][][];
        String[][] labels = new String[scenes.length][];
        float[][][] ref = new float[scenes.length][][];
        for (int i = 0; i < scenes.length; i++) {
            mix[i] = scenes[i].mixture();
            List<Scene.Event> t = k == 1 ? List.of(scenes[i].targets().get(which[i]))
                    : scenes[i].targets().subList(0, Math.min(k, scenes[i].targets().size()));
            labels[i] = t.stream().map(Scene.Event::label).toArray(String[]::new);
            ref[i] = t.stream().map(Scene.Event::dry).toArray(float[][]::new);
            int len = net.samples();
            if (len < scenes[i].samples()) {
                int start = cropStart(t.get(0), len, scenes[i].samples(), new SplittableRandom(seed * scenes.length + i ^ 0xC809L));
                mix[i] = crop(mix[i], start, len);
                ref[i] = crop(ref[i], start, len);
            }
        }
        return batch(net, mix, labels, ref);
    }

    /** A crop start holding the event [onset, offset) whole where it fits, else starting inside it. */
    static int cropStart(Scene.Event e, int len, int samples, SplittableRandom r) {
        int lo = Math.max(0, e.offset() - len);
        int hi = Math.min(e.onset(), samples - len);
        if (lo > hi) { // the event is longer than the crop: any crop inside it
            lo = e.onset();
            hi = Math.min(e.offset(), samples) - len;
        }
        return lo + r.nextInt(hi - lo + 1);
    }

    private static float[][] crop(float[][] x, int start, int len) {
        float[][] out = new float[x.length][];
        for (int c = 0; c < x.length; c++) {
            out[c] = java.util.Arrays.copyOfRange(x[c], start, start + len);
        }
        return out;
    }

    /**
     * Placeholders for mixtures {@code [B][channels][samples]}, each queried by up to k labels (one
     * per slot; unused slots are silent) with their references {@code [B][slots][samples]} (optional).
     */
    Map<String, INDArray> batch(float[][][] mix, String[][] labels, float[][][] ref) {
        return batch(net, mix, labels, ref);
    }

    private Map<String, INDArray> batch(ResUNet net, float[][][] mix, String[][] labels, float[][][] ref) {
        List<String> classes = data.classes();
        int k = cfg.sources();
        int n = net.samples();
        int b = mix.length;
        float[][] query = new float[b][k * classes.size()];
        float[][] active = new float[b][k];
        float[][] refs = new float[b][k * n];
        float[][] ch0 = new float[b][];
        for (int i = 0; i < b; i++) {
            if (labels[i].length > k) {
                throw new IllegalArgumentException(labels[i].length + " labels for a separator with " + k + " slots");
            }
            for (int s = 0; s < labels[i].length; s++) {
                int c = classes.indexOf(labels[i][s]);
                if (c < 0) {
                    throw new IllegalArgumentException("label '" + labels[i][s] + "' is not one of the model's classes " + classes);
                }
                query[i][s * classes.size() + c] = 1f;
                active[i][s] = 1f;
                if (ref != null) {
                    System.arraycopy(ref[i][s], 0, refs[i], s * n, n);
                }
            }
            ch0[i] = mix[i][0];
        }
        Map<String, INDArray> in = new LinkedHashMap<>(net.analyse(mix));
        in.put(ResUNet.QUERY, SceneBatches.stack(query));
        in.put(ResUNet.ACTIVE, SceneBatches.stack(active));
        if (ref != null) {
            in.put(REFERENCE, SceneBatches.stack(refs).reshape(b, k, n));
        }
        if (cfg.needsSed()) {
            in.put(ResUNet.LOGMEL, data.logMel(ch0));
        }
        if (cfg.iterations().max() > 1) {
            in.put(ResUNet.FEEDBACK, Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, b, 1, net.frames(), net.bins()));
        }
        return in;
    }

    /**
     * What computes the estimate {@code [B, k, N]} from a batch's inputs: the SameDiff graph, or its
     * ONNX export under ONNX Runtime (the same inputs by name, the same estimate to 1e-4).
     */
    @FunctionalInterface
    public interface Engine {

        INDArray estimate(Map<String, INDArray> feed);

        static Engine of(Graph g) {
            return feed -> g.output(feed, ResUNet.ESTIMATE).get(ResUNet.ESTIMATE);
        }

        /** An exported separator ({@code sep4j export}); inputs the export does not take are left out of the feed. */
        static Engine of(OrtModel m) {
            java.util.Set<String> names = new java.util.HashSet<>();
            m.inputs().forEach(p -> names.add(p.name()));
            return feed -> {
                Map<String, INDArray> in = new LinkedHashMap<>(feed);
                in.keySet().retainAll(names);
                return m.run(in).get(ResUNet.ESTIMATE);
            };
        }
    }

    /** Each mixture's estimates by label, with {@code iterations.max} passes. */
    public List<Map<String, float[]>> separate(Graph eval, List<float[][]> mixtures, List<List<String>> labels) {
        return separate(Engine.of(eval), mixtures, labels, cfg.iterations().max(), null);
    }

    /**
     * Each mixture {@code [channels][samples]} separated for its labels, estimates by label: one
     * query per label, or with k slots up to k labels per query. Queries run in batches of
     * {@code trainer.batch_size}; {@code bar} (may be null) counts the labels done.
     */
    public List<Map<String, float[]>> separate(Engine eval, List<float[][]> mixtures, List<List<String>> labels, int passes,
            ProgressBar bar) {
        return separateByPasses(eval, mixtures, labels, passes, bar).get(passes - 1);
    }

    /** The same, keeping the estimates after every pass: element p − 1 holds pass p's (one run of {@code passes}). */
    public List<List<Map<String, float[]>>> separateByPasses(Engine eval, List<float[][]> mixtures, List<List<String>> labels,
            int passes, ProgressBar bar) {
        int k = cfg.sources();
        List<Integer> owner = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        List<List<Map<String, float[]>>> out = new ArrayList<>();
        for (int p = 0; p < passes; p++) {
            List<Map<String, float[]>> perMixture = new ArrayList<>();
            for (int i = 0; i < mixtures.size(); i++) {
                perMixture.add(new LinkedHashMap<>());
            }
            out.add(perMixture);
        }
        for (int i = 0; i < mixtures.size(); i++) {
            List<String> l = labels.get(i);
            for (int s = 0; s < l.size(); s += k) {
                owner.add(i);
                rows.add(l.subList(s, Math.min(l.size(), s + k)).toArray(String[]::new));
            }
        }
        int bs = settings.batchSize();
        for (int p = 0; p < rows.size(); p += bs) {
            int e = Math.min(rows.size(), p + bs);
            float[][][] mix = new float[e - p][][];
            for (int r = p; r < e; r++) {
                mix[r - p] = mixtures.get(owner.get(r));
            }
            List<INDArray> est = refineAll(net, eval, batch(mix, rows.subList(p, e).toArray(String[][]::new), null), passes);
            int done = 0;
            for (int r = p; r < e; r++) {
                String[] row = rows.get(r);
                for (int s = 0; s < row.length; s++) {
                    for (int q = 0; q < passes; q++) {
                        out.get(q).get(owner.get(r)).put(row[s], est.get(q).get(org.nd4j.linalg.indexing.NDArrayIndex.point(r - p),
                                org.nd4j.linalg.indexing.NDArrayIndex.point(s), org.nd4j.linalg.indexing.NDArrayIndex.all())
                                .toFloatVector());
                    }
                }
                done += row.length;
            }
            if (bar != null) {
                bar.step(done);
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

    /** Runs {@code passes} passes of {@code net}'s graph, feeding each estimate back; returns the last {@code [B, k, N]}. */
    private INDArray refine(ResUNet net, Graph g, Map<String, INDArray> in, int passes) {
        List<INDArray> all = refineAll(net, Engine.of(g), in, passes);
        return all.get(all.size() - 1);
    }

    /** The estimate of every pass of {@code net}'s engine, first to last. */
    private List<INDArray> refineAll(ResUNet net, Engine engine, Map<String, INDArray> in, int passes) {
        Map<String, INDArray> feed = new LinkedHashMap<>(in);
        List<INDArray> out = new ArrayList<>();
        for (int p = 0; p < passes; p++) {
            INDArray est = engine.estimate(feed);
            out.add(est);
            if (feed.containsKey(ResUNet.FEEDBACK)) {
                feed.put(ResUNet.FEEDBACK, net.feedback(est));
            }
        }
        return out;
    }

    /** Trains (resuming from {@code checkpoints/last} if present). */
    public Trainer.Result train(Path checkpoints, Tracker tracker, long seed, java.util.function.Consumer<String> log)
            throws IOException {
        Graph g = graph(trainNet, true, settings.batchSize(), seed);
        Graph eval = graph(false, -1, seed);
        if (cfg.needsSed() && settings.tagger() != null) {
            Fitting.startFrom(g, settings.tagger(), "trainer.tagger", "sed.", true, log);
        } else if (cfg.needsSed() && sedCfg.weights() != null) {
            Fitting.startFrom(g, sedCfg.weights(), "model.sed.weights", "sed.", false, log);
        }
        if (cfg.weights() != null) {
            Fitting.startFrom(g, cfg.weights(), "model.separator.weights", "", false, log);
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
            Map<String, INDArray> in = batch(trainNet, scenes, which, step);
            int passes = 1 + new SplittableRandom(~step).nextInt(max);
            if (passes > 1) { // earlier passes give the feedback, without gradients
                in.put(ResUNet.FEEDBACK, trainNet.feedback(refine(trainNet, g, in, passes - 1)));
            }
            return in;
        }, step -> {
            eval.copyWeightsFrom(g);
            return validate(eval, validation);
        });
    }

    /** CA-SDRi with oracle labels: every target of every scene queried by its own label. */
    public Map<String, Double> validate(Graph eval, Scene[] scenes) {
        return Map.of("ca_sdri", caSdri(Engine.of(eval), scenes, oracleLabels(scenes), cfg.iterations().max(), null));
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
    public double caSdri(Engine eval, Scene[] scenes, List<List<String>> labels, int passes, ProgressBar bar) {
        double[] all = caSdriByPasses(eval, scenes, labels, passes, bar);
        return all[all.length - 1];
    }

    /** CA-SDRi after each of 1..{@code passes} refinement passes, from one run of {@code passes}. */
    public double[] caSdriByPasses(Engine eval, Scene[] scenes, List<List<String>> labels, int passes, ProgressBar bar) {
        List<float[][]> mixtures = java.util.Arrays.stream(scenes).map(Scene::mixture).toList();
        List<List<Map<String, float[]>>> est = separateByPasses(eval, mixtures, labels, passes, bar);
        double[] out = new double[passes];
        for (int p = 0; p < passes; p++) {
            out[p] = caSdri(scenes, est.get(p));
        }
        return out;
    }

    /** Mean CA-SDRi of estimates by label, one map per scene, against the scenes' dry targets. */
    public static double caSdri(Scene[] scenes, List<Map<String, float[]>> estimates) {
        List<CaSdri.Mixture> scores = new ArrayList<>();
        for (int i = 0; i < scenes.length; i++) {
            Map<String, float[]> refs = new LinkedHashMap<>();
            scenes[i].targets().forEach(e -> refs.put(e.label(), e.dry()));
            scores.add(CaSdri.mixture(refs, estimates.get(i), scenes[i].mixture()[0]));
        }
        return CaSdri.mean(scores);
    }
}

package org.sep4j.training.dcase;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.WavWriter;
import org.sep4j.core.config.Composed;
import org.sep4j.core.config.ConfigBinder;
import org.sep4j.core.io.AtomicFiles;
import org.sep4j.core.io.Json;
import org.sep4j.core.plot.Charts;
import org.sep4j.core.progress.ProgressBar;
import org.sep4j.core.track.NativeHeap;
import org.sep4j.data.DataConfig;
import org.sep4j.data.scene.Scene;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.evaluation.metrics.LabelDecoder;
import org.sep4j.evaluation.metrics.Pesq;
import org.sep4j.evaluation.metrics.PesqException;
import org.sep4j.evaluation.report.HtmlReport;
import org.sep4j.evaluation.report.ResultsTable;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.onnx.OrtModel;
import org.sep4j.models.sed.SedConfig;
import org.sep4j.models.sep.ResUNet;
import org.sep4j.models.sep.SeparatorConfig;
import org.sep4j.training.Checkpoint;
import org.sep4j.training.experiment.Experiment;

/**
 * The DCASE 2025 Task 4 2nd-place ablation table, end to end: trains the SED tagger, then every
 * separator variant (each an ordinary run folder), scores each on a fixed generated test set with
 * stage-1 labels from the trained tagger and with oracle labels (iterative variants at every
 * number of passes), and writes {@code table.md}, {@code table.csv} and two charts next to the
 * published numbers. Finished runs are reused (their {@code evaluation.json}); an interrupted run
 * resumes from its last checkpoint.
 */
public final class Reproduction {

    /** Test scenes start here: disjoint from training (0…) and validation (2^40…) indices. */
    static final long TEST_OFFSET = 1L << 41;

    /**
     * One row of the table.
     *
     * @param published CA-SDRi with their stage-1 labels and with oracle labels (NaN: not reported)
     * @param curve     published CA-SDRi per inference pass (iterative variants), else empty
     */
    public record Variant(String name, String title, List<String> overrides, double published, double publishedOracle,
            double[] curve) {
    }

    public static final List<Variant> VARIANTS = List.of(
            new Variant("baseline", "DCASE baseline (ResUNet)", List.of("experiment=dcase2025/baseline"), 11.03, Double.NaN,
                    new double[0]),
            new Variant("audiosep-sed", "AudioSep-SED (Soundbeam + Time-FiLM)", List.of("experiment=dcase2025/separator"), 13.42,
                    15.29, new double[0]),
            new Variant("no-time-film", "- w/o Time-FiLM", List.of("experiment=dcase2025/separator",
                    "model.separator.time_film.use=false"), 13.07, 14.82, new double[0]),
            new Variant("no-injection", "- w/o embedding injection", List.of("experiment=dcase2025/separator",
                    "model.separator.soundbeam.apply=false"), 13.12, 14.91, new double[0]),
            new Variant("frozen-sed", "- frozen S2-SED", List.of("experiment=dcase2025/separator",
                    "model.separator.soundbeam.trainable=false"), 12.53, 14.04, new double[0]),
            new Variant("dprnn", "+ DPRNN", List.of("experiment=dcase2025/separator", "model.separator.dprnn.use=true"), 13.31,
                    15.20, new double[0]),
            new Variant("iter2", "iterative refinement, max 2", List.of("experiment=dcase2025/separator",
                    "model.separator.iterations.max=2"), 13.62, Double.NaN, new double[] {13.65, 13.62}),
            new Variant("iter3", "iterative refinement, max 3", List.of("experiment=dcase2025/separator",
                    "model.separator.iterations.max=3"), 13.92, Double.NaN, new double[] {13.33, 13.83, 13.92}),
            new Variant("iter4", "iterative refinement, max 4", List.of("experiment=dcase2025/separator",
                    "model.separator.iterations.max=4"), 13.57, Double.NaN, new double[] {12.16, 13.32, 13.52, 13.57}));

    private final Function<List<String>, Composed> compose;
    private final List<String> user;
    private final ReproduceSettings settings;
    private final Path out;
    private final PrintStream console;
    private final Map<DataConfig, SceneGenerator> generators = new java.util.HashMap<>();

    /**
     * @param compose builds a run's config from overrides (the CLI's composer)
     * @param user    the user's overrides (preset, data, trainer keys), applied after each variant's
     * @param preset  the preset name, naming the results folder
     */
    public Reproduction(Function<List<String>, Composed> compose, List<String> user, String preset, PrintStream console) {
        this.compose = compose;
        this.settings = ConfigBinder.bind(compose.apply(user), "reproduce", ReproduceSettings.class);
        // What the table scores is not part of any run's config: asking for +pesq later reuses the trained runs.
        this.user = user.stream().filter(o -> !o.strip().startsWith("reproduce.metrics=")).toList();
        this.out = settings.out().resolve(preset);
        this.console = console;
    }

    public Path out() {
        return out;
    }

    /**
     * Runs (or reuses) everything selected by {@code only} (empty: all) and writes the table;
     * {@code jobs} separator runs at a time (each a thread; they share the cores and the memory).
     */
    @SuppressWarnings("unchecked")
    public String run(Set<String> only, Integer seedsOverride, int jobs) throws IOException {
        int seeds = seedsOverride != null ? seedsOverride : settings.seeds();
        for (String o : only) {
            if (VARIANTS.stream().noneMatch(v -> v.name().equals(o))) {
                throw new IllegalArgumentException("--only: unknown variant '" + o + "'; the variants are "
                        + VARIANTS.stream().map(Variant::name).toList());
            }
        }
        if (jobs < 1) {
            throw new IllegalArgumentException("--jobs must be at least 1, got " + jobs);
        }
        Scene[] test = testSet(ConfigBinder.bind(compose.apply(user), "data", DataConfig.class));

        Map<String, Object> tagger = tagger(test);
        List<List<String>> stage1 = (List<List<String>>) tagger.get("labels");
        Path taggerBest = Path.of((String) tagger.get("checkpoint"));
        Map<String, List<java.util.concurrent.Callable<Map<String, Object>>>> work = new LinkedHashMap<>();
        for (Variant v : VARIANTS) {
            if (only.isEmpty() || only.contains(v.name())) {
                List<java.util.concurrent.Callable<Map<String, Object>>> perSeed = new ArrayList<>();
                for (int s = 0; s < seeds; s++) {
                    int seed = s;
                    perSeed.add(() -> separator(v, seed, test, stage1, taggerBest));
                }
                work.put(v.name(), perSeed);
            }
        }
        writeListening(test);
        Map<String, List<Map<String, Object>>> results = runAll(work, jobs);
        double[] floor = {halfMixture(test, stage1), halfMixture(test, SeparatorTask.oracleLabels(test)), Double.NaN};
        if (settings.pesq()) {
            floor[2] = ((Number) pesq(test, halfMixtures(test, SeparatorTask.oracleLabels(test)), console::println)
                    .get("pesq_wb_oracle")).doubleValue();
        }
        return table(results, ((Number) tagger.get("label_accuracy")).doubleValue(), floor);
    }

    /** A run's overrides: the variant's, the budget (warm-up a tenth of the steps), then the user's. */
    private List<String> overrides(List<String> variant, String name, long steps, int seed) {
        List<String> o = new ArrayList<>(variant);
        o.add("run.root=" + out.resolve("runs"));
        o.add("run.name=" + name);
        o.add("trainer.steps=" + steps);
        o.add("trainer.warmup=" + Math.max(1, steps / 10));
        o.add("trainer.validation_items=" + settings.validationItems());
        o.add("seed=" + seed);
        o.addAll(user);
        return o;
    }

    /**
     * The run's scene generator, one per data config: every variant trains on scenes 0… and validates on
     * the same items, so they are drawn once and kept (up to half the heap: the tiny preset's 1,296
     * scenes take ~1.9 GB, and at a quarter a third of each run's steps drew theirs again) for the next runs.
     */
    private SceneGenerator generator(Composed c) throws IOException {
        DataConfig data = ConfigBinder.bind(c, "data", DataConfig.class);
        synchronized (generators) {
            SceneGenerator g = generators.get(data);
            if (g == null) {
                g = data.generator().remembering((long) settings.separatorSteps() * settings.separatorBatchSize(),
                        settings.validationItems(), Runtime.getRuntime().maxMemory() / 2);
                generators.put(data, g);
            }
            return g;
        }
    }

    /** The official test split when {@code data.root} is set, else generated scenes (a disjoint index range). */
    private Scene[] testSet(DataConfig data) throws IOException {
        if (data.root() != null) {
            org.sep4j.data.dcase.Dcase2025Data official = data.official();
            Scene[] test = official.testScenes(settings.testItems()).toArray(Scene[]::new);
            if (test.length == 0) {
                throw new IOException(official.test() + ": no soundscapes");
            }
            if (test[0].sampleRate() != data.scene().sampleRate()) {
                throw new IllegalArgumentException("data.root: the official test split is " + test[0].sampleRate() + " Hz but "
                        + "data.scene.sample_rate is " + data.scene().sampleRate() + " (use preset=full)");
            }
            console.println("test set: " + test.length + " soundscapes of the official test split " + official.test());
            return test;
        }
        SceneGenerator gen = data.generator();
        console.println("test set: " + settings.testItems() + " generated soundscapes");
        return IntStream.range(0, settings.testItems()).parallel().mapToObj(i -> gen.generate(TEST_OFFSET + i)).toArray(Scene[]::new);
    }

    /** Runs every seed of every variant, {@code jobs} at a time; results keep the variants' order. */
    private static Map<String, List<Map<String, Object>>> runAll(
            Map<String, List<java.util.concurrent.Callable<Map<String, Object>>>> work, int jobs) throws IOException {
        Map<String, List<Map<String, Object>>> results = new LinkedHashMap<>();
        if (jobs == 1) {
            for (var e : work.entrySet()) {
                List<Map<String, Object>> r = new ArrayList<>();
                for (var c : e.getValue()) {
                    NativeHeap.trim(); // the last run's freed working set (collected below) back to the system
                    r.add(call(c));
                    System.gc(); // javacpp frees a finished run's arrays only once their Java objects are collected
                }
                results.put(e.getKey(), r);
            }
            return results;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(() -> {
                org.sep4j.core.progress.ProgressBar.silenceThisThread();
                r.run();
            }, "reproduce-job");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, List<java.util.concurrent.Future<Map<String, Object>>>> futures = new LinkedHashMap<>();
            work.forEach((k, cs) -> futures.put(k, cs.stream().map(pool::submit).toList()));
            for (var e : futures.entrySet()) {
                List<Map<String, Object>> r = new ArrayList<>();
                for (var f : e.getValue()) {
                    r.add(call(f::get));
                }
                results.put(e.getKey(), r);
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs a job, unwrapping what a worker thread threw. */
    private static Map<String, Object> call(java.util.concurrent.Callable<Map<String, Object>> c) throws IOException {
        try {
            return c.call();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof IOException io) {
                throw io;
            }
            if (t instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(t);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trains and scores the tagger once; its decoded test labels feed every separator. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> tagger(Scene[] test) throws IOException {
        List<String> o = overrides(List.of("experiment=dcase2025/tagger"), "tagger", settings.taggerSteps(), 0);
        o.add(o.size() - user.size(), "trainer.train_items=" + settings.taggerItems());
        o.add(o.size() - user.size(), "trainer.validation_items=" + settings.taggerValidationItems());
        Composed c = compose.apply(o);
        try (Experiment exp = Experiment.open(c, Map.of("reproduce", "dcase2025"), console, System.getenv())) {
            Path done = exp.folder().dir().resolve("evaluation.json");
            if (Files.isRegularFile(done)) {
                exp.info("tagger: reusing " + done);
                exp.succeeded();
                return (Map<String, Object>) Json.parse(Files.readString(done));
            }
            SedConfig sed = ConfigBinder.bind(c, "model.sed", SedConfig.class);
            TaggerTask task = new TaggerTask(sed, generator(c),
                    ConfigBinder.bind(c, "trainer", TrainSettings.class));
            long t0 = System.nanoTime();
            Path ckpt = exp.folder().dir().resolve("checkpoints");
            task.train(ckpt, exp.tracker(), 0, exp::info);
            double secs = (System.nanoTime() - t0) / 1e9;
            Graph eval = task.graph(false, 0);
            Checkpoint.loadWeights(ckpt.resolve("best"), eval);
            List<float[]> probs = task.probabilities(eval, test);
            LabelDecoder decoder = LabelDecoder.dcase(task.classes());
            List<List<String>> labels = new ArrayList<>();
            List<Set<String>> truth = new ArrayList<>();
            for (int i = 0; i < test.length; i++) {
                labels.add(decoder.decode(probs.get(i)));
                truth.add(new HashSet<>(test[i].labels()));
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("label_accuracy", decoder.accuracy(probs, truth));
            r.put("parameters", eval.parameterCount());
            r.put("train_seconds", secs);
            r.put("checkpoint", ckpt.resolve("best").toAbsolutePath().toString());
            r.put("labels", labels);
            AtomicFiles.writeString(done, Json.pretty(r));
            exp.info(String.format(Locale.ROOT, "tagger: label accuracy %.3f on the test set", r.get("label_accuracy")));
            exp.succeeded();
            return r;
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> separator(Variant v, int seed, Scene[] test, List<List<String>> stage1, Path taggerBest)
            throws IOException {
        List<String> o = overrides(v.overrides(), v.name() + "-seed" + seed, settings.separatorSteps(), seed);
        o.add(o.size() - user.size(), "trainer.tagger=" + taggerBest);
        o.add(o.size() - user.size(), "trainer.batch_size=" + settings.separatorBatchSize());
        o.add(o.size() - user.size(), "trainer.crop_seconds=" + settings.cropSeconds());
        o.add(o.size() - user.size(), "trainer.lr=" + settings.separatorLr());
        Composed c = compose.apply(o);
        try (Experiment exp = Experiment.open(c, Map.of("reproduce", "dcase2025", "variant", v.name()), console,
                System.getenv())) {
            Path done = exp.folder().dir().resolve("evaluation.json");
            Map<String, Object> r = Files.isRegularFile(done) ? (Map<String, Object>) Json.parse(Files.readString(done)) : null;
            int listen = Math.min(settings.listenItems(), test.length);
            boolean addPesq = r != null && settings.pesq() && !r.containsKey("pesq_wb_oracle");
            boolean addListening = r != null && (r.get("listen") instanceof List<?> l ? l.size() : 0) < listen;
            boolean rescore = addPesq || addListening; // a finished run scored again with oracle labels, not retrained
            if (r != null && !rescore) {
                exp.info(v.name() + ": reusing " + done);
                exp.succeeded();
                return r;
            }
            SeparatorConfig cfg = ConfigBinder.bind(c, "model.separator", SeparatorConfig.class);
            SeparatorTask task = new SeparatorTask(cfg, ConfigBinder.bind(c, "model.sed", SedConfig.class),
                    generator(c), ConfigBinder.bind(c, "trainer", TrainSettings.class));
            Path ckpt = exp.folder().dir().resolve("checkpoints");
            if (rescore) {
                exp.info(v.name() + ": adding " + (addPesq ? addListening ? "PESQ and the estimates to listen to" : "PESQ"
                        : "the estimates to listen to") + " to " + done);
            } else {
                long t0 = System.nanoTime();
                task.train(ckpt, exp.tracker(), seed, exp::info);
                r = new LinkedHashMap<>();
                r.put("variant", v.name());
                r.put("seed", (long) seed);
                r.put("train_seconds", (System.nanoTime() - t0) / 1e9);
            }
            Graph eval = task.graph(false, -1, seed);
            Checkpoint.loadWeights(ckpt.resolve("best"), eval);
            r.put("parameters", eval.parameterCount());
            int passes = cfg.iterations().max();
            List<List<String>> oracleLabels = SeparatorTask.oracleLabels(test);
            long queries = (rescore ? 0 : stage1.stream().mapToLong(List::size).sum())
                    + oracleLabels.stream().mapToLong(List::size).sum();
            try (Scorer scorer = new Scorer(eval, exp.folder().dir(), exp::info);
                    ProgressBar bar = ProgressBar.start("score " + v.name(), queries, "queries")) {
                if (!rescore) {
                    // one run of max passes gives the estimate after every pass (the curve)
                    List<Double> curve = new ArrayList<>();
                    for (double atPass : task.caSdriByPasses(scorer.engine, test, stage1, passes, bar)) {
                        curve.add(atPass);
                    }
                    r.put("ca_sdri", curve.get(curve.size() - 1));
                    r.put("ca_sdri_by_passes", curve);
                }
                List<float[][]> mixtures = java.util.Arrays.stream(test).map(Scene::mixture).toList();
                List<Map<String, float[]>> oracle = task.separate(scorer.engine, mixtures, oracleLabels, passes, bar);
                if (!rescore) {
                    r.put("ca_sdri_oracle", SeparatorTask.caSdri(test, oracle));
                }
                if (settings.pesq() && !r.containsKey("pesq_wb_oracle")) {
                    r.putAll(pesq(test, oracle, exp::info));
                }
                if (listen > 0) {
                    r.put("listen", writeEstimates(test, oracle, listen, exp.folder().dir().resolve("listen")));
                }
            }
            AtomicFiles.writeString(done, Json.pretty(r));
            exp.info(String.format(Locale.ROOT, "%s seed %d: CA-SDRi %.2f dB (stage-1 labels), %.2f dB (oracle)%s", v.name(),
                    seed, r.get("ca_sdri"), r.get("ca_sdri_oracle"),
                    settings.pesq() ? String.format(Locale.ROOT, ", PESQ wb %.2f", r.get("pesq_wb_oracle")) : ""));
            exp.succeeded();
            return r;
        }
    }

    /**
     * The engine that scores a trained separator: the graph itself, or (reproduce.engine = onnx) its
     * export, made in memory and run in ONNX Runtime; a model the export cannot carry is scored by the
     * graph, with a line saying why.
     */
    private final class Scorer implements AutoCloseable {

        final SeparatorTask.Engine engine;
        private final OrtModel ort;

        Scorer(Graph eval, Path runDir, java.util.function.Consumer<String> log) {
            OrtModel m = null;
            if (settings.engine().equals("onnx")) {
                try {
                    m = OrtModel.of(eval, List.of(ResUNet.ESTIMATE), runDir, OrtModel.Options.defaults());
                } catch (IOException | RuntimeException e) { // e.g. an op the exporter does not map: score the graph
                    log.accept("scoring with SameDiff: the ONNX export failed (" + e.getMessage() + ")");
                }
            }
            ort = m;
            engine = m != null ? SeparatorTask.Engine.of(m) : SeparatorTask.Engine.of(eval);
        }

        @Override
        public void close() {
            if (ort != null) {
                ort.close();
            }
        }
    }

    private static double[] stat(List<Map<String, Object>> runs, String key) {
        // a run finished before its key existed (e.g. PESQ asked for later) counts as not reported
        double[] v = runs.stream().mapToDouble(r -> r.get(key) instanceof Number n ? n.doubleValue() : Double.NaN).toArray();
        double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
        double var = v.length < 2 ? 0 : java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
        return new double[] {mean, Math.sqrt(var), v.length};
    }

    private static String pm(double[] s) {
        if (Double.isNaN(s[0])) {
            return "–";
        }
        return s[2] > 1 ? String.format(Locale.ROOT, "%.2f ± %.2f", s[0], s[1]) : String.format(Locale.ROOT, "%.2f", s[0]);
    }

    /** A table row; the PESQ cell (fourth) only when the table has the column. */
    private static Object[] row(boolean pesq, String... cells) {
        List<String> r = new ArrayList<>(List.of(cells));
        if (!pesq) {
            r.remove(3);
        }
        return r.toArray();
    }

    private static String num(double x) {
        return Double.isNaN(x) ? "–" : String.format(Locale.ROOT, "%.2f", x);
    }

    /**
     * Mean wideband PESQ (P.862.2 at 16 kHz, resampled from the scenes' rate) of each target's
     * estimate against its dry target: {@code pesq_wb_oracle}, the count scored and the count PESQ
     * could not score (with the reasons logged; e.g. a target too quiet for its VAD).
     */
    static Map<String, Object> pesq(Scene[] scenes, List<Map<String, float[]>> estimates,
            java.util.function.Consumer<String> log) {
        Pesq wb = new Pesq(Pesq.Mode.WB, true);
        List<float[][]> pairs = new ArrayList<>();
        List<Integer> rates = new ArrayList<>();
        for (int i = 0; i < scenes.length; i++) {
            for (Scene.Event e : scenes[i].targets()) {
                float[] est = estimates.get(i).get(e.label());
                if (est != null) {
                    pairs.add(new float[][] {e.dry(), est});
                    rates.add(scenes[i].sampleRate());
                }
            }
        }
        String[] errors = new String[pairs.size()];
        double[] mos = IntStream.range(0, pairs.size()).parallel().mapToDouble(k -> {
            try {
                return wb.score(pairs.get(k)[0], pairs.get(k)[1], rates.get(k)).mos();
            } catch (PesqException e) {
                errors[k] = e.reason().code();
                return Double.NaN;
            }
        }).toArray();
        double[] scored = java.util.Arrays.stream(mos).filter(Double::isFinite).toArray();
        Map<String, Long> reasons = new java.util.TreeMap<>();
        for (String e : errors) {
            if (e != null) {
                reasons.merge(e, 1L, Long::sum);
            }
        }
        if (!reasons.isEmpty()) {
            log.accept("PESQ could not score " + (pairs.size() - scored.length) + " of " + pairs.size() + " targets: " + reasons);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("pesq_wb_oracle", scored.length == 0 ? Double.NaN : java.util.Arrays.stream(scored).average().orElseThrow());
        r.put("pesq_scored", (long) scored.length);
        r.put("pesq_failed", (long) (pairs.size() - scored.length));
        return r;
    }

    /** The file name of a listened scene's part: its mixture, a target, or an estimate (in a run's listen/). */
    private static String listenName(int scene, String part) {
        return "scene" + scene + "_" + part.replaceAll("[^A-Za-z0-9_.-]", "_") + ".wav";
    }

    /** The first {@code listen_items} test scenes as files to hear in {@code listen/}: channel 0 of the mixture and each dry target. */
    private void writeListening(Scene[] test) throws IOException {
        int listen = Math.min(settings.listenItems(), test.length);
        Path dir = out.resolve("listen");
        if (listen > 0) {
            Files.createDirectories(dir);
        }
        for (int k = 0; k < listen; k++) {
            int rate = test[k].sampleRate();
            WavWriter.write(dir.resolve(listenName(k, "mixture")), new Audio(new float[][] {test[k].mixture()[0]}, rate));
            for (Scene.Event e : test[k].targets()) {
                WavWriter.write(dir.resolve(listenName(k, e.label())), new Audio(new float[][] {e.dry()}, rate));
            }
        }
    }

    /**
     * Writes the oracle-label estimates of the first {@code listen} scenes into {@code dir} and
     * returns, per scene, its CA-SDRi and its estimate files (relative to the output folder).
     */
    private List<Map<String, Object>> writeEstimates(Scene[] test, List<Map<String, float[]>> oracle, int listen, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int k = 0; k < listen; k++) {
            Map<String, String> files = new LinkedHashMap<>();
            for (Map.Entry<String, float[]> e : oracle.get(k).entrySet()) {
                Path f = dir.resolve(listenName(k, e.getKey()));
                WavWriter.write(f, new Audio(new float[][] {e.getValue()}, test[k].sampleRate()));
                files.put(e.getKey(), out.relativize(f).toString().replace(java.io.File.separatorChar, '/'));
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("scene", (long) k);
            item.put("ca_sdri_oracle", SeparatorTask.caSdri(new Scene[] {test[k]}, List.of(oracle.get(k))));
            item.put("estimates", files);
            items.add(item);
        }
        return items;
    }

    /**
     * The no-model floor: every query answered with half of the mixture's reference channel. The
     * metric is plain SNR, so attenuation alone moves quiet targets' scores by several dB.
     */
    static double halfMixture(Scene[] scenes, List<List<String>> labels) {
        return SeparatorTask.caSdri(scenes, halfMixtures(scenes, labels));
    }

    /** Every query of each scene answered with half of its mixture's channel 0. */
    static List<Map<String, float[]>> halfMixtures(Scene[] scenes, List<List<String>> labels) {
        List<Map<String, float[]>> est = new ArrayList<>();
        for (int i = 0; i < scenes.length; i++) {
            float[] half = scenes[i].mixture()[0].clone();
            for (int t = 0; t < half.length; t++) {
                half[t] *= 0.5f;
            }
            Map<String, float[]> byLabel = new LinkedHashMap<>();
            labels.get(i).forEach(l -> byLabel.put(l, half));
            est.add(byLabel);
        }
        return est;
    }

    @SuppressWarnings("unchecked")
    private String table(Map<String, List<Map<String, Object>>> results, double labelAccuracy, double[] floor) throws IOException {
        boolean pesq = settings.pesq();
        List<String> header = new ArrayList<>(List.of("variant", "CA-SDRi (stage-1 labels)", "CA-SDRi (oracle labels)"));
        if (pesq) {
            header.add("PESQ wb (oracle labels)");
        }
        header.addAll(List.of("params (M)", "train (s)", "published (their labels)", "published (oracle)"));
        ResultsTable t = new ResultsTable(header, 2);
        t.add(row(pesq, "(floor: half the mixture, no model)", num(floor[0]), num(floor[1]), num(floor[2]), "0", "0", "–",
                "–"));
        List<String> names = new ArrayList<>();
        int variants = results.size();
        double[][] bars = new double[4][variants]; // stage-1 mean, std, oracle mean, std
        int i = 0;
        for (Map.Entry<String, List<Map<String, Object>>> e : results.entrySet()) {
            Variant v = variant(e.getKey());
            double[] s1 = stat(e.getValue(), "ca_sdri");
            double[] or = stat(e.getValue(), "ca_sdri_oracle");
            double params = ((Number) e.getValue().get(0).get("parameters")).doubleValue() / 1e6;
            double secs = stat(e.getValue(), "train_seconds")[0];
            String p = pesq ? pm(stat(e.getValue(), "pesq_wb_oracle")) : "";
            t.add(row(pesq, v.title(), pm(s1), pm(or), p, String.format(Locale.ROOT, "%.3f", params),
                    String.format(Locale.ROOT, "%.0f", secs), num(v.published()), num(v.publishedOracle())));
            names.add(v.name());
            bars[0][i] = s1[0];
            bars[1][i] = s1[1];
            bars[2][i] = or[0];
            bars[3][i] = or[1];
            i++;
        }
        Files.createDirectories(out);
        String note = String.format(Locale.ROOT, "Stage-1 tagger label accuracy on the test set: %.1f %% (published baseline M2D: "
                + "59.80 %%).%n%nNumbers from the synthetic embedded data and CPU-sized models are not comparable in absolute "
                + "value with the published ones (official data, full-size models, 36 epochs on GPUs); compare the ordering "
                + "of the variants, and run preset=full with the official data for the real thing. The first row is the "
                + "floor of the metric here: every query answered with half of the mixture's channel 0. CA-SDRi is plain "
                + "SNR, not scale-invariant, so attenuation alone gains several dB when targets are quiet; read each "
                + "variant against that row.%n", 100 * labelAccuracy)
                + (pesq ? String.format(Locale.ROOT, "%nPESQ wb is P.862.2 at 16 kHz of each target's estimate (oracle labels) "
                        + "against its dry target, averaged over the targets it could score. PESQ is defined for speech; "
                        + "on sound events read it as a relative measure across the variants.%n") : "");
        String md = "# DCASE 2025 Task 4: the 2nd-place system's ablations (" + out.getFileName() + ")\n\n" + t.markdown() + "\n"
                + note;
        AtomicFiles.writeString(out.resolve("table.md"), md);
        t.writeCsv(out.resolve("table.csv"));
        // grouped bars (± std over seeds when there are several), the no-model floors as reference lines
        boolean seeds = results.values().stream().anyMatch(r -> r.size() > 1);
        Charts.bars(out.resolve("ca_sdri.png"), names,
                List.of(new Charts.Bars("stage-1 labels", bars[0], seeds ? bars[1] : null),
                        new Charts.Bars("oracle labels", bars[2], seeds ? bars[3] : null)),
                List.of(new Charts.Reference("floor, stage-1", floor[0]), new Charts.Reference("floor, oracle", floor[1])),
                "CA-SDRi per variant", "CA-SDRi (dB)");
        List<Charts.Series> series = new ArrayList<>();
        int longest = 0;
        for (Map.Entry<String, List<Map<String, Object>>> e : results.entrySet()) {
            List<Number> curve = (List<Number>) e.getValue().get(0).get("ca_sdri_by_passes");
            if (curve.size() > 1) {
                series.add(new Charts.Series(e.getKey(), curve.stream().mapToDouble(Number::doubleValue).toArray()));
                longest = Math.max(longest, curve.size());
            }
        }
        if (!series.isEmpty()) {
            double[] x = IntStream.rangeClosed(1, longest).asDoubleStream().toArray(); // shorter curves end early
            Charts.lines(out.resolve("iterations.png"), x, series, "CA-SDRi vs inference passes", "passes", "CA-SDRi (dB)");
        }
        // the same table and charts as a page to open, and the listened scenes of every variant
        HtmlReport page = new HtmlReport(
                "DCASE 2025 Task 4: the 2nd-place system's ablations (" + out.getFileName() + ")");
        note.lines().filter(l -> !l.isBlank()).forEach(page::note);
        page.summary(t.header(), t.formattedRows());
        page.image("CA-SDRi per variant (stage-1 and oracle labels; dashed: the no-model floors)", "ca_sdri.png");
        if (!series.isEmpty()) {
            page.image("CA-SDRi vs inference passes", "iterations.png");
        }
        List<HtmlReport.Item> items = listeningItems(results);
        if (!items.isEmpty()) {
            page.items(List.of("variant", "scene", "targets", LISTEN_SCORE), items, LISTEN_SCORE, items.size());
        }
        page.write(out);
        return md;
    }

    /** The table row of a variant by its name (results are keyed by it). */
    private static Variant variant(String name) {
        return VARIANTS.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    private static final String LISTEN_SCORE = "CA-SDRi (oracle labels)";

    /** One report row per listened scene and variant (its first seed): mixture, each target and its estimate. */
    @SuppressWarnings("unchecked")
    private List<HtmlReport.Item> listeningItems(Map<String, List<Map<String, Object>>> results) {
        List<HtmlReport.Item> items = new ArrayList<>();
        for (Map.Entry<String, List<Map<String, Object>>> e : results.entrySet()) {
            Variant v = variant(e.getKey());
            if (!(e.getValue().get(0).get("listen") instanceof List<?> listened)) {
                continue;
            }
            for (Object o : listened) {
                Map<String, Object> m = (Map<String, Object>) o;
                int k = ((Number) m.get("scene")).intValue();
                double score = ((Number) m.get("ca_sdri_oracle")).doubleValue();
                Map<String, String> estimates = (Map<String, String>) m.get("estimates");
                List<HtmlReport.Media> media = new ArrayList<>();
                Path listen = out.resolve("listen");
                media.add(new HtmlReport.Media("mixture (channel 0)", listen.resolve(listenName(k, "mixture"))));
                estimates.forEach((label, file) -> {
                    media.add(new HtmlReport.Media("target " + label, listen.resolve(listenName(k, label))));
                    media.add(new HtmlReport.Media("estimate " + label, out.resolve(file)));
                });
                items.add(new HtmlReport.Item(Map.of("variant", v.title(), "scene", "scene " + k, "targets",
                        String.join(", ", estimates.keySet()), LISTEN_SCORE, num(score)), Map.of(LISTEN_SCORE, score), media));
            }
        }
        return items;
    }
}

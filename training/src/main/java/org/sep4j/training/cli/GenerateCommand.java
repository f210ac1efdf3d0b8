package org.sep4j.training.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.sep4j.core.config.Composed;
import org.sep4j.core.config.ConfigBinder;
import org.sep4j.core.config.ConfigError;
import org.sep4j.core.io.AtomicFiles;
import org.sep4j.core.io.Json;
import org.sep4j.core.plot.Charts;
import org.sep4j.core.progress.ProgressBar;
import org.sep4j.data.DataConfig;
import org.sep4j.data.dcase.Dcase2025Layout;
import org.sep4j.data.scene.Scene;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.data.scene.SceneSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sep4j generate [OVERRIDES] n=N out=DIR [set=train|valid]}: writes N scenes of the configured
 * recipe in the DCASE 2025 Task 4 layout, resuming an interrupted run, then a summary (class and SNR
 * histograms, events per mixture) as JSON and PNG. {@code set=valid} writes the validation scenes
 * instead: the official metadata list replayed when the data has one (n defaults to all of it).
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate a sound-scene dataset in the DCASE 2025 Task 4 layout.", "",
            "Arguments are config overrides, plus n=N (items), out=DIR (destination) and set=train|valid",
            "(default train; valid: the validation scenes, i.e. data.validation or <data.root>/dev_set/metadata/valid.json",
            "replayed when there is one, n defaulting to all of it).",
            "An interrupted run resumes: finished items are kept, nothing half-written remains."},
        footer = {"", "Examples:", "  sep4j generate data=dcase2025 preset=tiny n=1000 out=data/tiny",
            "  sep4j generate preset=full data.root=/data/DCASE2025Task4Dataset set=valid out=data/valid"})
final class GenerateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigCommand.Composition composition = new ConfigCommand.Composition();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Integer n = null;
        Path dest = null;
        String set = "train";
        List<String> overrides = new ArrayList<>();
        for (String a : composition.overrides) {
            if (a.startsWith("n=")) {
                try {
                    n = Integer.parseInt(a.substring(2));
                } catch (NumberFormatException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "n must be a whole number, got '"
                            + a.substring(2) + "'");
                }
            } else if (a.startsWith("out=")) {
                dest = Path.of(a.substring(4));
            } else if (a.startsWith("set=")) {
                set = a.substring(4);
                if (!set.equals("train") && !set.equals("valid")) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "set must be train or valid, got '" + set + "'");
                }
            } else {
                overrides.add(a);
            }
        }
        if (dest == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give out=<folder> (and n=<items>)");
        }
        Composed config;
        DataConfig data;
        SceneGenerator gen;
        try {
            config = composition.compose(overrides);
            data = ConfigBinder.bind(config, "data", DataConfig.class);
            gen = data.generator();
        } catch (ConfigError | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        SceneSet fixed = set.equals("valid") ? gen.validationSet() : null;
        if (n == null && fixed != null) {
            n = fixed.size();
        }
        if (n == null || n < 1 || (fixed != null && n > fixed.size())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give n=<items, at least 1"
                    + (fixed != null ? ", at most the " + fixed.size() + " of the validation list" : "") + ">");
        }
        IntFunction<Scene> item = set.equals("valid") ? gen::validationScene : gen::generate;
        Path cfg = dest.resolve("config.yaml");
        Map<String, Object> made = new LinkedHashMap<>();
        made.put("data", config.get("data"));
        if (!set.equals("train")) {
            made.put("set", set); // a training set keeps the file earlier versions wrote, so their runs resume
        }
        String dataYaml = org.sep4j.core.config.Yaml.dump(made);
        if (Files.isRegularFile(cfg) && !Files.readString(cfg).equals(dataYaml)) {
            throw new CommandLine.ParameterException(spec.commandLine(), dest + " holds a dataset made with another "
                    + "data config (see " + cfg + "); choose another out= folder");
        }
        Files.createDirectories(dest);
        AtomicFiles.writeString(cfg, dataYaml);
        Dcase2025Layout layout = new Dcase2025Layout(dest);
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!layout.complete(Dcase2025Layout.name(i))) {
                todo.add(i);
            }
        }
        if (todo.size() < n) {
            out.println("resuming: " + (n - todo.size()) + " of " + n + " items already in " + dest);
            out.flush();
        }
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long t0 = System.nanoTime();
        try (ProgressBar bar = ProgressBar.start("generate", todo.size(), "mixtures")) {
            IntStream.range(0, todo.size()).parallel().forEach(k -> {
                int i = todo.get(k);
                try {
                    Scene s = item.apply(i);
                    layout.write(Dcase2025Layout.name(i), s);
                } catch (IOException | RuntimeException e) {
                    failures.add(Dcase2025Layout.name(i) + ": " + e.getMessage());
                }
                bar.step();
            });
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (!failures.isEmpty()) {
            failures.stream().limit(10).forEach(f -> spec.commandLine().getErr().println("sep4j: " + f));
            spec.commandLine().getErr().println("sep4j: " + failures.size() + " item(s) failed; rerun to retry them");
            return 1;
        }
        Map<String, Object> summary = summarize(dest, n, data);
        summary.put("generated_now", (long) todo.size());
        summary.put("seconds", secs);
        AtomicFiles.writeString(dest.resolve("summary.json"), Json.pretty(summary));
        out.printf(Locale.ROOT, "%d mixtures in %s (%d new in %.1f s, %.1f mixtures/s)%n", n, dest, todo.size(), secs,
                todo.isEmpty() ? 0.0 : todo.size() / secs);
        out.printf(Locale.ROOT, "mean targets per mixture %.2f, mean interference %.2f%n", summary.get("mean_targets"),
                summary.get("mean_interferences"));
        out.println("class histogram: " + summary.get("class_histogram"));
        out.println("summary: " + dest.resolve("summary.json") + ", class_histogram.png, snr_histogram.png");
        out.flush();
        return 0;
    }

    /** Reads every item's metadata (also the ones from earlier runs) into histograms. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> summarize(Path dest, int n, DataConfig data) throws IOException {
        Map<String, Long> classes = new TreeMap<>();
        data.library().targets().forEach(c -> classes.put(c, 0L));
        List<Double> snrs = new ArrayList<>();
        long targets = 0;
        long interferences = 0;
        for (int i = 0; i < n; i++) {
            Path meta = dest.resolve(Dcase2025Layout.METADATA).resolve(Dcase2025Layout.name(i) + ".json");
            Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(meta));
            for (Object o : (List<Object>) m.get("targets")) {
                Map<String, Object> e = (Map<String, Object>) o;
                classes.merge((String) e.get("label"), 1L, Long::sum);
                snrs.add(((Number) e.get("snr_db")).doubleValue());
                targets++;
            }
            interferences += ((List<Object>) m.get("interferences")).size();
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("mixtures", (long) n);
        s.put("mean_targets", (double) targets / n);
        s.put("mean_interferences", (double) interferences / n);
        s.put("class_histogram", classes);
        s.put("target_snr_db", snrs.stream().mapToDouble(Double::doubleValue).summaryStatistics().toString());
        Charts.bars(dest.resolve("class_histogram.png"), new ArrayList<>(classes.keySet()),
                classes.values().stream().mapToDouble(Long::doubleValue).toArray(), "targets per class", "count");
        Charts.histogram(dest.resolve("snr_histogram.png"), snrs.stream().mapToDouble(Double::doubleValue).toArray(), 20,
                "target SNR over the background", "dB");
        return s;
    }
}

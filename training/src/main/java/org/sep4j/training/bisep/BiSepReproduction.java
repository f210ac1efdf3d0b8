package org.sep4j.training.bisep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.sep4j.core.config.Composed;
import org.sep4j.core.config.ConfigBinder;
import org.sep4j.core.config.Doc;
import org.sep4j.core.io.AtomicFiles;
import org.sep4j.core.io.Json;
import org.sep4j.data.DataConfig;
import org.sep4j.models.bisep.BiSepConfig;
import org.sep4j.models.clap.ClapConfig;
import org.sep4j.training.Tasks;
import org.sep4j.training.dcase.TrainSettings;

/**
 * {@code sep4j reproduce bisep}: BiSep's comparison at CPU scale. sep4j's CLAP trained on the
 * library's captioned clips, then three separators on the same mixtures of mixtures (unsupervised
 * mix-and-separate, BiSep weakly supervised, supervised), each scored on the same generated test
 * mixtures of two held-out single-class clips queried by text (BSS Eval v3 SDR, SDRi, SI-SDR).
 * Runs live under {@code <reproduce.out>/<preset>/runs}; finished ones are reused (with their
 * {@code test.json}), interrupted ones resume.
 */
public final class BiSepReproduction {

    /** The {@code reproduce.bisep} block. */
    public record Settings(
            @Doc("CLAP training steps") long clapSteps,
            @Doc("training steps of each separator") long steps,
            @Doc("test mixtures every separator is scored on") int testItems) {
    }

    /** The paper's abstract (../shared/specs/bisep-flowsep.md): its tables could not be retrieved. */
    static final double PAPER_GAIN_OVER_UNSUPERVISED = 0.71;
    static final double PAPER_SHARE_OF_SUPERVISED = 0.975;
    static final List<String> MODES = List.of("unsupervised", "weak", "supervised");

    private final Function<List<String>, Composed> compose;
    private final List<String> user;
    private final Settings settings;
    private final Path out;
    private final PrintStream console;

    public BiSepReproduction(Function<List<String>, Composed> compose, List<String> user, String preset, PrintStream console) {
        this.compose = compose;
        Tasks.Reproduction r = Tasks.Reproduction.of(compose, "bisep/reproduce", user, preset);
        this.settings = ConfigBinder.bind(r.config(), "reproduce.bisep", Settings.class);
        this.out = r.out();
        this.user = r.runOverrides();
        this.console = console;
    }

    public Path out() {
        return out;
    }

    /** Trains (or reuses) the CLAP and the three separators, scores them, writes {@code table.md} and {@code results.json}. */
    public String run() throws IOException {
        Path runs = out.resolve("runs");
        Map<String, Object> clap = train("clap/tiny", "clap", settings.clapSteps(), List.of(), "bisep.");
        Path clapRun = runs.resolve("clap/tiny/clap");
        Map<String, Map<String, Object>> scores = new LinkedHashMap<>();
        for (String mode : MODES) {
            List<String> extra = List.of("bisep.clap=" + clapRun, "bisep.test_items=" + settings.testItems());
            Map<String, Object> r = train("bisep/" + mode, mode, settings.steps(), extra, "clap.");
            Map<String, Object> s = new LinkedHashMap<>(test(mode, extra));
            s.put("train_seconds", r.get("train_seconds"));
            s.put("validation_sdri", r.get("best"));
            scores.put(mode, s);
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("clap", clap);
        results.put("test", scores);
        String md = table(clap, scores);
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve("results.json"), Json.pretty(results));
        AtomicFiles.writeString(out.resolve("table.md"), md);
        return md;
    }

    static double value(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    private String table(Map<String, Object> clap, Map<String, Map<String, Object>> s) {
        StringBuilder b = new StringBuilder();
        b.append("# BiSep at CPU scale: text-queried separation of two-source test mixtures\n\n");
        b.append(String.format(Locale.ROOT, "CLAP: %d steps, text->audio recall@1 %.3f on held-out clips (chance %.3f).%n%n",
                settings.clapSteps(), value(clap, "best"), 1.0 / 23));
        b.append("| training | SDR (dB) | SDRi (dB) | SI-SDR (dB) | SI-SDRi (dB) | paper (abstract) |\n|---|---|---|---|---|---|\n");
        for (String mode : MODES) {
            Map<String, Object> m = s.get(mode);
            String paper = switch (mode) {
                case "unsupervised" -> "baseline";
                case "weak" -> String.format(Locale.ROOT, "+%.0f %% SDR over unsupervised; %.1f %% of supervised",
                        100 * PAPER_GAIN_OVER_UNSUPERVISED, 100 * PAPER_SHARE_OF_SUPERVISED);
                default -> "upper bound";
            };
            b.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %s |%n", name(mode), value(m, "sdr"),
                    value(m, "sdri"), value(m, "si_sdr"), value(m, "si_sdri"), paper));
        }
        double u = value(s.get("unsupervised"), "sdri");
        double w = value(s.get("weak"), "sdri");
        double sup = value(s.get("supervised"), "sdri");
        b.append(String.format(Locale.ROOT, "%nHere (on SDRi, as the test mixtures' SDR is near 0 dB): BiSep %+.0f %% over unsupervised "
                + "(paper: +%.0f %% SDR), %.1f %% of supervised (paper: %.1f %%). %d test mixtures, mixture SDR %.2f dB; each source "
                + "queried \"the sound of <class>\"; BSS Eval v3 sources without permutation.%n",
                100 * (w - u) / Math.abs(u), 100 * PAPER_GAIN_OVER_UNSUPERVISED, 100 * w / sup, 100 * PAPER_SHARE_OF_SUPERVISED,
                (int) value(s.get("weak"), "items"), value(s.get("weak"), "mixture_sdr")));
        return b.toString();
    }

    private static String name(String mode) {
        return switch (mode) {
            case "unsupervised" -> "unsupervised (mix-and-separate)";
            case "weak" -> "BiSep (weakly supervised)";
            default -> "supervised";
        };
    }

    /** The run's test scores, from its {@code test.json} when it has them. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> test(String mode, List<String> extra) throws IOException {
        Path run = out.resolve("runs").resolve("bisep").resolve(mode).resolve(mode);
        Path file = run.resolve("test.json");
        if (Files.isRegularFile(file)) {
            Map<String, Object> saved = (Map<String, Object>) Json.parse(Files.readString(file));
            if (((Number) saved.get("requested")).intValue() == settings.testItems()) {
                return saved;
            }
        }
        Composed c = compose.apply(overrides("bisep/" + mode, mode, settings.steps(), extra, "clap."));
        BiSepTask task = BiSepTask.of(ConfigBinder.bind(c, "model.bisep", BiSepConfig.class),
                ConfigBinder.bind(c, "bisep", BiSepTask.Settings.class), ConfigBinder.bind(c, "data", DataConfig.class).library(),
                ConfigBinder.bind(c, "model.clap", ClapConfig.class), ConfigBinder.bind(c, "trainer", TrainSettings.class));
        console.println("bisep " + mode + ": scoring " + settings.testItems() + " test mixtures");
        BiSepTask.Scores sc = task.test(run.resolve("checkpoints"), ((Number) c.get("seed")).longValue(), settings.testItems());
        Map<String, Object> m = new LinkedHashMap<>(sc.asMap());
        m.put("requested", settings.testItems());
        AtomicFiles.writeString(file, Json.pretty(m));
        return m;
    }

    private List<String> overrides(String experiment, String name, long steps, List<String> extra, String otherBlock) {
        List<String> o = new ArrayList<>(List.of("experiment=" + experiment, "run.root=" + out.resolve("runs"), "run.name=" + name,
                "trainer.steps=" + steps, "trainer.warmup=" + Math.max(1, Math.min(steps / 10, 30))));
        o.addAll(extra);
        user.stream().filter(u -> !u.strip().startsWith(otherBlock)).forEach(o::add);
        return o;
    }

    /** One run, reused when its result.json exists. */
    private Map<String, Object> train(String experiment, String name, long steps, List<String> extra, String otherBlock)
            throws IOException {
        return Tasks.runOnce(compose.apply(overrides(experiment, name, steps, extra, otherBlock)),
                out.resolve("runs").resolve(experiment).resolve(name), Map.of("reproduce", "bisep"), console);
    }
}

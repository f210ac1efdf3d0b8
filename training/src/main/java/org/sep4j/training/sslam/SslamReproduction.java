package org.sep4j.training.sslam;

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
import org.sep4j.training.Tasks;

/**
 * {@code sep4j reproduce sslam}: the SSLAM paper's comparison at CPU scale. EAT's pre-training
 * (stage 1) of the encoder on the embedded scenes, SSLAM's stage 2 continued from it, then the
 * linear evaluation (frozen encoder, the scenes' weak labels, mAP) of a random encoder, EAT and
 * SSLAM, each with the patch-mean and the CLS feature. Every run lives under
 * {@code <reproduce.out>/<preset>/runs}; a finished one is reused, an interrupted one resumes.
 */
public final class SslamReproduction {

    /** The {@code reproduce.sslam} block. */
    public record Settings(
            @Doc("EAT (stage 1) pre-training steps") long eatSteps,
            @Doc("SSLAM stage-2 steps, continued from stage 1") long sslamSteps,
            @Doc("linear-probe steps on the cached features") long probeSteps,
            @Doc("linear-probe peak learning rate") double probeLr) {
    }

    /** The published AS-2M mAP after fine-tuning (../shared/specs/sslam.md), as the anchor column. */
    private static final Map<String, Double> PUBLISHED = Map.of("eat", 48.6, "sslam", 50.2);
    private static final List<String> POOLS = List.of("mean", "cls");

    private final Function<List<String>, Composed> compose;
    private final List<String> user;
    private final Settings settings;
    private final Path out;
    private final PrintStream console;

    public SslamReproduction(Function<List<String>, Composed> compose, List<String> user, String preset, PrintStream console) {
        this.compose = compose;
        Tasks.Reproduction r = Tasks.Reproduction.of(compose, "sslam/reproduce", user, preset);
        this.settings = ConfigBinder.bind(r.config(), "reproduce.sslam", Settings.class);
        this.out = r.out();
        this.user = r.runOverrides();
        this.console = console;
    }

    public Path out() {
        return out;
    }

    /** Runs (or reuses) the pre-training and the probes, writes {@code table.md} and {@code results.json}; returns the table. */
    public String run() throws IOException {
        Path runs = out.resolve("runs");
        Map<String, Object> eat = train("sslam/pretrain", "eat", settings.eatSteps(), List.of());
        Path eatLast = runs.resolve("sslam/pretrain/eat/checkpoints/last");
        Map<String, Object> sslam = train("sslam/stage2", "sslam", settings.sslamSteps(), List.of("pretrain.init=" + eatLast));
        Map<String, Path> encoders = new LinkedHashMap<>();
        encoders.put("random", null);
        encoders.put("eat", eatLast);
        encoders.put("sslam", runs.resolve("sslam/stage2/sslam/checkpoints/last"));
        Map<String, Map<String, Double>> map = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : encoders.entrySet()) {
            for (String pool : POOLS) {
                List<String> o = new ArrayList<>(List.of("probe.pool=" + pool, "trainer.lr=" + settings.probeLr()));
                if (e.getValue() != null) {
                    o.add("probe.weights=" + e.getValue());
                }
                Map<String, Object> r = train("sslam/linear", e.getKey() + "-" + pool, settings.probeSteps(), o);
                map.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()).put(pool, ((Number) r.get("best")).doubleValue());
            }
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("linear_map", map);
        results.put("eat", eat);
        results.put("sslam", sslam);
        String md = table(map, eat, sslam);
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve("results.json"), Json.pretty(results));
        AtomicFiles.writeString(out.resolve("table.md"), md);
        return md;
    }

    private String table(Map<String, Map<String, Double>> map, Map<String, Object> eat, Map<String, Object> sslam) {
        StringBuilder b = new StringBuilder();
        b.append("# SSLAM at CPU scale: linear evaluation on the embedded scenes' weak labels\n\n");
        b.append("| encoder | pre-training | linear mAP, patch mean | linear mAP, CLS | published AS-2M mAP (fine-tuned) |\n");
        b.append("|---|---|---|---|---|\n");
        for (Map.Entry<String, Map<String, Double>> e : map.entrySet()) {
            String what = switch (e.getKey()) {
                case "random" -> "none (random init)";
                case "eat" -> String.format(Locale.ROOT, "EAT, %d steps (last loss %.3f)", settings.eatSteps(), eat.get("last_loss"));
                default -> String.format(Locale.ROOT, "EAT %d + SSLAM stage 2, %d steps (last loss %.3f)", settings.eatSteps(),
                        settings.sslamSteps(), sslam.get("last_loss"));
            };
            Double published = PUBLISHED.get(e.getKey());
            b.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %.4f | %s |%n", e.getKey(), what, e.getValue().get("mean"),
                    e.getValue().get("cls"), published == null ? "–" : String.format(Locale.ROOT, "%.1f", published)));
        }
        b.append("\nmAP over the scene classes on the validation scenes (the probe's best validation); the published column is "
                + "the paper's AudioSet-2M fine-tuned mAP (ViT-B, 2 M clips), an anchor, not a like-for-like number.\n");
        return b.toString();
    }

    /** One run, reused when its result.json exists. */
    private Map<String, Object> train(String experiment, String name, long steps, List<String> extra) throws IOException {
        List<String> o = new ArrayList<>(List.of("experiment=" + experiment, "run.root=" + out.resolve("runs"), "run.name=" + name,
                "trainer.steps=" + steps, "trainer.warmup=" + Math.max(1, Math.min(steps / 10, 30))));
        o.addAll(extra);
        // the user's block overrides go to the runs that have the block
        String other = experiment.equals("sslam/linear") ? "pretrain." : "probe.";
        user.stream().filter(u -> !u.strip().startsWith(other)).forEach(o::add);
        return Tasks.runOnce(compose.apply(o), out.resolve("runs").resolve(experiment).resolve(name), Map.of("reproduce", "sslam"),
                console);
    }
}

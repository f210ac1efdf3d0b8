package org.sep4j.training.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sep4j.core.config.Composed;
import org.sep4j.core.config.Yaml;
import org.sep4j.core.io.AtomicFiles;
import org.sep4j.core.io.Json;

/**
 * One run's folder: {@code <root>/<experiment>/<name>/} with {@code config.yaml} (the resolved
 * config), {@code overrides.txt}, {@code git.txt} (commit and dirty state when run from a git
 * checkout) and {@code provenance.json} (sep4j, JVM, OS, CPU). An existing folder with the same
 * config is reused (a rerun resumes); one with a different config is an error rather than a silent mix.
 *
 * @param dir        the folder
 * @param experiment the experiment name (its group option, or "default")
 * @param resumed    whether the folder existed already
 */
public record RunFolder(Path dir, String experiment, boolean resumed) {

    /**
     * The keys {@code config} has and the run's old config lacks, when that is the only difference
     * and none of them was set on the command line: keys a newer sep4j added, at defaults that keep
     * the old behaviour, so the run resumes. Null when the configs differ otherwise.
     */
    static List<String> addedSince(Map<String, Object> old, Composed config) {
        Map<String, Object> was = new LinkedHashMap<>();
        Map<String, Object> now = new LinkedHashMap<>();
        flatten("", old, was);
        flatten("", config.tree(), now);
        for (Map.Entry<String, Object> e : was.entrySet()) {
            if (!now.containsKey(e.getKey()) || !java.util.Objects.equals(String.valueOf(now.get(e.getKey())),
                    String.valueOf(e.getValue()))) {
                return null;
            }
        }
        List<String> added = new java.util.ArrayList<>();
        for (String k : now.keySet()) {
            if (!was.containsKey(k)) {
                boolean overridden = config.overrides().stream().map(o -> o.replaceFirst("^[+~]+", ""))
                        .anyMatch(o -> o.startsWith(k + "=") || k.startsWith(o.split("=", 2)[0] + "."));
                if (overridden) {
                    return null;
                }
                added.add(k);
            }
        }
        return added;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> tree, Map<String, Object> out) {
        for (Map.Entry<String, Object> e : tree.entrySet()) {
            String k = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> m && !m.isEmpty()) {
                flatten(k + ".", (Map<String, Object>) m, out);
            } else {
                out.put(k, e.getValue());
            }
        }
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss");

    public static RunFolder create(Composed config, RunSettings run, Map<String, Object> provenance) throws IOException {
        String experiment = config.choices().getOrDefault("experiment", "default");
        String name = run.name() != null ? run.name() : LocalDateTime.now().format(STAMP);
        Path dir = run.root().resolve(experiment).resolve(name);
        String yaml = config.yaml();
        boolean resumed = false;
        List<String> added = List.of();
        if (Files.isRegularFile(dir.resolve("config.yaml"))) {
            String old = Files.readString(dir.resolve("config.yaml"));
            if (!old.equals(yaml)) {
                added = addedSince(Yaml.load(old, dir.resolve("config.yaml").toString()), config);
                if (added == null) {
                    throw new IOException(dir + " already holds a run with a different config; choose another run.name "
                            + "or delete the folder (compare " + dir.resolve("config.yaml") + " with 'sep4j config show')");
                }
            }
            resumed = true;
        }
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve("config.yaml"), yaml);
        AtomicFiles.writeString(dir.resolve("overrides.txt"), String.join("\n", config.overrides())
                + (config.overrides().isEmpty() ? "" : "\n"));
        String git = gitState();
        if (git != null) {
            AtomicFiles.writeString(dir.resolve("git.txt"), git);
        }
        Map<String, Object> prov = new LinkedHashMap<>(provenance);
        prov.put("jvm", Runtime.version().toString() + " (" + System.getProperty("java.vendor") + ")");
        prov.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        prov.put("cores", (long) Runtime.getRuntime().availableProcessors());
        prov.put("started", LocalDateTime.now().toString());
        prov.put("choices", new LinkedHashMap<>(config.choices()));
        if (!added.isEmpty()) {
            prov.put("keys_added_since_the_run_began", added);
        }
        AtomicFiles.writeString(dir.resolve(resumed ? "provenance.resumed.json" : "provenance.json"), Json.pretty(prov));
        return new RunFolder(dir, experiment, resumed);
    }

    /** "commit <sha>\ndirty: yes|no\n" when the working directory is a git checkout, else null. */
    static String gitState() {
        String sha = run("git", "rev-parse", "HEAD");
        if (sha == null) {
            return null;
        }
        String status = run("git", "status", "--porcelain", "--untracked-files=no");
        return "commit " + sha.strip() + "\ndirty: " + (status == null || status.isBlank() ? "no" : "yes")
                + "\n";
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

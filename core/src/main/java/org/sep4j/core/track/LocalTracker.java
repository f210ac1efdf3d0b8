package org.sep4j.core.track;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.sep4j.core.io.AtomicFiles;
import org.sep4j.core.io.Json;
import org.sep4j.core.plot.Charts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracker that is always on: in the run folder, {@code metrics.jsonl} (one row per
 * {@link #log}, flushed as it goes, so a killed run keeps its history), {@code metrics.csv} and
 * {@code curves/<metric>.png} at finish, {@code summary.json} (atomic) and {@code files/}.
 * A resumed run appends to the existing history.
 */
public final class LocalTracker implements Tracker {

    private static final Logger LOG = LoggerFactory.getLogger(LocalTracker.class);

    private final Map<String, TreeMap<Long, Double>> series = new LinkedHashMap<>();
    private final Map<String, Object> summary = new LinkedHashMap<>();
    private Path dir;
    private BufferedWriter jsonl;

    @Override
    public synchronized void start(RunInfo run, Map<String, Object> config) {
        dir = run.dir();
        try {
            Files.createDirectories(dir);
            Path history = dir.resolve("metrics.jsonl");
            if (Files.exists(history)) {
                for (String line : Files.readAllLines(history, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        remember(Json.parse(line));
                    }
                }
            }
            Path old = dir.resolve("summary.json");
            if (Files.exists(old) && Json.parse(Files.readString(old)) instanceof Map<?, ?> m) {
                m.forEach((k, v) -> summary.put(String.valueOf(k), v));
            }
            jsonl = Files.newBufferedWriter(history, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private void remember(Object row) {
        if (!(row instanceof Map<?, ?> m) || !(m.get("step") instanceof Number step)) {
            return;
        }
        m.forEach((k, v) -> {
            if (!"step".equals(k) && !"time".equals(k) && v instanceof Number n) {
                series.computeIfAbsent(String.valueOf(k), x -> new TreeMap<>()).put(step.longValue(), n.doubleValue());
            }
        });
    }

    @Override
    public synchronized void log(long step, Map<String, Double> metrics) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", step);
        row.put("time", System.currentTimeMillis() / 1000.0);
        row.putAll(metrics);
        remember(row);
        try {
            jsonl.write(Json.write(row));
            jsonl.newLine();
            jsonl.flush();
        } catch (IOException e) {
            LOG.warn("could not append to {}: {}", dir.resolve("metrics.jsonl"), e.getMessage());
        }
    }

    @Override
    public synchronized void summary(Map<String, Object> values) {
        summary.putAll(values);
        try {
            AtomicFiles.writeString(dir.resolve("summary.json"), Json.pretty(summary));
        } catch (IOException e) {
            LOG.warn("could not write {}: {}", dir.resolve("summary.json"), e.getMessage());
        }
    }

    @Override
    public synchronized void file(String name, Path file) {
        try {
            Path target = dir.resolve("files").resolve(name);
            Files.createDirectories(target.getParent());
            if (!file.toAbsolutePath().equals(target.toAbsolutePath())) {
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("could not store file {}: {}", name, e.getMessage());
        }
    }

    @Override
    public synchronized void finish(Status status) {
        try {
            writeCsv();
            writeCurves();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
            summary(s);
        } catch (IOException e) {
            LOG.warn("could not write the learning curves of {}: {}", dir, e.getMessage());
        }
    }

    private void writeCsv() throws IOException {
        Set<Long> steps = new java.util.TreeSet<>();
        series.values().forEach(m -> steps.addAll(m.keySet()));
        List<String> cols = new ArrayList<>(series.keySet());
        StringBuilder sb = new StringBuilder("step");
        for (String c : cols) {
            sb.append(',').append(c);
        }
        sb.append('\n');
        for (long step : steps) {
            sb.append(step);
            for (String c : cols) {
                Double v = series.get(c).get(step);
                sb.append(',').append(v == null ? "" : v.toString());
            }
            sb.append('\n');
        }
        AtomicFiles.writeString(dir.resolve("metrics.csv"), sb.toString());
    }

    /** One PNG per metric prefix (train/..., val/...), each metric a line over steps. */
    private void writeCurves() throws IOException {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String k : series.keySet()) {
            int slash = k.indexOf('/');
            groups.computeIfAbsent(slash > 0 ? k.substring(0, slash) : k, x -> new ArrayList<>()).add(k);
        }
        for (Map.Entry<String, List<String>> g : groups.entrySet()) {
            Set<Long> steps = new java.util.TreeSet<>();
            g.getValue().forEach(k -> steps.addAll(series.get(k).keySet()));
            if (steps.isEmpty()) {
                continue;
            }
            double[] x = steps.stream().mapToDouble(Long::doubleValue).toArray();
            List<Charts.Series> lines = new ArrayList<>();
            for (String k : g.getValue()) {
                double[] y = new double[x.length];
                int i = 0;
                for (long s : steps) {
                    Double v = series.get(k).get(s);
                    y[i++] = v == null ? Double.NaN : v;
                }
                lines.add(new Charts.Series(k, y));
            }
            String safe = g.getKey().replaceAll("[^A-Za-z0-9_.-]", "_");
            Charts.lines(dir.resolve("curves").resolve(safe + ".png"), x, lines, g.getKey(), "step", "value");
        }
    }

    @Override
    public synchronized void close() {
        if (jsonl != null) {
            try {
                jsonl.close();
            } catch (IOException e) {
                LOG.warn("could not close {}: {}", dir.resolve("metrics.jsonl"), e.getMessage());
            }
            jsonl = null;
        }
    }
}

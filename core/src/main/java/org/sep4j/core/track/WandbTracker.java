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
import org.sep4j.core.io.AtomicFiles;
import org.sep4j.core.io.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weights &amp; Biases tracking. Everything is first appended to {@code <run>/wandb/offline.jsonl}
 * (and files copied to {@code <run>/wandb/files/}); in online mode it is also sent — history rows
 * batched — through {@link WandbClient}. When the server stays unreachable after the retries, the
 * tracker logs one warning, goes offline for the rest of the run and leaves an {@code UNSYNCED}
 * marker: {@code sep4j wandb sync <run-dir>} uploads the run later. Training never stops for it.
 */
public final class WandbTracker implements Tracker {

    private static final Logger LOG = LoggerFactory.getLogger(WandbTracker.class);
    private static final int BATCH_ROWS = 32;
    private static final long BATCH_MILLIS = 5_000;

    private final WandbSettings settings;
    private final WandbClient client;
    private final Map<String, Object> summary = new LinkedHashMap<>();
    private final List<String> pending = new ArrayList<>();
    private RunInfo run;
    private Path dir;
    private BufferedWriter log;
    private boolean online;
    private long sentRows;
    private long lastFlush;
    private String failure;

    public WandbTracker(WandbSettings settings) {
        this.settings = settings;
        this.online = settings.mode() == WandbSettings.Mode.ONLINE;
        this.client = online ? new WandbClient(settings) : null;
    }

    /** The folder of a run's W&B log. */
    public static Path folder(Path runDir) {
        return runDir.resolve("wandb");
    }

    @Override
    public synchronized void start(RunInfo run, Map<String, Object> config) {
        this.run = run;
        this.dir = folder(run.dir());
        try {
            Files.createDirectories(dir.resolve("files"));
            log = Files.newBufferedWriter(dir.resolve("offline.jsonl"), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir + ": " + e.getMessage(), e);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", run.id());
        r.put("name", run.name());
        r.put("group", run.group());
        record(Map.of("op", "start", "run", r, "config", config));
        remote(() -> client.upsertRun(run, config));
        lastFlush = System.currentTimeMillis();
    }

    @Override
    public synchronized void log(long step, Map<String, Double> metrics) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("_step", step);
        row.put("_timestamp", System.currentTimeMillis() / 1000.0);
        row.putAll(metrics);
        record(Map.of("op", "history", "row", row));
        if (online) {
            pending.add(Json.write(row));
            if (pending.size() >= BATCH_ROWS || System.currentTimeMillis() - lastFlush >= BATCH_MILLIS) {
                flush();
            }
        }
    }

    private void flush() {
        if (!online || pending.isEmpty()) {
            return;
        }
        List<String> rows = new ArrayList<>(pending);
        long offset = sentRows;
        remote(() -> client.history(run, offset, rows));
        if (online) {
            sentRows += rows.size();
            pending.clear();
        }
        lastFlush = System.currentTimeMillis();
    }

    @Override
    public synchronized void summary(Map<String, Object> values) {
        summary.putAll(values);
        record(Map.of("op", "summary", "values", values));
        flush();
        Map<String, Object> snapshot = new LinkedHashMap<>(summary);
        remote(() -> client.summary(run, snapshot));
    }

    @Override
    public synchronized void file(String name, Path file) {
        Path copy = dir.resolve("files").resolve(name);
        try {
            Files.createDirectories(copy.getParent());
            Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("W&B: could not keep a copy of {}: {}", file, e.getMessage());
            return;
        }
        record(Map.of("op", "file", "name", name));
        remote(() -> client.upload(run, name, copy));
    }

    @Override
    public synchronized void finish(Status status) {
        record(Map.of("op", "finish", "exitcode", (long) status.exitCode()));
        flush();
        remote(() -> client.finish(run, status.exitCode()));
        try {
            if (settings.mode() != WandbSettings.Mode.ONLINE || failure != null) {
                AtomicFiles.writeString(dir.resolve("UNSYNCED"), failure == null
                        ? "offline run: upload with 'sep4j wandb sync " + run.dir() + "'\n"
                        : "upload failed (" + failure + "): retry with 'sep4j wandb sync " + run.dir() + "'\n");
            } else {
                AtomicFiles.writeString(dir.resolve("SYNCED"), "uploaded\n");
            }
        } catch (IOException e) {
            LOG.warn("W&B: could not write the sync marker in {}: {}", dir, e.getMessage());
        }
    }

    /** Whether the tracker still talks to the server. */
    public synchronized boolean online() {
        return online;
    }

    private interface Call {
        void run() throws IOException;
    }

    private void remote(Call call) {
        if (!online) {
            return;
        }
        try {
            call.run();
        } catch (IOException | RuntimeException e) {
            online = false;
            failure = e.getMessage();
            LOG.warn("W&B unreachable ({}); continuing offline, everything is kept in {} for 'sep4j wandb sync'",
                    e.getMessage(), dir);
        }
    }

    private void record(Map<String, Object> op) {
        try {
            log.write(Json.write(op));
            log.newLine();
            log.flush();
        } catch (IOException e) {
            LOG.warn("W&B: could not append to {}: {}", dir.resolve("offline.jsonl"), e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                LOG.warn("W&B: could not close the offline log: {}", e.getMessage());
            }
            log = null;
        }
    }

    /**
     * Uploads a run's offline log: the run with its config, every history row, the merged summary,
     * the files and the final status. Replaying is idempotent (history rows carry their offsets).
     *
     * @return the number of history rows sent
     */
    @SuppressWarnings("unchecked")
    public static long sync(Path runDir, WandbSettings settings) throws IOException {
        Path d = folder(runDir);
        Path offline = d.resolve("offline.jsonl");
        if (!Files.isRegularFile(offline)) {
            throw new IOException(runDir + ": no W&B offline log (expected " + offline + ")");
        }
        WandbClient client = new WandbClient(settings.withMode(WandbSettings.Mode.ONLINE));
        RunInfo run = null;
        Map<String, Object> config = Map.of();
        List<String> rows = new ArrayList<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        List<String> files = new ArrayList<>();
        int exit = -1;
        int lineNo = 0;
        for (String line : Files.readAllLines(offline, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            Object parsed;
            try {
                parsed = Json.parse(line);
            } catch (IllegalArgumentException e) {
                throw new IOException(offline + " line " + lineNo + ": " + e.getMessage());
            }
            Map<String, Object> op = (Map<String, Object>) parsed;
            switch (String.valueOf(op.get("op"))) {
                case "start" -> {
                    Map<String, Object> r = (Map<String, Object>) op.get("run");
                    run = new RunInfo((String) r.get("id"), (String) r.get("name"), (String) r.get("group"), runDir);
                    config = (Map<String, Object>) op.get("config");
                }
                case "history" -> rows.add(Json.write(op.get("row")));
                case "summary" -> summary.putAll((Map<String, Object>) op.get("values"));
                case "file" -> files.add((String) op.get("name"));
                case "finish" -> exit = ((Number) op.get("exitcode")).intValue();
                default -> throw new IOException(offline + " line " + lineNo + ": unknown op " + op.get("op"));
            }
        }
        if (run == null) {
            throw new IOException(offline + ": no 'start' record; the run's offline log is incomplete");
        }
        client.upsertRun(run, config);
        for (int i = 0; i < rows.size(); i += 500) {
            client.history(run, i, rows.subList(i, Math.min(rows.size(), i + 500)));
        }
        if (!summary.isEmpty()) {
            client.summary(run, summary);
        }
        for (String f : files) {
            client.upload(run, f, d.resolve("files").resolve(f));
        }
        if (exit >= 0) {
            client.finish(run, exit);
        }
        Files.deleteIfExists(d.resolve("UNSYNCED"));
        AtomicFiles.writeString(d.resolve("SYNCED"), "uploaded by sep4j wandb sync\n");
        return rows.size();
    }
}

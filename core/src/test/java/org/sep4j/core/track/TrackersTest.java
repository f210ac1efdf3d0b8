package org.sep4j.core.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.io.Json;
import org.sep4j.core.testing.FakeWandbServer;

class TrackersTest {

    @TempDir
    Path dir;

    private static void threeSteps(Tracker t, RunInfo run, Path extra) {
        t.start(run, Map.of("model", Map.of("depth", 2L), "seed", 7L));
        for (int s = 1; s <= 3; s++) {
            Map<String, Double> m = new java.util.LinkedHashMap<>();
            m.put("train/loss", 1.0 / s);
            m.put("train/lr", 1e-3);
            t.log(s, m);
        }
        t.log(3, Map.of("val/sdr", 4.5));
        t.file("table.md", extra);
        t.summary(Map.of("best/val_sdr", 4.5));
        t.finish(Tracker.Status.FINISHED);
        t.close();
    }

    @Test
    void localTrackerWritesHistoryCsvCurvesAndSummaryAndResumes() throws Exception {
        Path run = dir.resolve("run");
        Path extra = Files.writeString(dir.resolve("t.md"), "| a |\n");
        threeSteps(new LocalTracker(), new RunInfo("r1", "r1", "exp", run), extra);
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(lines).hasSize(4);
        assertThat(Json.parse(lines.get(0))).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("step", 1L).containsEntry("train/loss", 1.0);
        String csv = Files.readString(run.resolve("metrics.csv"));
        assertThat(csv.lines().findFirst().orElseThrow()).isEqualTo("step,train/loss,train/lr,val/sdr");
        assertThat(csv).contains("3,0.3333333333333333,0.001,4.5");
        assertThat(run.resolve("curves/train.png")).exists();
        assertThat(run.resolve("curves/val.png")).exists();
        assertThat(run.resolve("files/table.md")).hasContent("| a |");
        assertThat(Files.readString(run.resolve("summary.json"))).contains("\"best/val_sdr\": 4.5").contains("\"status\": \"finished\"");
        // a resumed run appends and keeps the earlier curve points
        LocalTracker again = new LocalTracker();
        again.start(new RunInfo("r1", "r1", "exp", run), Map.of());
        again.log(4, Map.of("train/loss", 0.2));
        again.finish(Tracker.Status.FINISHED);
        again.close();
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(5);
        assertThat(Files.readString(run.resolve("metrics.csv"))).contains("\n1,1.0,").contains("\n4,0.2,");
        assertThat(Files.readString(run.resolve("summary.json"))).contains("best/val_sdr");
    }

    @Test
    void wandbOnlineSpeaksTheHttpApi() throws Exception {
        try (FakeWandbServer server = new FakeWandbServer()) {
            Path run = dir.resolve("online");
            Path extra = Files.writeString(dir.resolve("t.md"), "table");
            WandbSettings s = new WandbSettings(WandbSettings.Mode.ONLINE, server.url(), null, "sep4j", "k3y", 2, 1);
            WandbTracker t = new WandbTracker(s);
            threeSteps(t, new RunInfo("r42", "first", "exp", run), extra);
            assertThat(t.online()).isTrue();
            List<FakeWandbServer.Request> req = server.requests();
            assertThat(req).allSatisfy(r -> {
                if (!r.path().startsWith("/upload")) {
                    assertThat(r.auth()).isEqualTo("Basic " + java.util.Base64.getEncoder()
                            .encodeToString("api:k3y".getBytes(StandardCharsets.UTF_8)));
                }
            });
            Map<String, Object> upsert = req.get(0).json();
            assertThat(req.get(0).path()).isEqualTo("/graphql");
            @SuppressWarnings("unchecked")
            Map<String, Object> vars = (Map<String, Object>) upsert.get("variables");
            assertThat(vars).containsEntry("name", "r42").containsEntry("project", "sep4j").containsEntry("displayName", "first");
            assertThat(Json.parse((String) vars.get("config"))).isEqualTo(Json.parse(
                    "{\"model\":{\"value\":{\"depth\":2},\"desc\":null},\"seed\":{\"value\":7,\"desc\":null}}"));
            List<FakeWandbServer.Request> streams = req.stream().filter(r -> r.path().equals("/files/tester/sep4j/r42/file_stream")).toList();
            assertThat(historySteps(streams)).containsExactly(1L, 2L, 3L, 3L);
            String all = String.join("\n", streams.stream().map(FakeWandbServer.Request::body).toList());
            assertThat(all).contains("wandb-summary.json").contains("best/val_sdr").contains("\"complete\":true")
                    .contains("\"exitcode\":0");
            assertThat(req).anySatisfy(r -> assertThat(r.method() + " " + r.path() + " " + r.body()).isEqualTo("PUT /upload/f table"));
            assertThat(run.resolve("wandb/SYNCED")).exists();
        }
    }

    @Test
    void outagesFallBackToOfflineAndSyncUploadsLater() throws Exception {
        try (FakeWandbServer server = new FakeWandbServer()) {
            Path run = dir.resolve("flaky");
            Path extra = Files.writeString(dir.resolve("t.md"), "table");
            WandbSettings s = new WandbSettings(WandbSettings.Mode.ONLINE, server.url(), "team", "sep4j", "k", 2, 1);
            server.failNext(1000);
            WandbTracker t = new WandbTracker(s);
            threeSteps(t, new RunInfo("r7", "r7", "exp", run), extra);
            assertThat(t.online()).isFalse();
            assertThat(server.requests()).hasSize(2); // one call, retried once, then offline
            assertThat(Files.readString(run.resolve("wandb/UNSYNCED"))).contains("sep4j wandb sync");
            server.failNext(0);
            long rows = WandbTracker.sync(run, s);
            assertThat(rows).isEqualTo(4);
            List<FakeWandbServer.Request> after = server.requests().subList(2, server.requests().size());
            assertThat(after.get(0).body()).contains("upsertBucket");
            assertThat(historySteps(after)).containsExactly(1L, 2L, 3L, 3L);
            String all = String.join("\n", after.stream().map(FakeWandbServer.Request::body).toList());
            assertThat(all).contains("best/val_sdr").contains("\"complete\":true").contains("table");
            assertThat(run.resolve("wandb/UNSYNCED")).doesNotExist();
            assertThat(run.resolve("wandb/SYNCED")).exists();
        }
    }

    /** The _step of every history row sent, in offset order; checks offsets are contiguous from 0. */
    @SuppressWarnings("unchecked")
    private static List<Long> historySteps(List<FakeWandbServer.Request> requests) {
        java.util.List<Long> steps = new java.util.ArrayList<>();
        for (FakeWandbServer.Request r : requests) {
            if (!r.path().endsWith("/file_stream")) {
                continue;
            }
            Map<String, Object> files = (Map<String, Object>) r.json().get("files");
            if (files == null || !files.containsKey("wandb-history.jsonl")) {
                continue;
            }
            Map<String, Object> h = (Map<String, Object>) files.get("wandb-history.jsonl");
            assertThat(((Number) h.get("offset")).longValue()).isEqualTo(steps.size());
            for (Object row : (List<Object>) h.get("content")) {
                steps.add(((Number) ((Map<String, Object>) Json.parse((String) row)).get("_step")).longValue());
            }
        }
        return steps;
    }

    @Test
    void offlineModeNeedsNoKeyAndOnlineModeDoes() {
        assertThat(new WandbSettings(WandbSettings.Mode.OFFLINE, "https://api.wandb.ai", null, "p", null, 3, 1000)).isNotNull();
        assertThatThrownBy(() -> new WandbSettings(WandbSettings.Mode.ONLINE, "https://api.wandb.ai", null, "p", null, 3, 1000))
                .hasMessageContaining("WANDB_API_KEY");
        assertThatThrownBy(() -> WandbTracker.sync(dir, new WandbSettings(WandbSettings.Mode.ONLINE, "http://127.0.0.1:9", null, "p", "k", 1, 1)))
                .hasMessageContaining("no W&B offline log");
    }
}

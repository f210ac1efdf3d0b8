package org.sep4j.training.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.config.Composed;
import org.sep4j.core.config.ConfigComposer;
import org.sep4j.core.config.ConfigError;
import org.sep4j.core.testing.FakeWandbServer;

class ExperimentTest {

    @TempDir
    Path dir;

    private Composed compose(String... overrides) {
        return ConfigComposer.standard(null).compose("config", List.of(overrides));
    }

    /** A fake 3-step "run" through both trackers, as a trainer will drive them. */
    private Path fakeRun(Composed config, Map<String, String> env) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (Experiment exp = Experiment.open(config, Map.of("sep4j", "test"), new PrintStream(console, true,
                StandardCharsets.UTF_8), env)) {
            for (int step = 1; step <= 3; step++) {
                exp.tracker().log(step, Map.of("train/loss", 1.0 / step));
                exp.debug("step " + step);
            }
            exp.tracker().summary(Map.of("final/loss", 1.0 / 3));
            exp.succeeded();
            assertThat(console.toString(StandardCharsets.UTF_8)).containsAnyOf("run folder ", "resuming run in ");
            return exp.folder().dir();
        }
    }

    @Test
    void aThreeStepRunFillsItsFolderAndBothTrackers() throws Exception {
        try (FakeWandbServer server = new FakeWandbServer()) {
            Composed config = compose("experiment=example", "run.root=" + dir, "tracking.wandb.mode=online",
                    "tracking.wandb.base_url=" + server.url(), "tracking.wandb.backoff_ms=1", "seed=3");
            Path run = fakeRun(config, Map.of("WANDB_API_KEY", "secret"));
            assertThat(run).isEqualTo(dir.resolve("example").resolve("example"));
            assertThat(Files.readString(run.resolve("config.yaml"))).contains("seed: 3").contains("mode: online")
                    .doesNotContain("secret");
            assertThat(Files.readAllLines(run.resolve("overrides.txt"))).contains("experiment=example", "seed=3");
            assertThat(run.resolve("provenance.json")).exists();
            assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(3);
            assertThat(run.resolve("curves/train.png")).exists();
            assertThat(Files.readString(run.resolve("summary.json"))).contains("final/loss").contains("finished");
            assertThat(Files.readString(run.resolve("run.log"))).contains("DEBUG step 2").contains("run finished");
            assertThat(Files.readAllLines(run.resolve("wandb/offline.jsonl"))).hasSize(1 + 3 + 1 + 1);
            assertThat(server.requests()).isNotEmpty();
            assertThat(server.requests().get(0).body()).contains("upsertBucket").contains("\\\"seed\\\":{\\\"value\\\":3");
            assertThat(run.resolve("wandb/SYNCED")).exists();

            // the same config again resumes in the same folder; a different one refuses to mix
            Path again = fakeRun(config, Map.of("WANDB_API_KEY", "secret"));
            assertThat(again).isEqualTo(run);
            assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(6);
            assertThatThrownBy(() -> fakeRun(compose("experiment=example", "run.root=" + dir, "seed=4"), Map.of()))
                    .hasMessageContaining("different config");
        }
    }

    @Test
    void aRunBegunBeforeANewKeyExistedResumesUnlessTheKeyIsSet() throws Exception {
        Composed config = compose("run.root=" + dir, "run.name=old");
        Path run = fakeRun(config, Map.of());
        // the config as an older sep4j wrote it: without model.sed.backbone
        String old = Files.readString(run.resolve("config.yaml"));
        assertThat(old).contains("    backbone: m2d\n");
        Files.writeString(run.resolve("config.yaml"), old.replace("    backbone: m2d\n", ""));
        assertThat(fakeRun(compose("run.root=" + dir, "run.name=old"), Map.of())).isEqualTo(run);
        assertThat(Files.readString(run.resolve("provenance.resumed.json"))).contains("model.sed.backbone");
        assertThat(Files.readString(run.resolve("config.yaml"))).isEqualTo(old);
        Files.writeString(run.resolve("config.yaml"), old.replace("    backbone: m2d\n", ""));
        assertThatThrownBy(() -> fakeRun(compose("run.root=" + dir, "run.name=old", "model.sed.backbone=sslam",
                "model.sed.n_mels=128"), Map.of())).hasMessageContaining("different config");
        assertThatThrownBy(() -> fakeRun(compose("run.root=" + dir, "run.name=old", "model.sed.backbone=m2d"), Map.of()))
                .as("set on the command line, even to the default: the user asked for it").hasMessageContaining("different config");
    }

    @Test
    void badRunAndTrackingBlocksFailBeforeAnyFolderExists() {
        assertThatThrownBy(() -> fakeRun(compose("run.root=" + dir, "+run.nmae=x"), Map.of()))
                .isInstanceOf(ConfigError.class).hasMessageContaining("unknown key 'run.nmae'")
                .hasMessageContaining("did you mean 'name'");
        assertThatThrownBy(() -> fakeRun(compose("run.root=" + dir, "tracking.wandb.mode=sometimes"), Map.of()))
                .hasMessageContaining("wandb.mode must be online, offline or disabled");
        assertThatThrownBy(() -> fakeRun(compose("run.root=" + dir, "tracking.wandb.mode=online"), Map.of()))
                .hasMessageContaining("WANDB_API_KEY");
        assertThat(dir.resolve("default")).doesNotExist();
    }
}

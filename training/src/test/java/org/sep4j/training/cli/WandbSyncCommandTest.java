package org.sep4j.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.config.ConfigComposer;
import org.sep4j.core.testing.FakeWandbServer;
import org.sep4j.training.experiment.Experiment;
import picocli.CommandLine;

class WandbSyncCommandTest {

    @Test
    void offlineRunsUploadLaterWithSync(@TempDir Path dir) throws Exception {
        try (FakeWandbServer server = new FakeWandbServer()) {
            var config = ConfigComposer.standard(null).compose("config", List.of("run.root=" + dir, "run.name=offline",
                    "tracking.wandb.mode=offline", "tracking.wandb.base_url=" + server.url()));
            Path run;
            try (Experiment exp = Experiment.open(config, Map.of(), new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8), Map.of())) {
                for (int step = 1; step <= 3; step++) {
                    exp.tracker().log(step, Map.of("train/loss", 1.0 / step));
                }
                exp.succeeded();
                run = exp.folder().dir();
            }
            assertThat(server.requests()).isEmpty();
            assertThat(run.resolve("wandb/UNSYNCED")).exists();

            WandbCommand.Sync sync = new WandbCommand.Sync();
            sync.env = Map.of("WANDB_API_KEY", "k")::get;
            StringWriter out = new StringWriter();
            int code = new CommandLine(sync).setOut(new PrintWriter(out)).execute(run.toString());
            assertThat(code).as(out.toString()).isZero();
            assertThat(out.toString()).contains("3 history rows");
            assertThat(server.requests()).anySatisfy(r -> assertThat(r.body()).contains("upsertBucket"));
            assertThat(run.resolve("wandb/SYNCED")).exists();
            assertThat(run.resolve("wandb/UNSYNCED")).doesNotExist();

            int bad = new CommandLine(new WandbCommand.Sync()).setErr(new PrintWriter(new StringWriter()))
                    .execute(dir.toString());
            assertThat(bad).isEqualTo(2);
        }
    }
}

package org.sep4j.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `sep4j train experiment=sslam/pretrain`: EAT pre-training on the embedded scenes, its teacher checkpointed and resumed. */
class SslamCommandTest {

    @Test
    void pretrainingRunsCheckpointsItsTeacherAndResumes(@TempDir Path dir) throws Exception {
        String[] common = {"experiment=sslam/pretrain", "run.root=" + dir, "run.name=eat", "pretrain.frames=128", "pretrain.clones=2",
            "trainer.batch_size=2", "trainer.checkpoint_every=2", "trainer.log_every=1"};
        Cli.Run first = Cli.run(concat("train", common, "trainer.steps=2"));
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("sslam_pretrain: last loss");
        Path run = dir.resolve("sslam/pretrain/eat");
        assertThat(run.resolve("checkpoints/last/teacher.safetensors")).exists();
        // run again: the folder resumes from its last checkpoint, the teacher read back with it
        Cli.Run again = Cli.run(concat("train", common, "trainer.steps=2"));
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(Files.readString(run.resolve("run.log"))).contains("resuming run");
        // linear evaluation of that encoder, and of a random one beside it
        Cli.Run probe = Cli.run("train", "experiment=sslam/linear", "run.root=" + dir, "run.name=probe", "probe.frames=128",
                "probe.weights=" + run.resolve("checkpoints/last"), "trainer.steps=3", "trainer.batch_size=4",
                "trainer.validation_items=8");
        assertThat(probe.code()).as(probe.err()).isZero();
        assertThat(probe.out()).contains("sslam_linear: best map");
        assertThat(Files.readString(dir.resolve("sslam/linear/probe/run.log"))).contains("the encoder's").contains("tensors from");
        Cli.Run wrong = Cli.run("train", "experiment=sslam/linear", "run.root=" + dir, "run.name=wrong", "probe.frames=128",
                "model.sslam.dim=32", "probe.weights=" + run.resolve("checkpoints/last"), "trainer.steps=1");
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err() + wrong.out()).contains("does not fit this encoder");
        Cli.Run bad = Cli.run("train", "experiment=sslam/pretrain", "run.root=" + dir, "pretrain.frames=100");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("pretrain.frames").contains("multiple of 16 frames, got 100");
        assertThat(Files.readString(run.resolve("result.json"))).contains("\"task\": \"sslam_pretrain\"");
    }

    private static String[] concat(String first, String[] mid, String last) {
        String[] all = new String[mid.length + 2];
        all[0] = first;
        System.arraycopy(mid, 0, all, 1, mid.length);
        all[all.length - 1] = last;
        return all;
    }
}

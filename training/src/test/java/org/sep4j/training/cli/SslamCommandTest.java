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
        // SSLAM stage 2 continues that run on mixtures
        Cli.Run stage2 = Cli.run("train", "experiment=sslam/stage2", "run.root=" + dir, "run.name=sslam", "pretrain.frames=128",
                "pretrain.clones=2", "pretrain.unmixed_frames=32", "pretrain.init=" + run.resolve("checkpoints/last"),
                "trainer.steps=2", "trainer.log_every=1");
        assertThat(stage2.code()).as(stage2.err()).isZero();
        assertThat(Files.readString(dir.resolve("sslam/stage2/sslam/run.log"))).contains("pretrain.init: student, decoder and teacher");
        assertThat(Files.readString(dir.resolve("sslam/stage2/sslam/config.yaml"))).contains("stage: 2");
        Cli.Run tooWide = Cli.run("train", "experiment=sslam/stage2", "run.root=" + dir, "pretrain.frames=128",
                "pretrain.unmixed_frames=64");
        assertThat(tooWide.code()).isEqualTo(2);
        assertThat(tooWide.err()).contains("two unmixed windows of 64 frames leave too little of a 128-frame clip");
    }

    @Test
    void aUsersClassFoldersAreProbedAndFineTuned(@TempDir Path dir) throws Exception {
        Path clips = dir.resolve("clips");
        for (int i = 0; i < 5; i++) {
            tone(clips.resolve("low/l" + i + ".wav"), 300 + 10 * i);
            tone(clips.resolve("high/h" + i + ".wav"), 3000 + 100 * i);
        }
        Cli.Run probe = Cli.run("train", "experiment=sslam/linear", "run.root=" + dir, "run.name=p", "probe.frames=64",
                "probe.data=" + clips, "trainer.steps=20", "trainer.batch_size=4", "trainer.lr=0.05");
        assertThat(probe.code()).as(probe.err()).isZero();
        String log = Files.readString(dir.resolve("sslam/linear/p/run.log"));
        assertThat(log).contains("(8 clips)").contains("every 5th clip").contains("(2 clips), 2 classes");
        assertThat(probe.out()).contains("sslam_linear: best map");
        Cli.Run tune = Cli.run("train", "experiment=sslam/finetune", "run.root=" + dir, "run.name=f", "finetune.frames=64",
                "finetune.data=" + clips, "trainer.steps=3", "trainer.batch_size=4");
        assertThat(tune.code()).as(tune.err()).isZero();
        assertThat(tune.out()).contains("sslam_finetune: best map");
        Cli.Run missing = Cli.run("train", "experiment=sslam/linear", "run.root=" + dir, "probe.data=" + dir.resolve("nowhere"));
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("nowhere").contains("found nothing there");
    }

    @Test
    void theSslamTableRunsEndToEndAndReusesItsRuns(@TempDir Path dir) throws Exception {
        Cli.Run first = Cli.run("reproduce", "sslam", "--smoke", "reproduce.out=" + dir);
        assertThat(first.code()).as(first.err()).isZero();
        Path out = dir.resolve("tiny-smoke");
        String table = Files.readString(out.resolve("table.md"));
        assertThat(table).contains("| random | none (random init) |").contains("| eat | EAT, 4 steps").contains("| sslam | EAT 4 + SSLAM "
                + "stage 2, 2 steps");
        assertThat(Files.readString(out.resolve("results.json"))).contains("\"linear_map\"").contains("\"random\"");
        assertThat(out.resolve("runs/sslam/stage2/sslam/checkpoints/last/teacher.safetensors")).exists();
        Cli.Run again = Cli.run("reproduce", "sslam", "--smoke", "reproduce.out=" + dir);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(Files.readString(out.resolve("runs/sslam/pretrain/eat/run.log"))).contains("eat: reusing");
        assertThat(Files.readString(out.resolve("runs/sslam/linear/sslam-cls/run.log"))).contains("sslam-cls: reusing");
        assertThat(again.out()).contains(table.strip());
        Cli.Run bad = Cli.run("reproduce", "sslam", "--only", "eat");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--only, --seeds and --jobs are dcase2025's");
    }

    /** Half a second of a sine at 16 kHz. */
    private static void tone(Path file, double hz) throws java.io.IOException {
        Files.createDirectories(file.getParent());
        float[] s = new float[8000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / 16000));
        }
        org.sep4j.core.audio.WavWriter.write(file, org.sep4j.core.audio.Audio.mono(s, 16000));
    }

    private static String[] concat(String first, String[] mid, String last) {
        String[] all = new String[mid.length + 2];
        all[0] = first;
        System.arraycopy(mid, 0, all, 1, mid.length);
        all[all.length - 1] = last;
        return all;
    }
}

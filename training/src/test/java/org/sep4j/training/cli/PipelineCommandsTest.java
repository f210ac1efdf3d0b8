package org.sep4j.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.audio.WavReader;

/**
 * generate → train (tagger, separator with the tagger's SED) → eval with stage-1 labels, end to end
 * through the CLI on 2-s scenes and a few steps (the plumbing, not the quality, is under test here).
 */
class PipelineCommandsTest {

    private static Cli.Run run(String... args) {
        return Cli.run(args);
    }

    private static final String[] SMALL = {"data.scene.duration=2.0", "data.scene.max_event_duration=1.0",
        "model.sed.strong_frames=50", "trainer.steps=3", "trainer.batch_size=2", "trainer.warmup=1",
        "trainer.validation_items=2", "trainer.validate_every=3", "trainer.checkpoint_every=3"};

    private static String[] args(String command, Path dir, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of(command));
        a.addAll(List.of(SMALL));
        a.add("run.root=" + dir.resolve("runs"));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void theTaggerAndTheAudioSepSedSeparatorRunOnTheSslamBackbone(@TempDir Path dir) throws Exception {
        String[] sslam = {"model.sed.backbone=sslam", "model.sed.n_mels=128"};
        Cli.Run tagger = run(args("train", dir, concat(new String[] {"experiment=dcase2025/tagger", "run.name=sed"}, sslam)));
        assertThat(tagger.code()).as(tagger.err()).isZero();
        Path sed = dir.resolve("runs/dcase2025/tagger/sed/checkpoints/best");
        assertThat(org.sep4j.core.tensor.Safetensors.read(sed.resolve("weights.safetensors")).tensors())
                .containsKey("modality_encoders.IMAGE.local_encoder.proj.weight");
        // AudioSep-SED: the SED's token maps injected (Soundbeam) and its frames as Time-FiLM, started from that tagger
        Cli.Run sep = run(args("train", dir, concat(new String[] {"experiment=dcase2025/separator", "run.name=sep",
            "trainer.tagger=" + sed}, sslam)));
        assertThat(sep.code()).as(sep.err()).isZero();
        assertThat(java.nio.file.Files.readString(dir.resolve("runs/dcase2025/separator/sep/run.log"))).contains("trainer.tagger: started "
                + "from");
        Cli.Run wrong = run(args("train", dir, "experiment=dcase2025/tagger", "model.sed.backbone=sslam"));
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err()).contains("model.sed.backbone=sslam takes EAT's input");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void generateTrainAndEvaluateWithStageOneLabels(@TempDir Path dir) throws Exception {
        Cli.Run gen = run("generate", "data.scene.duration=2.0", "data.scene.max_event_duration=1.0", "n=3",
                "out=" + dir.resolve("set"));
        assertThat(gen.code()).as(gen.err()).isZero();
        Cli.Run tagger = run(args("train", dir, "experiment=dcase2025/tagger", "run.name=sed"));
        assertThat(tagger.code()).as(tagger.err()).isZero();
        assertThat(tagger.out()).contains("best label_accuracy");
        Path sed = dir.resolve("runs/dcase2025/tagger/sed");
        assertThat(sed.resolve("checkpoints/best/state.json")).exists();
        Cli.Run sep = run(args("train", dir, "experiment=dcase2025/separator", "run.name=sep",
                "trainer.tagger=" + sed.resolve("checkpoints/best")));
        assertThat(sep.code()).as(sep.err()).isZero();
        assertThat(sep.out()).contains("best ca_sdri");
        // the graphs themselves (inference.engine=samediff): the reference the exported runs below are held to
        Cli.Run eval = run(args("eval", dir, "experiment=dcase2025/separator", "checkpoint=" + dir.resolve("runs/dcase2025/separator/sep"),
                "tagger=" + sed, "set=" + dir.resolve("set"), "--out", dir.resolve("report").toString(), "inference.engine=samediff"));
        assertThat(eval.code()).as(eval.out() + eval.err()).isIn(0, 1);
        assertThat(eval.out()).contains("separated 3 soundscapes").contains("stage 1 from");
        try (Stream<Path> s = Files.list(dir.resolve("report/estimates"))) {
            assertThat(s.filter(p -> p.toString().endsWith(".wav")).count()).isBetween(3L, 9L);  // 1 to 3 labels each
        }
        assertThat(Files.readString(dir.resolve("report/summary.json"))).contains("casdri");
        // a rerun finds the estimates done
        Cli.Run again = run(args("eval", dir, "experiment=dcase2025/separator", "checkpoint=" + dir.resolve("runs/dcase2025/separator/sep"),
                "tagger=" + sed, "set=" + dir.resolve("set"), "--out", dir.resolve("report").toString()));
        assertThat(again.out()).contains("separated 0 soundscapes (3 done before)");
        // stage 1 from an ONNX tagger (exported by torch, tools/fixtures/make_onnx_fixtures.py)
        Path onnx = dir.resolve("stage1.onnx");
        try (var in = PipelineCommandsTest.class.getResourceAsStream("/fixtures/onnx/tiny_sed_stage1.onnx")) {
            Files.copy(in, onnx);
        }
        Cli.Run viaOnnx = run(args("eval", dir, "experiment=dcase2025/separator", "checkpoint=" + dir.resolve("runs/dcase2025/separator/sep"),
                "tagger=" + onnx, "set=" + dir.resolve("set"), "--out", dir.resolve("report-onnx").toString()));
        assertThat(viaOnnx.code()).as(viaOnnx.out() + viaOnnx.err()).isIn(0, 1);
        assertThat(viaOnnx.out()).contains("separated 3 soundscapes").contains("stage 1 from " + onnx);
        assertThat(Files.readString(dir.resolve("report-onnx/summary.json"))).contains("casdri");
        // the trained tagger exported to ONNX labels the set exactly as the native one did
        Cli.Run export = run("export", "experiment=dcase2025/tagger", "data.scene.duration=2.0", "data.scene.max_event_duration=1.0",
                "model.sed.strong_frames=50", "checkpoint=" + sed, "--out", dir.resolve("sed.onnx").toString());
        assertThat(export.code()).as(export.err()).isZero();
        assertThat(export.out()).contains("exported the tagger").contains("logmel float[-1, 1, 80");
        Cli.Run viaExport = run(args("eval", dir, "experiment=dcase2025/separator", "checkpoint=" + dir.resolve("runs/dcase2025/separator/sep"),
                "tagger=" + dir.resolve("sed.onnx"), "set=" + dir.resolve("set"), "--out", dir.resolve("report-exported").toString()));
        assertThat(viaExport.code()).as(viaExport.out() + viaExport.err()).isIn(0, 1);
        try (Stream<Path> a = Files.list(dir.resolve("report/estimates")); Stream<Path> b = Files.list(dir.resolve("report-exported/estimates"))) {
            assertThat(b.map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(a.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Cli.Run exportSep = run("export", "experiment=dcase2025/separator", "data.scene.duration=2.0", "data.scene.max_event_duration=1.0",
                "model.sed.strong_frames=50", "checkpoint=" + dir.resolve("runs/dcase2025/separator/sep"), "--out",
                dir.resolve("sep.onnx").toString());
        assertThat(exportSep.code()).as(exportSep.err()).isZero();
        assertThat(exportSep.out()).contains("exported the separator").contains("mixture_magnitude").contains("estimate");
        // both stages exported: the same labels and estimates as the native run, to ONNX Runtime's 1e-4
        Cli.Run deployed = run(args("eval", dir, "experiment=dcase2025/separator", "checkpoint=" + dir.resolve("sep.onnx"),
                "tagger=" + dir.resolve("sed.onnx"), "set=" + dir.resolve("set"), "--out", dir.resolve("report-deployed").toString()));
        assertThat(deployed.code()).as(deployed.out() + deployed.err()).isIn(0, 1);
        assertSameEstimates(dir.resolve("report/estimates"), dir.resolve("report-deployed/estimates"));
        // run folders under the default engine: both graphs exported in memory and run in ONNX Runtime, the same again
        Cli.Run inMemory = run(args("eval", dir, "experiment=dcase2025/separator", "checkpoint=" + dir.resolve("runs/dcase2025/separator/sep"),
                "tagger=" + sed, "set=" + dir.resolve("set"), "--out", dir.resolve("report-onnx-engine").toString()));
        assertThat(inMemory.code()).as(inMemory.out() + inMemory.err()).isIn(0, 1);
        assertThat(inMemory.err()).doesNotContain("running the graph in SameDiff");
        assertSameEstimates(dir.resolve("report/estimates"), dir.resolve("report-onnx-engine/estimates"));

        // any length and rate: a 5-s, 4-channel, 32 kHz set through the 2-s, 16 kHz model, chunked;
        // the run folder's own config is the default (no experiment= and no size keys here)
        Cli.Run gen32 = run("generate", "data.scene.duration=5.0", "data.scene.sample_rate=32000",
                "data.scene.max_event_duration=1.0", "n=2", "out=" + dir.resolve("set32"));
        assertThat(gen32.code()).as(gen32.err()).isZero();
        Path sepRun = dir.resolve("runs/dcase2025/separator/sep");
        Cli.Run long32 = run("eval", "checkpoint=" + sepRun, "set=" + dir.resolve("set32"), "--out",
                dir.resolve("report32").toString());
        assertThat(long32.code()).as(long32.out() + long32.err()).isIn(0, 1);
        assertThat(long32.out()).contains("separated 2 soundscapes");
        try (Stream<Path> s32 = Files.list(dir.resolve("report32/estimates"))) {
            for (Path p : s32.filter(p -> p.toString().endsWith(".wav")).toList()) {
                org.sep4j.core.audio.Audio a = WavReader.read(p);
                assertThat(a.sampleRate()).as(p.toString()).isEqualTo(32000);
                assertThat(a.length()).as(p.toString()).isEqualTo(160_000);
            }
        }
        // sep4j separate: one recording and a folder, labels from the tagger, outputs at the input's rate and length
        Path scene = dir.resolve("set32/soundscape").resolve(Files.list(dir.resolve("set32/soundscape")).sorted()
                .findFirst().orElseThrow().getFileName());
        Cli.Run separate = run("separate", scene.toString(), "--out", dir.resolve("separated").toString(),
                "checkpoint=" + sepRun, "tagger=" + sed);
        assertThat(separate.code()).as(separate.out() + separate.err()).isZero();
        assertThat(separate.out()).contains("separated 1 file(s)");
        String stem = scene.getFileName().toString().replace(".wav", "");
        try (Stream<Path> outs = Files.list(dir.resolve("separated"))) {
            List<Path> wavs = outs.filter(p -> p.getFileName().toString().startsWith(stem + "_")).toList();
            assertThat(wavs).isNotEmpty();
            for (Path p : wavs) {
                org.sep4j.core.audio.Audio a = WavReader.read(p);
                assertThat(a.sampleRate()).isEqualTo(32000);
                assertThat(a.length()).isEqualTo(160_000);
            }
        }
        assertThat(Files.readString(dir.resolve("separated/labels.json"))).contains(stem).contains("probabilities");
        Cli.Run rerun = run("separate", dir.resolve("set32/soundscape").toString(), "--out", dir.resolve("separated").toString(),
                "checkpoint=" + sepRun, "--labels", "Speech,Doorbell");
        assertThat(rerun.code()).as(rerun.out() + rerun.err()).isZero();
        assertThat(rerun.out()).contains("separated 1 file(s) (1 done before)");
        // sep4j tag: the tagger alone on the 5-s, 32 kHz scene; the attention head's frames stitched over all 5 s
        Cli.Run tag = run("tag", scene.toString(), "--out", dir.resolve("tags").toString(), "tagger=" + sed);
        assertThat(tag.code()).as(tag.out() + tag.err()).isZero();
        String tagsJson = Files.readString(dir.resolve("tags/tags.json"));
        assertThat(tagsJson).contains(stem).contains("labels").contains("frame_rate");
        List<String> frameRows = Files.readAllLines(dir.resolve("tags").resolve(stem + "_frames.csv"));
        assertThat(frameRows.get(0)).startsWith("time_s,");
        // the test tagger: 2-s clips, 50 strong frames (25 per second); 5 s → 125 frames
        assertThat(frameRows).hasSize(1 + 125);
        // a mono recording: the 4-channel model cannot take it, and says so naming the file
        Path mono = dir.resolve("mono.wav");
        org.sep4j.core.audio.WavWriter.write(mono, org.sep4j.core.audio.Audio.mono(new float[32000], 16000));
        Cli.Run bad = run("separate", mono.toString(), "--out", dir.resolve("separated-mono").toString(),
                "checkpoint=" + sepRun, "--labels", "Speech");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.out()).contains("mono.wav").contains("takes 4-channel mixtures, found 1 channel");
        Cli.Run neither = run("separate", mono.toString(), "--out", dir.resolve("x").toString(), "checkpoint=" + sepRun);
        assertThat(neither.code()).isEqualTo(2);
        assertThat(neither.err()).contains("either --labels");
    }

    /** Every estimate of {@code reference} exists in {@code other} and equals it to ONNX Runtime's 1e-4. */
    private static void assertSameEstimates(Path reference, Path other) throws Exception {
        try (Stream<Path> a = Files.list(reference)) {
            List<Path> wavs = a.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
            assertThat(wavs).isNotEmpty();
            for (Path native_ : wavs) {
                Path exported = other.resolve(native_.getFileName());
                assertThat(exported).exists();
                float[] x = WavReader.read(native_).channel(0);
                float[] y = WavReader.read(exported).channel(0);
                assertThat(y).hasSameSizeAs(x);
                double max = 0;
                for (int i = 0; i < x.length; i++) {
                    max = Math.max(max, Math.abs(x[i] - y[i]));
                }
                assertThat(max).as(native_.getFileName().toString()).isLessThan(1e-4);
            }
        }
    }
}

package org.sep4j.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.WavWriter;

class MainTest {

    private static Cli.Run run(String... args) {
        return Cli.run(args);
    }

    @Test
    void helpListsTheWorkingCommands() {
        Cli.Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: sep4j").contains("doctor").contains("--version");
    }

    @Test
    void versionNamesSep4jAndItsEngines() {
        Cli.Run r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("sep4j \\d+\\.\\d+\\.\\d+").contains("ND4J 1.0.0-M2.1").contains("ONNX Runtime 1.23.2");
    }

    @Test
    void unknownCommandIsAUsageError() {
        Cli.Run r = run("frobnicate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("frobnicate");
    }

    @Test
    void aConfigErrorIsOneLineAndAHintNotTheUsage() {
        Cli.Run r = run("train", "experiment=dcase2025/separator", "trainer.stpes=3");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("trainer.stpes").contains("trainer.steps").contains("see 'sep4j train --help'")
                .doesNotContain("Usage:");
        assertThat(r.err().lines().count()).isLessThan(6);
        Cli.Run option = run("eval", "--refs", "x");
        assertThat(option.code()).isEqualTo(2);
        assertThat(option.err()).contains("--refs").contains("see 'sep4j eval --help'").doesNotContain("Usage:");
    }

    @Test
    void completionPrintsABashScriptCoveringTheCommands() {
        Cli.Run r = run("completion");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("complete -F").contains("separate").contains("reproduce").contains("--pesq-mode");
    }

    @Test
    void doctorFindsTheOneDnnBackendAndTheCpuProvider() {
        Cli.Run r = run("doctor", "--no-cuda-probe");
        assertThat(r.out()).contains("CpuBackend with oneDNN").contains("HAVE_ONEDNN").contains("usable providers     CPU");
        assertThat(r.code()).as(r.out()).isZero();
    }

    @Test
    void evalScoresAPairedFolderAndWritesTheReport(@TempDir Path dir) throws Exception {
        Path ref = Files.createDirectories(dir.resolve("ref"));
        Path est = Files.createDirectories(dir.resolve("est"));
        float[] x = new float[1600];
        float[] y = new float[1600];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.05);
            y[i] = 0.9f * x[i];
        }
        WavWriter.write(ref.resolve("one.wav"), Audio.mono(x, 16000));
        WavWriter.write(est.resolve("one.wav"), Audio.mono(y, 16000));
        WavWriter.write(ref.resolve("two.wav"), Audio.mono(x, 16000));
        Path out = dir.resolve("report");
        Cli.Run r = run("eval", "--ref", ref.toString(), "--est", est.toString(), "--out", out.toString());
        // a reference without an estimate is listed, and fails the run unless --allow-missing
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("1 reference(s) without an estimate");
        r = run("eval", "--ref", ref.toString(), "--est", est.toString(), "--out", out.toString(), "--allow-missing");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        // ŝ = 0.9·s: SNR = 20 dB exactly, up to 16-bit rounding
        assertThat(r.out()).contains("| snr ").contains("20.0").contains("missing (1)").contains("two.wav");
        assertThat(out.resolve("summary.json")).exists();
        assertThat(out.resolve("histogram.png")).exists();
        assertThat(Files.readString(out.resolve("items.csv"))).startsWith("item,label,status,snr,sisdr");
    }

    @Test
    void anEstimateHoldingNanFailsNamingTheFileAndSample(@TempDir Path dir) throws Exception {
        Path ref = Files.createDirectories(dir.resolve("ref"));
        Path est = Files.createDirectories(dir.resolve("est"));
        float[] x = new float[1600];
        java.util.Arrays.fill(x, 0.1f);
        float[] y = x.clone();
        y[800] = Float.NaN;
        WavWriter.write(ref.resolve("one.wav"), Audio.mono(x, 16000));
        WavWriter.write(est.resolve("one.wav"), Audio.mono(y, 16000), org.sep4j.core.audio.WavEncoding.FLOAT_32);
        Cli.Run r = run("eval", "--ref", ref.toString(), "--est", est.toString(), "--out", dir.resolve("report").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("failed (1)").contains("one.wav: sample 800 of channel 0 is NaN");
    }

    @Test
    void evalUsageErrorsExitWithTwo(@TempDir Path dir) {
        Cli.Run r = run("eval", "--ref", dir.resolve("nope").toString(), "--est", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("nope");
        Cli.Run m = run("eval", "--ref", dir.toString(), "--est", dir.toString(), "--metrics", "snr,frob");
        assertThat(m.code()).isEqualTo(2);
        assertThat(m.err()).contains("unknown metric 'frob'");
    }

    @Test
    void configShowComposesOverridesExplainsAndSweeps(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("model"));
        Files.writeString(dir.resolve("config.yaml"), "defaults:\n  - model: small\n  - _self_\nseed: 1\nlr: 0.1\n");
        Files.writeString(dir.resolve("model/small.yaml"), "depth: 2\n");
        Files.writeString(dir.resolve("model/big.yaml"), "depth: 12\n");
        Cli.Run r = run("config", "show", "--config-dir", dir.toString(), "model=big", "seed=5");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("model:\n  depth: 12").contains("seed: 5");
        Cli.Run e = run("config", "show", "--config-dir", dir.toString(), "--explain", "model.depth", "model=big");
        assertThat(e.out()).contains("model.depth = 12").contains("model/big.yaml");
        Cli.Run m = run("config", "show", "--config-dir", dir.toString(), "-m", "seed=1,2", "model=small,big");
        assertThat(m.out()).contains("#3: seed=2 model=big").contains("4 run(s)");
        Cli.Run bad = run("config", "show", "--config-dir", dir.toString(), "model=bigg");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("no option 'bigg'").contains("did you mean 'big'");
        Cli.Run packaged = run("config", "show", "experiment=example");
        assertThat(packaged.out()).contains("name: example").contains("mode: offline");
    }

    @Test
    void runtimeFailuresAreOneLineWithExitOne(@TempDir Path dir) throws Exception {
        Path notRun = Files.createDirectories(dir.resolve("x"));
        Files.writeString(notRun.resolve("config.yaml"), "tracking: [1, 2\n");
        Cli.Run r = run("wandb", "sync", notRun.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("invalid YAML").doesNotContain("\tat ");
    }

    @Test
    void generateWritesTheLayoutResumesAndRefusesToMixDatasets(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("tiny");
        Cli.Run first = run("generate", "n=3", "out=" + out, "data.scene.duration=2.0");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("3 mixtures in").contains("class histogram");
        for (int i = 0; i < 3; i++) {
            assertThat(out.resolve("soundscape/soundscape_00000" + i + ".wav")).exists();
            assertThat(out.resolve("metadata/soundscape_00000" + i + ".json")).exists();
        }
        assertThat(out.resolve("summary.json")).exists();
        assertThat(out.resolve("class_histogram.png")).exists();
        byte[] before = Files.readAllBytes(out.resolve("soundscape/soundscape_000001.wav"));
        // an interrupted run: item 1 lost its metadata, so it is redone; items 3 and 4 are new
        Files.delete(out.resolve("metadata/soundscape_000001.json"));
        Cli.Run again = run("generate", "n=5", "out=" + out, "data.scene.duration=2.0");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("resuming: 2 of 5 items already").contains("3 new");
        assertThat(Files.readAllBytes(out.resolve("soundscape/soundscape_000001.wav"))).isEqualTo(before);
        Cli.Run other = run("generate", "n=5", "out=" + out, "data.scene.duration=3.0");
        assertThat(other.code()).isEqualTo(2);
        assertThat(other.err()).contains("another data config");
        Cli.Run bad = run("generate", "n=2", "out=" + out, "data.scene.sample_rate=4000");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("sample_rate must be at least 8000");
    }

    @Test
    void generateSetValidReplaysTheOfficialValidationList(@TempDir Path dir) throws Exception {
        // the data module's miniature of dev_set/metadata/valid.json (tools/fixtures/make_replay_fixtures.py)
        Path list = Path.of("../data/src/test/resources/fixtures/replay/dev_set/metadata/valid.json").toAbsolutePath();
        Path out = dir.resolve("valid");
        Cli.Run r = run("generate", "set=valid", "out=" + out, "data.validation=" + list, "data.scene.duration=1.0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 mixtures in");
        String meta = Files.readString(out.resolve("metadata/soundscape_000000.json"));
        assertThat(meta.indexOf("Doorbell")).as("ref_event order").isPositive().isLessThan(meta.indexOf("Speech"));
        assertThat(out.resolve("oracle_target/soundscape_000001_AlarmClock.wav")).exists();
        Cli.Run tooMany = run("generate", "set=valid", "n=3", "out=" + dir.resolve("v3"), "data.validation=" + list,
                "data.scene.duration=1.0");
        assertThat(tooMany.code()).isEqualTo(2);
        assertThat(tooMany.err()).contains("at most the 2 of the validation list");
        Cli.Run longer = run("generate", "set=valid", "out=" + dir.resolve("v4"), "data.validation=" + list);
        assertThat(longer.code()).isEqualTo(2);
        assertThat(longer.err()).contains("holds 1.0-s soundscapes but data.scene.duration is 4.0 s");
        Cli.Run bogus = run("generate", "set=test", "out=" + dir.resolve("t"));
        assertThat(bogus.code()).isEqualTo(2);
        assertThat(bogus.err()).contains("set must be train or valid");
    }
}

package org.sep4j.evaluation.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.WavEncoding;
import org.sep4j.core.audio.WavWriter;
import org.sep4j.core.io.Json;
import org.sep4j.core.testing.Signals;
import org.sep4j.evaluation.metrics.CaSdri;

class FolderScorerTest {

    @TempDir
    Path root;

    private static final int N = 4000;
    private static final int SR = 16000;

    private void wav(Path dir, String name, float[]... ch) throws Exception {
        WavWriter.write(dir.resolve(name), new Audio(ch, SR), WavEncoding.FLOAT_32);
    }

    private static float[] mix(float[] a, float[] b, float g) {
        float[] c = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i] + g * b[i];
        }
        return c;
    }

    @Test
    void dcaseLayoutCountsFalsePositivesNegativesAndMissingSoundscapes() throws Exception {
        Path ref = Files.createDirectories(root.resolve("oracle_target"));
        Path est = Files.createDirectories(root.resolve("est"));
        Path mixDir = Files.createDirectories(root.resolve("soundscape"));
        float[] speech = Signals.noise(1, N, 0.5);
        float[] cough = Signals.noise(2, N, 0.5);
        float[] dishes = Signals.noise(3, N, 0.5);
        float[] mixture = mix(speech, cough, 1f);
        // soundscape_0: Speech + Cough; estimates Speech (good), Dishes (FP), silence slot
        wav(ref, "soundscape_0_Speech.wav", speech);
        wav(ref, "soundscape_0_Cough.wav", cough);
        wav(mixDir, "soundscape_0.wav", mixture, mixture, mixture, mixture);
        float[] speechEst = mix(speech, cough, 0.1f);
        wav(est, "soundscape_0_Speech.wav", speechEst);
        wav(est, "soundscape_0_Dishes.wav", dishes);
        wav(est, "soundscape_0_silence.wav", new float[N]);
        // soundscape_1: no estimates at all → all FN; soundscape_9 estimates have no reference → extra
        wav(ref, "soundscape_1_Dishes.wav", dishes);
        wav(mixDir, "soundscape_1.wav", mix(dishes, speech, 1f));
        wav(est, "soundscape_9_Speech.wav", speech);

        assertThat(Layout.detect(ref, false)).isEqualTo(Layout.DCASE);
        FolderScorer.Result r = new FolderScorer(ref, est, mixDir, FolderScorer.Metric.parse("casdri,snr,sisdr"))
                .run(Layout.DCASE);
        assertThat(r.mixtures()).hasSize(2);
        Map<String, float[]> refs = new LinkedHashMap<>(Map.of("Speech", speech, "Cough", cough));
        Map<String, float[]> ests = new LinkedHashMap<>(Map.of("Speech", speechEst, "Dishes", dishes));
        double expected0 = CaSdri.mixture(refs, ests, mixture).value();
        assertThat(r.mixtures().get(0).value()).isCloseTo(expected0, Offset.offset(1e-9));
        assertThat(r.mixtures().get(0).falsePositives()).containsExactly("Dishes");
        assertThat(r.mixtures().get(0).falseNegatives()).containsExactly("Cough");
        assertThat(r.mixtures().get(1).value()).isZero();
        assertThat(r.missing()).singleElement().asString().contains("soundscape_1");
        assertThat(r.extra()).singleElement().asString().contains("soundscape_9");
        assertThat(r.rows()).extracting(FolderScorer.Row::status).containsExactly("FN", "FP", "TP", "FN");

        Path out = root.resolve("report");
        new EvaluationReport(r, Map.of("test", "dcase")).write(out);
        assertThat(out.resolve("items.csv")).exists();
        assertThat(Files.readString(out.resolve("mixtures.csv"))).contains("soundscape_0").contains("Dishes");
        assertThat(Files.size(out.resolve("histogram.png"))).isGreaterThan(1000);
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) Json.parse(Files.readString(out.resolve("summary.json")));
        @SuppressWarnings("unchecked")
        Map<String, Object> casdri = (Map<String, Object>) ((Map<String, Object>) summary.get("metrics")).get("casdri");
        assertThat((Double) casdri.get("mean")).isCloseTo(expected0 / 2, Offset.offset(1e-9));
        assertThat((Double) summary.get("label_accuracy")).isZero();
    }

    @Test
    void pairedLayoutReportsMissingAndExtraFiles() throws Exception {
        Path ref = Files.createDirectories(root.resolve("ref"));
        Path est = Files.createDirectories(root.resolve("est"));
        float[] a = Signals.noise(4, N, 0.5);
        wav(ref, "a.wav", a);
        wav(est, "a.wav", mix(a, Signals.noise(5, N, 0.5), 0.1f));
        wav(ref, "b.wav", a);
        wav(est, "c.wav", a);
        assertThat(Layout.detect(ref, false)).isEqualTo(Layout.PAIRED);
        FolderScorer.Result r = new FolderScorer(ref, est, null, FolderScorer.Metric.parse("snr,sisdr,bss")).run(Layout.PAIRED);
        assertThat(r.rows()).singleElement().satisfies(row -> {
            assertThat(row.values().get("snr")).isCloseTo(20.0, Offset.offset(0.5));
            assertThat(row.values().get("bss_sdr")).isCloseTo(row.values().get("snr"), Offset.offset(1e-6));
        });
        assertThat(r.missing()).containsExactly("b.wav");
        assertThat(r.extra()).containsExactly("c.wav");
    }

    @Test
    void mismatchesAreNamedAndCasdriNeedsMixtures() throws Exception {
        Path ref = Files.createDirectories(root.resolve("r"));
        Path est = Files.createDirectories(root.resolve("e"));
        wav(ref, "x.wav", new float[100]);
        WavWriter.write(est.resolve("x.wav"), Audio.mono(new float[100], 8000));
        FolderScorer.Result r = new FolderScorer(ref, est, null, FolderScorer.Metric.parse("snr")).run(Layout.PAIRED);
        assertThat(r.failed()).singleElement().asString().contains("8000 Hz").contains("16000 Hz");
        assertThatThrownBy(() -> new FolderScorer(ref, est, null, FolderScorer.Metric.parse("casdri")).run(Layout.DCASE))
                .hasMessageContaining("--mixture");
        assertThatThrownBy(() -> FolderScorer.Metric.parse("pesq2")).hasMessageContaining("unknown metric 'pesq2'");
        assertThat(List.of(Layout.parse("dcase"), Layout.parse("PAIRED"))).containsExactly(Layout.DCASE, Layout.PAIRED);
    }

    private static Audio fixture(String name) throws Exception {
        return org.sep4j.core.audio.WavReader.read(Path.of(FolderScorerTest.class.getResource("/pesq/" + name).toURI()));
    }

    @Test
    void pesqIsScoredPerItemAndAPairItCannotScoreKeepsItsReason() throws Exception {
        Path ref = Files.createDirectories(root.resolve("clean"));
        Path est = Files.createDirectories(root.resolve("enhanced"));
        Audio clean = fixture("wb16_white_snr10_ref.wav");
        Audio noisy = fixture("wb16_white_snr10_deg.wav");
        WavWriter.write(ref.resolve("speech.wav"), clean, WavEncoding.FLOAT_32);
        WavWriter.write(est.resolve("speech.wav"), noisy, WavEncoding.FLOAT_32);
        WavWriter.write(ref.resolve("silent.wav"), Audio.mono(new float[clean.length()], 16000), WavEncoding.FLOAT_32);
        WavWriter.write(est.resolve("silent.wav"), noisy, WavEncoding.FLOAT_32);
        WavWriter.write(ref.resolve("cd.wav"), Audio.mono(Signals.noise(6, 44100, 0.3), 44100), WavEncoding.FLOAT_32);
        WavWriter.write(est.resolve("cd.wav"), Audio.mono(Signals.noise(7, 44100, 0.3), 44100), WavEncoding.FLOAT_32);

        FolderScorer.Result r = new FolderScorer(ref, est, null, FolderScorer.Metric.parse("pesq,sisdr"),
                new FolderScorer.Settings(1, org.sep4j.evaluation.metrics.Pesq.Mode.WB, false)).run(Layout.PAIRED);
        assertThat(r.failed()).isEmpty();
        Map<String, FolderScorer.Row> byItem = new LinkedHashMap<>();
        r.rows().forEach(row -> byItem.put(row.item(), row));
        // expected.json: the ITU reference gives 1.060089111328125 for this pair
        assertThat(byItem.get("speech.wav").values().get("pesq")).isCloseTo(1.0600891, Offset.offset(1e-3));
        assertThat(byItem.get("speech.wav").notes()).isEmpty();
        assertThat(byItem.get("silent.wav").values().get("pesq")).isNaN();
        assertThat(byItem.get("silent.wav").values().get("sisdr")).isNotNull();
        assertThat(byItem.get("silent.wav").notes().get("pesq_error")).startsWith("no_utterances:");
        assertThat(byItem.get("cd.wav").notes().get("pesq_error")).startsWith("invalid_rate:").contains("44100 Hz");

        Path out = root.resolve("report");
        new EvaluationReport(r, Map.of()).write(out);
        List<String> csv = Files.readAllLines(out.resolve("items.csv"));
        assertThat(csv.get(0)).contains("pesq").endsWith("pesq_error");
        assertThat(csv).anySatisfy(line -> assertThat(line).startsWith("silent.wav").contains("no_utterances"));

        FolderScorer.Result resampled = new FolderScorer(ref, est, null, FolderScorer.Metric.parse("pesq"),
                new FolderScorer.Settings(2, org.sep4j.evaluation.metrics.Pesq.Mode.NB, true)).run(Layout.PAIRED);
        FolderScorer.Row cd = resampled.rows().stream().filter(x -> x.item().equals("cd.wav")).findFirst().orElseThrow();
        assertThat(cd.notes()).doesNotContainKey("pesq_error");
        assertThat(cd.values()).containsKeys("pesq", "pesq_raw");
    }
}

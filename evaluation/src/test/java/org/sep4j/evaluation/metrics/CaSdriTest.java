package org.sep4j.evaluation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.sep4j.core.testing.Signals;

class CaSdriTest {

    private static final int N = 2000;
    private final float[] dog = Signals.noise(1, N, 1);
    private final float[] bell = Signals.noise(2, N, 1);
    private final float[] mixture = add(dog, bell);

    private static float[] add(float[] a, float[] b) {
        float[] c = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i] + b[i];
        }
        return c;
    }

    private static float[] scaled(float[] a, float g) {
        float[] c = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i] * g;
        }
        return c;
    }

    private static Map<String, float[]> of(Object... kv) {
        Map<String, float[]> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (float[]) kv[i + 1]);
        }
        return m;
    }

    @Test
    void truePositivesOnlyAverageTheirImprovements() {
        // ŝ = s/2 gives SNR 10·log10(4); the mixture gives SNR(s + other, s) ≈ 0 dB for equal-power noises
        Map<String, float[]> ref = of("Dog", dog, "Bell", bell);
        Map<String, float[]> est = of("Dog", scaled(dog, 0.5f), "Bell", scaled(bell, 0.5f));
        CaSdri.Mixture m = CaSdri.mixture(ref, est, mixture);
        double dogI = Snr.snr(scaled(dog, 0.5f), dog) - Snr.snr(mixture, dog);
        double bellI = Snr.snr(scaled(bell, 0.5f), bell) - Snr.snr(mixture, bell);
        assertThat(m.value()).isCloseTo((dogI + bellI) / 2, Offset.offset(1e-12));
        assertThat(m.truePositives()).containsExactly("Bell", "Dog");
        assertThat(m.labelsCorrect()).isTrue();
    }

    @Test
    void falsePositivesAndNegativesCountInTheDenominator() {
        Map<String, float[]> ref = of("Dog", dog, "Bell", bell);
        // Bell missed (FN), Cough invented (FP), Dog found (TP) → SDRi_dog / 3
        Map<String, float[]> est = of("Dog", dog, "Cough", bell, "silence", new float[N]);
        CaSdri.Mixture m = CaSdri.mixture(ref, est, mixture);
        double dogI = Snr.snr(dog, dog) - Snr.snr(mixture, dog);
        assertThat(m.value()).isCloseTo(dogI / 3, Offset.offset(1e-9));
        assertThat(m.falsePositives()).containsExactly("Cough");
        assertThat(m.falseNegatives()).containsExactly("Bell");
        assertThat(m.labelsCorrect()).isFalse();
    }

    @Test
    void allSilenceEstimatesScoreZero() {
        Map<String, float[]> ref = of("Dog", dog, "silence", new float[N]);
        Map<String, float[]> est = of("silence", new float[N], "silence2", null);
        est.remove("silence2");
        CaSdri.Mixture m = CaSdri.mixture(ref, est, mixture);
        assertThat(m.value()).isZero();
        assertThat(m.falseNegatives()).containsExactly("Dog");
    }

    @Test
    void labelOrderDoesNotMatter() {
        Map<String, float[]> ref = of("Dog", dog, "Bell", bell);
        CaSdri.Mixture a = CaSdri.mixture(ref, of("Dog", scaled(dog, 0.9f), "Bell", scaled(bell, 0.7f)), mixture);
        CaSdri.Mixture b = CaSdri.mixture(of("Bell", bell, "Dog", dog), of("Bell", scaled(bell, 0.7f), "Dog", scaled(dog, 0.9f)), mixture);
        assertThat(a.value()).isEqualTo(b.value());
        assertThat(CaSdri.mean(List.of(a, b))).isEqualTo(a.value());
        assertThat(CaSdri.labelAccuracy(List.of(a, CaSdri.mixture(ref, of("Dog", dog), mixture)))).isEqualTo(0.5);
    }

    @Test
    void badInputsAreErrors() {
        assertThatThrownBy(() -> CaSdri.mixture(of("silence", new float[N]), of("Dog", dog), mixture))
                .hasMessageContaining("no reference target");
        assertThatThrownBy(() -> CaSdri.mixture(of("Dog", dog), of("Dog", new float[10]), mixture))
                .hasMessageContaining("estimate 'Dog' has 10 samples");
    }
}

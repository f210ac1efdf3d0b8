package org.sep4j.evaluation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class SnrTest {

    private static final float[] TARGET = {3f, -0.5f, 2f, 7f};
    private static final float[] PREDS = {2.5f, 0f, 2f, 8f};

    @Test
    void torchmetricsDocstringVector() {
        assertThat(Snr.snr(PREDS, TARGET)).isCloseTo(16.1805, Offset.offset(1e-4));
        assertThat(SiSdr.siSdr(PREDS, TARGET)).isCloseTo(18.4030, Offset.offset(1e-4));
        assertThat(SiSdr.siSnr(PREDS, TARGET)).isCloseTo(15.0918, Offset.offset(1e-4));
    }

    @Test
    void analyticCases() {
        float[] s = {1f, -1f, 1f, -1f};
        float[] half = {0.5f, -0.5f, 0.5f, -0.5f};
        // ŝ = s/2: noise energy = signal/4 → 10·log10(4) ≈ 6.0206 dB; scale-invariant: perfect
        assertThat(Snr.snr(half, s)).isCloseTo(10 * Math.log10(4), Offset.offset(1e-5));
        assertThat(SiSdr.siSdr(half, s)).isGreaterThan(60);
        // improvement against a mixture equal to the reference is the estimate's deficit
        assertThat(Snr.improvement(half, s, s)).isCloseTo(Snr.snr(half, s) - Snr.snr(s, s), Offset.offset(1e-12));
        assertThat(Snr.snr(s, s)).isCloseTo(10 * Math.log10((4 + Snr.EPS) / Snr.EPS), Offset.offset(1e-9));
        // zero-mean SNR ignores a DC offset in the estimate
        float[] shifted = {1.5f, -0.5f, 1.5f, -0.5f};
        assertThat(Snr.snr(shifted, s, true)).isGreaterThan(60);
        assertThat(Snr.snr(shifted, s, false)).isCloseTo(10 * Math.log10(4 / (4 * 0.25)), Offset.offset(1e-5));
    }

    @Test
    void mismatchedLengthsSayWhich() {
        assertThatThrownBy(() -> Snr.snr(new float[3], new float[4])).hasMessageContaining("estimate has 3")
                .hasMessageContaining("reference has 4");
        assertThatThrownBy(() -> SiSdr.siSdr(new float[0], new float[0])).hasMessageContaining("empty");
    }
}

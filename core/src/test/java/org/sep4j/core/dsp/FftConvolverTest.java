package org.sep4j.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sep4j.core.testing.Close.assertClose;

import org.junit.jupiter.api.Test;
import org.sep4j.core.dsp.FftConvolver.Mode;
import org.sep4j.core.testing.Signals;

class FftConvolverTest {

    /** The definition, summed in double: y[n] = Σ_k x[k]·h[n − k]. */
    private static float[] direct(float[] x, float[] h) {
        float[] y = new float[x.length + h.length - 1];
        for (int n = 0; n < y.length; n++) {
            double acc = 0;
            for (int k = Math.max(0, n - h.length + 1); k <= Math.min(n, x.length - 1); k++) {
                acc += (double) x[k] * h[n - k];
            }
            y[n] = (float) acc;
        }
        return y;
    }

    @Test
    void fullMatchesDirectSumForShortAndLongSignals() {
        float[] h = Signals.noise(1, 257, 0.2);
        for (int n : new int[] {1, 10, 300, 3000, 20000}) {
            float[] x = Signals.noise(n, n, 1);
            assertClose(direct(x, h), FftConvolver.convolve(x, h), 1e-5, 1e-6, "full, n=" + n);
            assertClose(direct(h, x), FftConvolver.convolve(h, x), 1e-5, 1e-6, "commuted, n=" + n);
        }
    }

    @Test
    void overlapAddPathMatchesDirectSum() {
        // 100k samples with a 1000-tap kernel takes the overlap-add route.
        float[] x = Signals.noise(2, 100_000, 1);
        float[] h = Signals.noise(3, 1000, 0.05);
        assertClose(direct(x, h), FftConvolver.convolve(x, h), 1e-5, 1e-6, "overlap-add");
    }

    @Test
    void sameAndValidFollowScipy() {
        float[] x = {1, 2, 3, 4, 5};
        float[] h = {1, 0, -1, 2};
        float[] full = direct(x, h); // [1, 2, 2, 4, 6, 2, 3, 10]
        assertClose(full, FftConvolver.convolve(x, h, Mode.FULL), 1e-6, 1e-6, "full");
        // scipy.signal.fftconvolve(x, h, 'same') starts at (4 − 1)//2 = 1
        assertClose(new float[] {full[1], full[2], full[3], full[4], full[5]}, FftConvolver.convolve(x, h, Mode.SAME),
                1e-6, 1e-6, "same");
        assertClose(new float[] {full[3], full[4]}, FftConvolver.convolve(x, h, Mode.VALID), 1e-6, 1e-6, "valid");
        assertThatThrownBy(() -> FftConvolver.convolve(h, new float[10], Mode.VALID)).hasMessageContaining("at least as long");
    }

    @Test
    void delayedImpulseShiftsTheSignal() {
        float[] x = Signals.noise(4, 1000, 1);
        float[] h = new float[40];
        h[37] = 0.5f;
        float[] y = FftConvolver.convolve(x, h);
        for (int i = 0; i < x.length; i++) {
            assertThat((double) y[i + 37]).isCloseTo(0.5 * x[i], org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void multichannelPairsAndBroadcasts() {
        float[] mono = Signals.noise(5, 2000, 1);
        float[][] rir = {Signals.noise(6, 300, 0.1), Signals.noise(7, 300, 0.1), Signals.noise(8, 300, 0.1), Signals.noise(9, 300, 0.1)};
        float[][] image = FftConvolver.convolve(new float[][] {mono}, rir, Mode.FULL);
        assertThat(image).hasNumberOfRows(4);
        for (int c = 0; c < 4; c++) {
            assertClose(direct(mono, rir[c]), image[c], 1e-5, 1e-6, "channel " + c);
        }
        float[][] pairs = FftConvolver.convolve(rir, rir, Mode.FULL);
        assertClose(direct(rir[2], rir[2]), pairs[2], 1e-5, 1e-6, "pairwise");
        assertThatThrownBy(() -> FftConvolver.convolve(new float[2][10], new float[3][10], Mode.FULL))
                .hasMessageContaining("2 signal channels with 3 kernel channels");
    }
}

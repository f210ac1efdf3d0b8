package org.sep4j.evaluation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.tensor.TensorData;
import org.sep4j.core.testing.Fixtures;
import org.sep4j.core.testing.Signals;

class BssEvalTest {

    private static final Safetensors.Contents SOURCES = Fixtures.load("metrics/bss_sources");
    private static final Safetensors.Contents IMAGES = Fixtures.load("metrics/bss_images");
    private static final Offset<Double> DB = Offset.offset(1e-3);

    private static float[][][] threeD(TensorData t) {
        return t.floats3d();
    }

    private static void assertDb(double[] expected, double[] actual, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i], DB);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"random2", "structured_swapped", "random3"})
    void sourcesMatchMirEval(String name) {
        BssEval.Sources r = BssEval.sources(SOURCES.get(name + ".ref").floats2d(), SOURCES.get(name + ".est").floats2d(), true);
        assertDb(SOURCES.get(name + ".sdr").doubles(), r.sdr(), name + " SDR");
        assertDb(SOURCES.get(name + ".sir").doubles(), r.sir(), name + " SIR");
        assertDb(SOURCES.get(name + ".sar").doubles(), r.sar(), name + " SAR");
        double[] perm = SOURCES.get(name + ".perm").doubles();
        for (int j = 0; j < perm.length; j++) {
            assertThat(r.permutation()[j]).isEqualTo((int) perm[j]);
        }
    }

    @Test
    void swappedEstimatesAreFoundByThePermutation() {
        BssEval.Sources r = BssEval.sources(SOURCES.get("structured_swapped.ref").floats2d(),
                SOURCES.get("structured_swapped.est").floats2d(), true);
        assertThat(r.permutation()).containsExactly(1, 0);
        BssEval.Sources fixed = BssEval.sources(SOURCES.get("structured_swapped.ref").floats2d(),
                SOURCES.get("structured_swapped.est").floats2d(), false);
        assertThat(fixed.permutation()).containsExactly(0, 1);
        assertThat(fixed.sir()[0]).isLessThan(r.sir()[0]);
    }

    @Test
    void imagesMatchMirEval() {
        BssEval.Images r = BssEval.images(threeD(IMAGES.get("img.ref")), threeD(IMAGES.get("img.est")), true);
        assertDb(IMAGES.get("img.sdr").doubles(), r.sdr(), "image SDR");
        assertDb(IMAGES.get("img.isr").doubles(), r.isr(), "ISR");
        assertDb(IMAGES.get("img.sir").doubles(), r.sir(), "image SIR");
        assertDb(IMAGES.get("img.sar").doubles(), r.sar(), "image SAR");
    }

    @Test
    void imageSdrIsPlainSnrOverChannels() {
        float[][][] refs = threeD(IMAGES.get("img.ref"));
        float[][][] ests = threeD(IMAGES.get("img.est"));
        BssEval.Images r = BssEval.images(refs, ests, false);
        double s = 0;
        double e = 0;
        for (int c = 0; c < 2; c++) {
            for (int t = 0; t < refs[0][c].length; t++) {
                s += (double) refs[0][c][t] * refs[0][c][t];
                double d = ests[0][c][t] - refs[0][c][t];
                e += d * d;
            }
        }
        assertThat(r.sdr()[0]).isCloseTo(10 * Math.log10(s / e), Offset.offset(1e-6));
    }

    @Test
    void aFilteredCopyHasNoDistortionButAnAddedSourceIsInterference() {
        int n = 16000;
        float[] a = Signals.noise(1, n, 1);
        float[] b = Signals.noise(2, n, 1);
        // trailing zeros keep a's delayed copies inside the estimate's length: exactly in the 512-tap span
        java.util.Arrays.fill(a, n - 16, n, 0f);
        float[] filtered = new float[n];
        float[] leak = new float[n];
        for (int t = 0; t < n; t++) {
            filtered[t] = 0.7f * a[t] + (t >= 3 ? 0.2f * a[t - 3] : 0f);
            leak[t] = b[t] + 0.1f * a[t];
        }
        BssEval.Sources r = BssEval.sources(new float[][] {a, b}, new float[][] {filtered, leak}, false);
        // a short FIR of the reference is inside the distortion model: only float32 rounding remains
        assertThat(r.sdr()[0]).isGreaterThan(100);
        // b + 0.1·a scored against b: a is 20 dB down, so SIR ≈ 20 dB (a little more, as 512 taps of b
        // also fit a sliver of a)
        assertThat(r.sir()[1]).isCloseTo(20.0, Offset.offset(1.0));
    }

    @Test
    void silentAndMismatchedInputsAreErrors() {
        float[] a = Signals.noise(3, 1000, 1);
        assertThatThrownBy(() -> BssEval.sources(new float[][] {a, new float[1000]}, new float[][] {a, a}, true))
                .hasMessageContaining("reference source 1 is silent");
        assertThatThrownBy(() -> BssEval.sources(new float[][] {a}, new float[][] {new float[999]}, true))
                .hasMessageContaining("999");
    }
}

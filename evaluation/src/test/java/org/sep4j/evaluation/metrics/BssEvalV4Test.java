package org.sep4j.evaluation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.tensor.TensorData;
import org.sep4j.core.testing.Fixtures;

class BssEvalV4Test {

    private static final Safetensors.Contents IMAGES = Fixtures.load("metrics/bss_images");

    private static float[][][] threeD(TensorData t) {
        return t.floats3d();
    }

    @Test
    void oneWindowOverTheWholeTrackIsMirEvalV3() {
        float[][][] refs = threeD(IMAGES.get("img.ref"));
        float[][][] ests = threeD(IMAGES.get("img.est"));
        int n = refs[0][0].length;
        BssEvalV4.Framewise f = BssEvalV4.images(refs, ests, n, n);
        assertThat(f.windows()).isEqualTo(1);
        // mir_eval's numbers for these signals (the permutation there is the identity)
        double[] sdr = IMAGES.get("img.sdr").doubles();
        double[] isr = IMAGES.get("img.isr").doubles();
        double[] sir = IMAGES.get("img.sir").doubles();
        double[] sar = IMAGES.get("img.sar").doubles();
        for (int j = 0; j < 2; j++) {
            assertThat(f.sdr()[j][0]).isCloseTo(sdr[j], Offset.offset(1e-3));
            assertThat(f.isr()[j][0]).isCloseTo(isr[j], Offset.offset(1e-3));
            assertThat(f.sir()[j][0]).isCloseTo(sir[j], Offset.offset(1e-3));
            assertThat(f.sar()[j][0]).isCloseTo(sar[j], Offset.offset(1e-3));
        }
    }

    @Test
    void windowSdrIsPlainSnrAndSilentWindowsAreNaN() {
        float[][][] refs = threeD(IMAGES.get("img.ref"));
        float[][][] ests = threeD(IMAGES.get("img.est"));
        // silence the second window of source 1's reference
        for (float[] ch : refs[1]) {
            java.util.Arrays.fill(ch, 1000, 2000, 0f);
        }
        BssEvalV4.Framewise f = BssEvalV4.images(refs, ests, 1000, 1000);
        assertThat(f.windows()).isEqualTo(3);
        for (int w : new int[] {0, 2}) {
            double s = 0;
            double e = 0;
            for (int c = 0; c < 2; c++) {
                for (int t = w * 1000; t < (w + 1) * 1000; t++) {
                    s += (double) refs[0][c][t] * refs[0][c][t];
                    double d = (double) ests[0][c][t] - refs[0][c][t];
                    e += d * d;
                }
            }
            assertThat(f.sdr()[0][w]).isCloseTo(10 * Math.log10(s / e), Offset.offset(1e-6));
        }
        assertThat(f.sdr()[0][1]).isNaN();
        assertThat(f.sar()[1][1]).isNaN();
        double[] med = f.median(f.sdr());
        assertThat(med[0]).isCloseTo((f.sdr()[0][0] + f.sdr()[0][2]) / 2, Offset.offset(1e-12));
    }

    @Test
    void badWindowsAreErrors() {
        float[][][] refs = threeD(IMAGES.get("img.ref"));
        assertThatThrownBy(() -> BssEvalV4.images(refs, refs, 100_000, 100)).hasMessageContaining("track length");
    }
}

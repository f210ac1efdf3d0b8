package org.sep4j.sim.room;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class BinauralTest {

    private static final int FS = 48000;
    private final ShoeboxRoom room = ShoeboxRoom.withRt60(new Vec3(8, 6, 3), 0.4, ShoeboxRoom.Rt60Model.EYRING, FS);
    private final ImageSourceRir direct = new ImageSourceRir(room, new ImageSourceRir.Options(0, 4000, false, 0));
    private final Vec3 head = new Vec3(4, 3, 1.5);

    /** Sub-sample peak time of the largest absolute value (parabolic interpolation). */
    private static double peak(float[] h) {
        int k = 0;
        for (int i = 1; i < h.length; i++) {
            if (Math.abs(h[i]) > Math.abs(h[k])) {
                k = i;
            }
        }
        double a = Math.abs(h[k - 1]);
        double b = Math.abs(h[k]);
        double c = Math.abs(h[k + 1]);
        return k + 0.5 * (a - c) / (a - 2 * b + c);
    }

    private static double highBandEnergy(float[] h) {
        double e = 0;
        for (int i = 1; i < h.length; i++) {
            double d = h[i] - h[i - 1]; // first difference: a crude high-pass
            e += d * d;
        }
        return e;
    }

    @Test
    void sideSourceGivesWoodworthItdAndAHeadShadow() {
        BinauralHead h = BinauralHead.average();
        float[][] ears = direct.binaural(new Vec3(4, 5.5, 1.5), head, h); // 2.5 m to the left
        double itd = (peak(ears[1]) - peak(ears[0])) / FS;
        double woodworth = h.radius() / ShoeboxRoom.SPEED_OF_SOUND * (Math.PI / 2 + 1);
        assertThat(itd).isCloseTo(woodworth, Offset.offset(40e-6)); // within 2 samples at 48 kHz
        double ild = 10 * Math.log10(highBandEnergy(ears[0]) / highBandEnergy(ears[1]));
        assertThat(ild).as("high-frequency level difference, dB").isGreaterThan(10);
    }

    @Test
    void frontalSourceIsSymmetric() {
        float[][] ears = direct.binaural(new Vec3(7, 3, 1.5), head, BinauralHead.average());
        for (int i = 0; i < ears[0].length; i++) {
            assertThat((double) ears[0][i]).isCloseTo(ears[1][i], Offset.offset(1e-7));
        }
    }

    @Test
    void shadowFilterHasUnitDcGain() {
        for (double theta : new double[] {0, 1, 2, Math.PI}) {
            float[] s = BinauralHead.average().shadow(theta, FS);
            double sum = 0;
            for (float v : s) {
                sum += v;
            }
            assertThat(sum).as("DC gain at θ=%s", theta).isCloseTo(1.0, Offset.offset(1e-3));
        }
    }
}

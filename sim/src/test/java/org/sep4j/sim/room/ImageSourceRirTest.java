package org.sep4j.sim.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ImageSourceRirTest {

    private static final int FS = 16000;
    /** Metres per sample at 343 m/s and 16 kHz. */
    private static final double STEP = ShoeboxRoom.SPEED_OF_SOUND / FS;

    private static ShoeboxRoom room(double rt60) {
        return ShoeboxRoom.withRt60(new Vec3(6, 5, 3), rt60, ShoeboxRoom.Rt60Model.EYRING, FS);
    }

    @Test
    void directPathDelayAndOneOverRAreExact() {
        ImageSourceRir ism = new ImageSourceRir(room(0.4), new ImageSourceRir.Options(0, 4000, false, 0));
        Vec3 mic = new Vec3(1, 1, 1.5);
        for (int samples : new int[] {60, 100, 150}) {
            double d = samples * STEP;
            float[] h = ism.compute(new Vec3(1 + d, 1, 1.5), mic, MicArray.mono())[0];
            int peak = 0;
            for (int i = 0; i < h.length; i++) {
                if (Math.abs(h[i]) > Math.abs(h[peak])) {
                    peak = i;
                }
            }
            assertThat(peak).isEqualTo(samples);
            assertThat((double) h[peak]).isCloseTo(1 / (4 * Math.PI * d), Percentage.withPercentage(1e-4));
            assertThat((double) h[peak - 1]).isCloseTo(0, Offset.offset(1e-7)); // integer delay: a clean impulse
        }
    }

    /** Schroeder backward integration, T20 fit (−5 to −25 dB) extrapolated to 60 dB. */
    static double rt60(float[] h, int fs) {
        return rt60(h, fs, -5, -25);
    }

    /** Schroeder backward integration, line fit between two EDC levels extrapolated to 60 dB. */
    static double rt60(float[] h, int fs, double fromDb, double toDb) {
        double[] edc = new double[h.length];
        double acc = 0;
        for (int i = h.length - 1; i >= 0; i--) {
            acc += (double) h[i] * h[i];
            edc[i] = acc;
        }
        int i5 = -1;
        int i25 = -1;
        for (int i = 0; i < h.length; i++) {
            double db = 10 * Math.log10(edc[i] / edc[0]);
            if (i5 < 0 && db <= fromDb) {
                i5 = i;
            }
            if (i25 < 0 && db <= toDb) {
                i25 = i;
                break;
            }
        }
        // least-squares line through the EDC in dB between the two points
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int n = 0;
        for (int i = i5; i <= i25; i++) {
            double x = (double) i / fs;
            double y = 10 * Math.log10(edc[i] / edc[0]);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            n++;
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return -60 / slope;
    }

    @ParameterizedTest(name = "{0} x {1} x {2} m, RT60 {3} s")
    @CsvSource({"3,4,2.5,0.3", "3,4,2.5,0.6", "6,5,3,0.4", "6,5,3,0.8", "10,8,4,0.5", "10,8,4,1.0"})
    void generatedRt60IsWithinTenPercentOfTheTarget(double lx, double ly, double lz, double target) {
        ShoeboxRoom r = ShoeboxRoom.withRt60(new Vec3(lx, ly, lz), target, ShoeboxRoom.Rt60Model.EYRING, FS);
        ImageSourceRir ism = new ImageSourceRir(r, new ImageSourceRir.Options(8, (int) (1.5 * target * FS), true, 1));
        float[] h = ism.compute(new Vec3(lx * 0.3, ly * 0.6, 1.2), new Vec3(lx * 0.7, ly * 0.35, 1.5), MicArray.mono())[0];
        // T30 (ISO 3382): the decay from −5 to −35 dB extrapolated to 60 dB
        assertThat(rt60(h, FS, -5, -35)).isCloseTo(target, Percentage.withPercentage(10));
    }

    @Test
    void reciprocity() {
        ImageSourceRir ism = new ImageSourceRir(room(0.5), new ImageSourceRir.Options(6, 6000, false, 0));
        Vec3 a = new Vec3(1.3, 2.2, 1.1);
        Vec3 b = new Vec3(4.1, 3.7, 1.9);
        float[] ab = ism.compute(a, b, MicArray.mono())[0];
        float[] ba = ism.compute(b, a, MicArray.mono())[0];
        for (int i = 0; i < ab.length; i++) {
            assertThat((double) ab[i]).isCloseTo(ba[i], Offset.offset(1e-6));
        }
    }

    /** Every reflection costs energy: the mean energy of an arrival falls with its reflection order. */
    @Test
    void energyPerArrivalDecreasesWithOrder() {
        ImageSourceRir ism = new ImageSourceRir(room(0.5), new ImageSourceRir.Options(8, 8000, false, 0));
        Vec3 s = new Vec3(1.3, 2.2, 1.1);
        Vec3 m = new Vec3(4.1, 3.7, 1.9);
        double[] energy = new double[9];
        int[] count = new int[9];
        ism.forEachImage(s, (order, x, y, z, g) -> {
            double d = new Vec3(x, y, z).minus(m).norm();
            energy[order] += Math.pow(g / (4 * Math.PI * d), 2);
            count[order]++;
        });
        assertThat(count).containsExactly(1, 6, 18, 38, 66, 102, 146, 198, 258); // 4k² + 2 images of order k ≥ 1
        for (int k = 1; k <= 8; k++) {
            assertThat(energy[k] / count[k]).as("mean arrival energy at order %d", k).isLessThan(energy[k - 1] / count[k - 1]);
        }
    }

    @Test
    void tetrahedralArrayAndDirectivity() {
        ImageSourceRir ism = new ImageSourceRir(room(0.3), new ImageSourceRir.Options(0, 2000, false, 0));
        Vec3 centre = new Vec3(3, 2.5, 1.5);
        Vec3 source = new Vec3(5, 2.5, 1.5); // +x
        float[][] omni = ism.compute(source, centre, MicArray.tetrahedral(MicArray.TETRA_RADIUS, Directivity.OMNI));
        float[][] card = ism.compute(source, centre, MicArray.tetrahedral(MicArray.TETRA_RADIUS, Directivity.CARDIOID));
        assertThat(omni).hasNumberOfRows(4);
        // capsules 0 and 1 face +x: the cardioid keeps most of the direct path; 2 and 3 face away
        assertThat(peak(card[0]) / peak(omni[0])).isCloseTo(0.5 + 0.5 / Math.sqrt(3), Offset.offset(0.02));
        assertThat(peak(card[2]) / peak(omni[2])).isCloseTo(0.5 - 0.5 / Math.sqrt(3), Offset.offset(0.02));
        // front capsules hear the source a little earlier than the rear ones
        assertThat(argmax(omni[0])).isLessThan(argmax(omni[2]) + 1);
    }

    private static double peak(float[] h) {
        double p = 0;
        for (float v : h) {
            p = Math.max(p, Math.abs(v));
        }
        return p;
    }

    private static int argmax(float[] h) {
        int k = 0;
        for (int i = 0; i < h.length; i++) {
            if (Math.abs(h[i]) > Math.abs(h[k])) {
                k = i;
            }
        }
        return k;
    }

    @Test
    void batchEqualsOneByOneAndPositionsAreChecked() {
        ImageSourceRir ism = new ImageSourceRir(room(0.4), new ImageSourceRir.Options(4, 3000, true, 3));
        Vec3 centre = new Vec3(3, 2.5, 1.5);
        List<Vec3> sources = List.of(new Vec3(1, 1, 1), new Vec3(5, 4, 2), new Vec3(2, 4, 1.2));
        List<float[][]> batch = ism.batch(sources, centre, MicArray.tetrahedral(MicArray.TETRA_RADIUS, Directivity.OMNI));
        for (int i = 0; i < sources.size(); i++) {
            assertThat(batch.get(i)).isDeepEqualTo(ism.compute(sources.get(i), centre,
                    MicArray.tetrahedral(MicArray.TETRA_RADIUS, Directivity.OMNI)));
        }
        assertThatThrownBy(() -> ism.compute(new Vec3(7, 1, 1), centre, MicArray.mono()))
                .hasMessageContaining("source at (7.000, 1.000, 1.000) is outside the 6.0 x 5.0 x 3.0 m room");
        assertThatThrownBy(() -> ShoeboxRoom.withRt60(new Vec3(2, 2, 2), 0.01, ShoeboxRoom.Rt60Model.SABINE, FS))
                .hasMessageContaining("too short");
    }

    @Test
    void rt60InversionsAgreeWithTheirFormulas() {
        ShoeboxRoom s = ShoeboxRoom.withRt60(new Vec3(6, 5, 3), 0.7, ShoeboxRoom.Rt60Model.SABINE, FS);
        assertThat(s.sabineRt60()).isCloseTo(0.7, Offset.offset(1e-12));
        ShoeboxRoom e = ShoeboxRoom.withRt60(new Vec3(6, 5, 3), 0.7, ShoeboxRoom.Rt60Model.EYRING, FS);
        assertThat(e.eyringRt60()).isCloseTo(0.7, Offset.offset(1e-12));
        assertThat(e.absorption()[0]).as("1 − e^(−a) < a").isLessThan(s.absorption()[0]);
    }
}

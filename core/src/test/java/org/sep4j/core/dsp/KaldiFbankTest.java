package org.sep4j.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sep4j.core.testing.Close.assertClose;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.testing.Close;
import org.sep4j.core.testing.Fixtures;
import org.sep4j.core.testing.Signals;

class KaldiFbankTest {

    private static final Safetensors.Contents GOLD = Fixtures.load("dsp/fbank");

    private static float[] minusMean(float[] x) {
        double m = 0;
        for (float v : x) {
            m += v;
        }
        float mean = (float) (m / x.length);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] - mean;
        }
        return y;
    }

    /**
     * Log mel energies agree to 1e-4 (absolute in log = relative in energy) wherever the band holds
     * more than 1e-6 of its frame's strongest band; weaker bands are float32 rounding in both
     * implementations and are held to that absolute energy floor instead.
     */
    static void assertLogEnergiesClose(float[][] expected, float[][] actual, String what) {
        assertThat(actual.length).as(what + " frames").isEqualTo(expected.length);
        for (int t = 0; t < expected.length; t++) {
            double peak = 0;
            for (float v : expected[t]) {
                peak = Math.max(peak, Math.exp(v));
            }
            for (int b = 0; b < expected[t].length; b++) {
                double e = Math.exp(expected[t][b]);
                double a = Math.exp(actual[t][b]);
                double limit = 1e-4 * e + 1e-6 * peak;
                if (Math.abs(a - e) > limit) {
                    throw new AssertionError(String.format("%s [%d][%d]: log energy %.6f, expected %.6f (energy error %.3g > %.3g)",
                            what, t, b, actual[t][b], expected[t][b], Math.abs(a - e), limit));
                }
            }
        }
    }

    @Test
    void audioSetCallMatchesTorchaudio() {
        float[] tone = GOLD.get("tone").floats();
        float[][] fb = new KaldiFbank(KaldiFbankConfig.audioSet()).compute(minusMean(tone));
        assertThat(GOLD.get("ast").shape()).containsExactly(fb.length, fb[0].length);
        assertLogEnergiesClose(GOLD.get("ast").floats2d(), fb, "AST fbank");
    }

    @Test
    void specGoldenValues() {
        float[][] fb = new KaldiFbank(KaldiFbankConfig.audioSet()).compute(minusMean(Signals.twoTones(16000, 16000)));
        assertThat(fb.length).isEqualTo(98);
        assertThat(fb[0].length).isEqualTo(128);
        // Frame 0's lowest bands lie 100+ dB under its peak: their energy is float32 rounding of the
        // frame-mean removal, so they agree to ~2e-4 in log (0.02 % in energy), not better.
        double[] head = {-14.10287, -15.60312, -12.15972, -15.94238};
        for (int k = 0; k < 4; k++) {
            assertThat((double) fb[0][k]).isCloseTo(head[k], Offset.offset(1e-3));
        }
        assertThat((double) fb[50][20]).isCloseTo(-0.35962, Offset.offset(1e-4));
        double mean = 0;
        for (float[] row : fb) {
            for (float v : row) {
                mean += v;
            }
        }
        assertThat(mean / (98 * 128)).isCloseTo(-11.67321, Offset.offset(1e-3));
        // the log floor is FLT_EPSILON
        assertThat((double) fb[0][3]).isCloseTo(Math.log(KaldiFbank.FLT_EPSILON), Offset.offset(1e-4));
    }

    @Test
    void torchaudioDefaultsMatch() {
        float[] noise = GOLD.get("noise").floats();
        float[][] fb = new KaldiFbank(KaldiFbankConfig.defaults(16000)).compute(noise);
        assertLogEnergiesClose(GOLD.get("default").floats2d(), fb, "default fbank");
    }

    @Test
    void energyHammingAndOtherRatesMatch() {
        float[] noise = GOLD.get("noise").floats();
        KaldiFbankConfig d = KaldiFbankConfig.defaults(8000);
        KaldiFbankConfig cfg = new KaldiFbankConfig(8000, 20.0, 8.0, 40, d.lowFreq(), d.highFreq(), Window.HAMMING,
                d.preemphasis(), true, true, true, true, true, true, 1.0, false, true);
        float[][] fb = new KaldiFbank(cfg).compute(noise);
        assertThat(GOLD.get("energy_8k").shape()).containsExactly(fb.length, 41);
        assertLogEnergiesClose(GOLD.get("energy_8k").floats2d(), fb, "fbank with energy");
    }

    @Test
    void audioSetInputPadsAndNormalises() {
        float[][] in = KaldiFbank.audioSetInput(Signals.twoTones(16000, 16000), 1024);
        assertThat(in).hasNumberOfRows(1024);
        // padded frames hold normalised zeros
        assertThat((double) in[1000][5]).isCloseTo(-KaldiFbank.AUDIOSET_MEAN / (2 * KaldiFbank.AUDIOSET_STD), Offset.offset(1e-6));
        assertThat((double) in[50][20]).isCloseTo((-0.35962 - KaldiFbank.AUDIOSET_MEAN) / (2 * KaldiFbank.AUDIOSET_STD), Offset.offset(1e-4));
    }
}

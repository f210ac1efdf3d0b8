package org.sep4j.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sep4j.core.testing.Close.assertClose;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.testing.Close;
import org.sep4j.core.testing.Fixtures;
import org.sep4j.core.testing.Signals;

class StftTest {

    private static final Safetensors.Contents GOLD = Fixtures.load("dsp/stft");

    /** The parameter sets of tools/fixtures/make_dsp_fixtures.py (stft_fixtures). */
    static Stream<Arguments> torchCases() {
        return Stream.of(
                Arguments.of("c512", new StftConfig(512, 128, 512, Window.HANN, true, PadMode.REFLECT, false, true), 2, -1),
                Arguments.of("odd511", new StftConfig(511, 100, 400, Window.HANN, true, PadMode.CONSTANT, true, true), 1, -1),
                Arguments.of("nocenter256", new StftConfig(256, 64, 256, Window.HAMMING, false, PadMode.REFLECT, false, true), 1, -1),
                Arguments.of("twosided400", new StftConfig(400, 160, 300, Window.HANN, true, PadMode.REFLECT, false, false), 2, 1500));
    }

    private static float[][] noise(int channels) {
        float[][] all = GOLD.get("noise").floats2d();
        float[][] x = new float[channels][];
        System.arraycopy(all, 0, x, 0, channels);
        return x;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("torchCases")
    void forwardMatchesTorchStft(String name, StftConfig cfg, int channels, int length) {
        Spectrogram s = new Stft(cfg).forward(noise(channels));
        long[] shape = GOLD.get(name + ".re").shape();
        assertThat(new long[] {s.channels(), s.bins(), s.frames()}).containsExactly(shape);
        assertClose(GOLD.get(name + ".re").floats(), s.re(), 1e-5, 1e-6, name + " real part");
        assertClose(GOLD.get(name + ".im").floats(), s.im(), 1e-5, 1e-6, name + " imaginary part");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("torchCases")
    void inverseMatchesTorchIstft(String name, StftConfig cfg, int channels, int length) {
        long[] shape = GOLD.get(name + ".re").shape();
        Spectrogram torchSpec = new Spectrogram((int) shape[0], (int) shape[1], (int) shape[2],
                GOLD.get(name + ".re").floats(), GOLD.get(name + ".im").floats());
        float[][] y = new Stft(cfg).inverse(torchSpec, length);
        assertClose(GOLD.get(name + ".istft").floats(), Close.flatten(y), 1e-5, 1e-6, name + " istft");
    }

    @Test
    void specGoldenValuesOnTwoTones() {
        float[] x = Signals.twoTones(16000, 16000);
        Stft stft = new Stft(StftConfig.of(512, 128));
        Spectrogram s = stft.forward(x);
        assertThat(s.bins()).isEqualTo(257);
        assertThat(s.frames()).isEqualTo(126);
        assertThat(new Stft(StftConfig.of(512, 128).withCenter(false)).forward(x).frames()).isEqualTo(122);
        assertThat((double) s.re(0, 0, 0)).isCloseTo(6.159410, within(6.159410));
        assertThat((double) s.re(0, 14, 10)).isCloseTo(60.616573, within(60.616573));
        assertThat((double) s.im(0, 14, 10)).isCloseTo(-19.695660, within(60.616573));
        assertThat((double) s.re(0, 96, 50)).isCloseTo(9.456647, within(30.570778));
        assertThat((double) s.im(0, 96, 50)).isCloseTo(-30.570778, within(30.570778));
        assertThat((double) s.re(0, 256, 124)).isCloseTo(-0.075584, within(60.0));
        double sumSq = 0;
        for (float p : s.power()) {
            sumSq += p;
        }
        assertThat(sumSq).isCloseTo(967799.69, org.assertj.core.data.Percentage.withPercentage(1e-3));
        assertThat(sumSq).isCloseTo(GOLD.get("tone.sumsq").doubles()[0], org.assertj.core.data.Percentage.withPercentage(1e-3));
    }

    /** 1e-4 relative to the largest magnitude in the spectrogram (the tolerance the issue asks for). */
    private static org.assertj.core.data.Offset<Double> within(double scale) {
        return org.assertj.core.data.Offset.offset(1e-4 * Math.max(1.0, scale));
    }

    @Test
    void pureToneAtBinCentrePeaksAtThatBin() {
        int sr = 16000;
        int nFft = 1024;
        int bin = 77; // 77·16000/1024 Hz, exactly on a bin
        float[] x = Signals.tone(bin * (double) sr / nFft, 1.0, sr, sr);
        Spectrogram s = new Stft(StftConfig.of(nFft, 256)).forward(x);
        float[] mag = s.magnitude();
        int t = s.frames() / 2;
        int best = 0;
        for (int f = 0; f < s.bins(); f++) {
            if (mag[s.index(0, f, t)] > mag[s.index(0, best, t)]) {
                best = f;
            }
        }
        assertThat(best).isEqualTo(bin);
        // Periodic Hann has coherent gain 1/2: a unit sine gives |X| = nFft/4 at its bin.
        assertThat((double) mag[s.index(0, bin, t)]).isCloseTo(nFft / 4.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void roundTripIsExactToFloatPrecision() {
        float[][] x = {Signals.noise(1, 32000, 0.3), Signals.noise(2, 32000, 0.3), Signals.twoTones(32000, 16000)};
        for (StftConfig cfg : new StftConfig[] {StftConfig.of(512, 128), StftConfig.of(1024, 256).withNormalized(true),
                StftConfig.of(511, 127).withPadMode(PadMode.CONSTANT), StftConfig.of(400, 100).withWinLength(320)}) {
            Stft stft = new Stft(cfg);
            float[][] y = stft.inverse(stft.forward(x), x[0].length);
            double err = Close.maxAbsDiff(Close.flatten(x), Close.flatten(y));
            assertThat(err).as("round trip error for %s", cfg).isLessThan(1e-5);
        }
    }

    @Test
    void batchedEqualsChannelByChannel() {
        float[][] x = {Signals.noise(3, 5000, 1), Signals.noise(4, 5000, 1)};
        Stft stft = new Stft(StftConfig.of(256, 64));
        Spectrogram both = stft.forward(x);
        for (int c = 0; c < 2; c++) {
            Spectrogram one = stft.forward(x[c]);
            for (int f = 0; f < one.bins(); f++) {
                for (int t = 0; t < one.frames(); t++) {
                    assertThat(both.re(c, f, t)).isEqualTo(one.re(0, f, t));
                    assertThat(both.im(c, f, t)).isEqualTo(one.im(0, f, t));
                }
            }
        }
    }

    @Test
    void wrapperDefaultsEqualTheStaticFormWithTheSameParameters() {
        StftConfig cfg = StftConfig.of(400);
        assertThat(cfg.hopLength()).isEqualTo(200);
        assertThat(cfg.window()).isEqualTo(Window.HANN);
        assertThat(cfg.center()).isTrue();
        assertThat(cfg.padMode()).isEqualTo(PadMode.REFLECT);
        float[][] x = {Signals.noise(5, 3000, 1)};
        Spectrogram a = new Stft(cfg).forward(x);
        Spectrogram b = Stft.forward(x, 400, 200, Window.HANN.periodic(400), true, PadMode.REFLECT, false, true);
        assertThat(a.re()).containsExactly(b.re());
        assertThat(a.im()).containsExactly(b.im());
        assertThat(cfg.frames(3000)).isEqualTo(a.frames()).isEqualTo(1 + 3000 / 200);
    }

    @Test
    void nolaViolationIsAClearError() {
        // Hann without centre: the first output sample has window envelope w[0]² = 0, as torch reports.
        StftConfig cfg = StftConfig.of(256, 64).withCenter(false);
        Stft stft = new Stft(cfg);
        Spectrogram s = stft.forward(Signals.noise(6, 2000, 1));
        assertThatThrownBy(() -> stft.inverse(s, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NOLA");
        // hop > win: gaps in the envelope
        StftConfig gappy = StftConfig.of(256, 200).withWinLength(128);
        Stft g = new Stft(gappy);
        Spectrogram gs = g.forward(Signals.noise(7, 4000, 1));
        assertThatThrownBy(() -> g.inverse(gs, -1)).hasMessageContaining("NOLA");
    }

    @Test
    void tooShortSignalsAreClearErrors() {
        Stft stft = new Stft(StftConfig.of(512, 128));
        assertThatThrownBy(() -> stft.forward(new float[100])).hasMessageContaining("reflect padding")
                .hasMessageContaining("100");
        Stft noCenter = new Stft(StftConfig.of(512, 128).withCenter(false));
        assertThatThrownBy(() -> noCenter.forward(new float[300])).hasMessageContaining("shorter than n_fft 512");
        assertThatThrownBy(() -> StftConfig.of(512, 128).withWinLength(600)).hasMessageContaining("win_length");
    }

    @Test
    void explicitLengthPadsWithZerosBeyondTheFrames() {
        Stft stft = new Stft(StftConfig.of(256, 64));
        float[] x = Signals.noise(8, 1000, 1);
        Spectrogram s = stft.forward(x);
        float[] y = stft.inverse(s, 1200)[0];
        assertThat(y).hasSize(1200);
        float[] head = java.util.Arrays.copyOf(y, 1000);
        assertClose(x, head, 1e-5, 1e-6, "head");
        // the frames cover hop·(T−1) + n_fft − n_fft/2 output samples; beyond that torch pads zeros
        for (int i = 64 * (s.frames() - 1) + 256 - 128; i < 1200; i++) {
            assertThat(y[i]).isZero();
        }
    }
}

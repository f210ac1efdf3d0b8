package org.sep4j.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sep4j.core.testing.Close.assertClose;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.testing.Fixtures;
import org.sep4j.core.testing.Signals;

class ResamplerTest {

    private static final Safetensors.Contents GOLD = Fixtures.load("dsp/resample");

    @Test
    void matchesTorchaudioResample() {
        float[] tone = GOLD.get("tone").floats();
        float[] noise = GOLD.get("noise").floats();
        assertClose(GOLD.get("tone_16k_8k").floats(), new Resampler(16000, 8000).resample(tone), 1e-4, 1e-6, "16k→8k");
        assertClose(GOLD.get("noise_44100_16000").floats(), new Resampler(44100, 16000).resample(noise), 1e-4, 1e-6,
                "44.1k→16k");
        Resampler kaiser = new Resampler(32000, 16000, 16, 0.95, Resampler.Method.SINC_KAISER, 8.0);
        assertClose(GOLD.get("noise_32000_16000_kaiser").floats(), kaiser.resample(noise), 1e-4, 1e-6, "kaiser 32k→16k");
        float[] first1000 = java.util.Arrays.copyOf(noise, 1000);
        assertClose(GOLD.get("noise_16000_44100").floats(), new Resampler(16000, 44100).resample(first1000), 1e-4, 1e-6,
                "16k→44.1k");
        float[] first1001 = java.util.Arrays.copyOf(noise, 1001);
        assertClose(GOLD.get("noise_16000_24000").floats(), new Resampler(16000, 24000).resample(first1001), 1e-4, 1e-6,
                "16k→24k (odd length)");
    }

    @Test
    void adjointIsTheTranspose() {
        // <R x, y> = <x, Rᵀ y> for up-, down- and irrational-looking ratios, odd lengths included
        int[][] cases = {{16000, 48000, 700}, {16000, 48000, 1001}, {48000, 16000, 999}, {44100, 16000, 3000}, {16000, 16000, 50}};
        for (int[] c : cases) {
            Resampler rs = new Resampler(c[0], c[1]);
            org.sep4j.core.testing.Adjoints.assertTranspose(c[2], rs.outputLength(c[2]), rs::resample, y -> rs.adjoint(y, c[2]), 7, 1e-4,
                    c[0] + " → " + c[1] + " Hz, " + c[2] + " samples");
        }
        assertThatThrownBy(() -> new Resampler(16000, 48000).adjoint(new float[10], 5)).hasMessageContaining("takes a gradient of 15");
    }

    @Test
    void specGoldenValues() {
        float[] y = new Resampler(16000, 8000).resample(Signals.twoTones(16000, 16000));
        assertThat(y).hasSize(8000);
        assertThat((double) y[100]).isCloseTo(-0.072752, Offset.offset(1e-5));
        assertThat((double) y[101]).isCloseTo(-0.284181, Offset.offset(1e-5));
        assertThat((double) y[102]).isCloseTo(-0.083437, Offset.offset(1e-5));
    }

    @Test
    void removesContentAboveTheNewNyquist() {
        // A unit 6 kHz tone has no place at 8 kHz: what leaks through the anti-aliasing filter (mostly
        // at the zero-padded edges) is small, and the same as torchaudio's.
        float[] y = new Resampler(16000, 8000).resample(Signals.tone(6000, 1.0, 16000, 16000));
        double sum = 0;
        for (float v : y) {
            sum += v * v;
        }
        double rms = Math.sqrt(sum / y.length);
        assertThat(rms).isLessThan(3e-3);
        assertThat(rms).isCloseTo(GOLD.get("tone6k_16k_8k_rms").doubles()[0], Offset.offset(2e-5));
    }

    @Test
    void keepsInBandTonesAndLengths() {
        Resampler r = new Resampler(44100, 16000);
        assertThat(r.outputLength(44100)).isEqualTo(16000);
        assertThat(r.outputLength(441)).isEqualTo(160);
        assertThat(r.outputLength(1)).isEqualTo(1);
        float[] y = r.resample(Signals.tone(1000, 0.5, 44100, 44100));
        float[] expected = Signals.tone(1000, 0.5, 16000, 16000);
        // compare away from the edges, where the zero padding bites
        for (int i = 200; i < 15800; i++) {
            assertThat((double) y[i]).isCloseTo(expected[i], Offset.offset(2e-3));
        }
    }

    @Test
    void identityAndErrors() {
        float[] x = Signals.noise(1, 100, 1);
        assertThat(new Resampler(16000, 16000).resample(x)).containsExactly(x);
        assertThatThrownBy(() -> new Resampler(0, 16000)).hasMessageContaining("positive");
        Audio a = Audio.mono(x, 22050);
        assertThatThrownBy(() -> new Resampler(16000, 8000).resample(a)).hasMessageContaining("22050");
        Audio b = Resampler.resample(Audio.mono(x, 16000), 8000);
        assertThat(b.sampleRate()).isEqualTo(8000);
        assertThat(b.length()).isEqualTo(50);
    }
}

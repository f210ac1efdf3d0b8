package org.sep4j.core.audio;

import java.util.Arrays;

/**
 * A multichannel waveform at a fixed sample rate.
 *
 * <p>Shape {@code [channels][samples]}; every channel has the same length. The arrays are owned by
 * the value: callers that keep a reference to the input arrays must not modify them.
 *
 * @param samples    per-channel samples, {@code samples[c][n]}
 * @param sampleRate samples per second, positive
 */
public record Audio(float[][] samples, int sampleRate) {

    public Audio {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        if (samples == null || samples.length == 0) {
            throw new IllegalArgumentException("audio needs at least one channel");
        }
        int length = samples[0].length;
        for (int c = 1; c < samples.length; c++) {
            if (samples[c].length != length) {
                throw new IllegalArgumentException("channel " + c + " has " + samples[c].length
                        + " samples but channel 0 has " + length + ": all channels must be equally long");
            }
        }
    }

    /** A mono waveform. */
    public static Audio mono(float[] samples, int sampleRate) {
        return new Audio(new float[][] {samples}, sampleRate);
    }

    /** Digital silence of the given shape. */
    public static Audio silence(int channels, int length, int sampleRate) {
        return new Audio(new float[channels][length], sampleRate);
    }

    public int channels() {
        return samples.length;
    }

    /** Number of samples per channel. */
    public int length() {
        return samples[0].length;
    }

    /** Duration in seconds, derived from the integer sample count. */
    public double seconds() {
        return (double) length() / sampleRate;
    }

    /** One channel (the live array, not a copy). */
    public float[] channel(int c) {
        return samples[c];
    }

    /** The average of all channels. */
    public float[] downmix() {
        float[] out = new float[length()];
        for (float[] ch : samples) {
            for (int n = 0; n < out.length; n++) {
                out[n] += ch[n];
            }
        }
        float scale = 1f / channels();
        for (int n = 0; n < out.length; n++) {
            out[n] *= scale;
        }
        return out;
    }

    /** Largest absolute sample value over all channels. */
    public float peak() {
        float peak = 0f;
        for (float[] ch : samples) {
            for (float v : ch) {
                peak = Math.max(peak, Math.abs(v));
            }
        }
        return peak;
    }

    /** A deep copy. */
    public Audio copy() {
        float[][] out = new float[samples.length][];
        for (int c = 0; c < samples.length; c++) {
            out[c] = samples[c].clone();
        }
        return new Audio(out, sampleRate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Audio a && a.sampleRate == sampleRate && Arrays.deepEquals(a.samples, samples);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(samples) + sampleRate;
    }

    @Override
    public String toString() {
        return "Audio[" + channels() + " ch × " + length() + " samples @ " + sampleRate + " Hz]";
    }
}

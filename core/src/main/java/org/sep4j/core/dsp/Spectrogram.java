package org.sep4j.core.dsp;

/**
 * A complex spectrogram, shape {@code [channels][bins][frames]} (torch.stft's (C, F, T)), stored
 * as two flat row-major arrays.
 *
 * <p>Index of (c, f, t) is {@code (c·bins + f)·frames + t}.
 */
public final class Spectrogram {

    private final int channels;
    private final int bins;
    private final int frames;
    private final float[] re;
    private final float[] im;

    public Spectrogram(int channels, int bins, int frames, float[] re, float[] im) {
        long size = (long) channels * bins * frames;
        if (channels <= 0 || bins <= 0 || frames < 0) {
            throw new IllegalArgumentException("bad spectrogram shape [" + channels + ", " + bins + ", " + frames + "]");
        }
        if (re.length != size || im.length != size) {
            throw new IllegalArgumentException("spectrogram [" + channels + ", " + bins + ", " + frames + "] needs "
                    + size + " values per part, got re " + re.length + ", im " + im.length);
        }
        this.channels = channels;
        this.bins = bins;
        this.frames = frames;
        this.re = re;
        this.im = im;
    }

    /** A zero spectrogram of the given shape. */
    public static Spectrogram zeros(int channels, int bins, int frames) {
        int size = Math.multiplyExact(Math.multiplyExact(channels, bins), frames);
        return new Spectrogram(channels, bins, frames, new float[size], new float[size]);
    }

    public int channels() {
        return channels;
    }

    public int bins() {
        return bins;
    }

    public int frames() {
        return frames;
    }

    /** Real parts, flat {@code [c][f][t]} (the live array). */
    public float[] re() {
        return re;
    }

    /** Imaginary parts, flat {@code [c][f][t]} (the live array). */
    public float[] im() {
        return im;
    }

    public int index(int c, int f, int t) {
        return (c * bins + f) * frames + t;
    }

    public float re(int c, int f, int t) {
        return re[index(c, f, t)];
    }

    public float im(int c, int f, int t) {
        return im[index(c, f, t)];
    }

    /** |X|, flat {@code [c][f][t]}. */
    public float[] magnitude() {
        float[] out = new float[re.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.sqrt((double) re[i] * re[i] + (double) im[i] * im[i]);
        }
        return out;
    }

    /** |X|², flat {@code [c][f][t]}. */
    public float[] power() {
        float[] out = new float[re.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = re[i] * re[i] + im[i] * im[i];
        }
        return out;
    }

    /** arg X in (−π, π], flat {@code [c][f][t]}. */
    public float[] phase() {
        float[] out = new float[re.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.atan2(im[i], re[i]);
        }
        return out;
    }

    /** Builds a spectrogram from magnitude and phase (both flat {@code [c][f][t]}). */
    public static Spectrogram fromPolar(int channels, int bins, int frames, float[] magnitude, float[] phase) {
        float[] re = new float[magnitude.length];
        float[] im = new float[magnitude.length];
        for (int i = 0; i < re.length; i++) {
            re[i] = (float) (magnitude[i] * Math.cos(phase[i]));
            im[i] = (float) (magnitude[i] * Math.sin(phase[i]));
        }
        return new Spectrogram(channels, bins, frames, re, im);
    }

    @Override
    public String toString() {
        return "Spectrogram[" + channels + " ch × " + bins + " bins × " + frames + " frames]";
    }
}

package org.sep4j.core.dsp;

import java.util.Locale;

/**
 * Analysis windows, matching {@code torch.hann_window}, {@code torch.hamming_window} and Kaldi's
 * "povey" window.
 *
 * <p>Periodic windows (the STFT default) use denominator N; symmetric ones N − 1, as Kaldi and
 * filter design do.
 */
public enum Window {
    /** w[n] = 0.5 − 0.5·cos(2πn/D). */
    HANN,
    /** w[n] = 0.54 − 0.46·cos(2πn/D). */
    HAMMING,
    /** Kaldi's window: symmetric Hann raised to 0.85. */
    POVEY,
    /** All ones. */
    RECTANGULAR;

    /**
     * The window of the given length.
     *
     * @param length   number of taps, positive
     * @param periodic true: denominator = length (for spectral analysis); false: length − 1
     */
    public float[] create(int length, boolean periodic) {
        if (length <= 0) {
            throw new IllegalArgumentException("window length must be positive, got " + length);
        }
        float[] w = new float[length];
        if (length == 1) {
            w[0] = 1f;
            return w;
        }
        double denom = periodic ? length : length - 1;
        for (int n = 0; n < length; n++) {
            double phase = 2 * Math.PI * n / denom;
            w[n] = (float) switch (this) {
                case HANN -> 0.5 - 0.5 * Math.cos(phase);
                case HAMMING -> 0.54 - 0.46 * Math.cos(phase);
                case POVEY -> Math.pow(0.5 - 0.5 * Math.cos(2 * Math.PI * n / (length - 1)), 0.85);
                case RECTANGULAR -> 1.0;
            };
        }
        return w;
    }

    /** The periodic form, as {@code torch.stft} callers use it. */
    public float[] periodic(int length) {
        return create(length, true);
    }

    /** Parses a config name: hann, hamming, povey, rectangular (or rect/boxcar/ones). */
    public static Window parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "hann", "hanning" -> HANN;
            case "hamming" -> HAMMING;
            case "povey" -> POVEY;
            case "rectangular", "rect", "boxcar", "ones" -> RECTANGULAR;
            default -> throw new IllegalArgumentException("unknown window '" + name
                    + "' (expected one of hann, hamming, povey, rectangular)");
        };
    }

    /**
     * Zero-pads a window of length {@code win} centrally to {@code nFft}, as torch.stft does:
     * (nFft − win)/2 zeros on the left.
     */
    public static float[] padCentered(float[] window, int nFft) {
        if (window.length > nFft) {
            throw new IllegalArgumentException("window length " + window.length + " exceeds n_fft " + nFft);
        }
        if (window.length == nFft) {
            return window;
        }
        float[] out = new float[nFft];
        System.arraycopy(window, 0, out, (nFft - window.length) / 2, window.length);
        return out;
    }
}

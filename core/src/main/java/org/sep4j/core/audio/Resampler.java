package org.sep4j.core.audio;

import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Band-limited resampling by a windowed-sinc polyphase filter, matching
 * {@code torchaudio.functional.resample} (torchaudio 0.13).
 *
 * <p>Both rates are divided by their gcd (orig → o, new → m). The low-pass cut-off is
 * rolloff·min(o, m) (in units of the reduced rates); each of the m output phases has a kernel of
 * 2·width + o taps, width = ⌈lowpassFilterWidth·o / cutoff⌉, windowed by Hann (cos²) or Kaiser(β).
 * The input is zero-padded by width on the left and width + o on the right; output length is
 * ⌈m·L / o⌉. Any rational ratio works (32k→16k, 44.1k→16k). Instances are immutable and thread-safe.
 */
public final class Resampler {

    /** Window applied to the sinc. */
    public enum Method {
        /** torchaudio's "sinc_interp_hann" (formerly "sinc_interpolation"). */
        SINC_HANN,
        /** torchaudio's "sinc_interp_kaiser" (formerly "kaiser_window"). */
        SINC_KAISER;

        public static Method parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "sinc_interp_hann", "sinc_interpolation", "hann" -> SINC_HANN;
                case "sinc_interp_kaiser", "kaiser_window", "kaiser" -> SINC_KAISER;
                default -> throw new IllegalArgumentException("unknown resampling method '" + s
                        + "' (expected sinc_interp_hann or sinc_interp_kaiser)");
            };
        }
    }

    /** torchaudio's default Kaiser β. */
    public static final double DEFAULT_BETA = 14.769656459379492;

    private final int origRate;
    private final int newRate;
    private final int orig;
    private final int step;
    private final int width;
    private final float[][] kernels;

    /** torchaudio's defaults: width 6, rolloff 0.99, Hann. */
    public Resampler(int origRate, int newRate) {
        this(origRate, newRate, 6, 0.99, Method.SINC_HANN, DEFAULT_BETA);
    }

    public Resampler(int origRate, int newRate, int lowpassFilterWidth, double rolloff, Method method, double beta) {
        if (origRate <= 0 || newRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive, got " + origRate + " → " + newRate);
        }
        if (lowpassFilterWidth <= 0) {
            throw new IllegalArgumentException("lowpass_filter_width must be positive, got " + lowpassFilterWidth);
        }
        if (!(rolloff > 0 && rolloff <= 1)) {
            throw new IllegalArgumentException("rolloff must be in (0, 1], got " + rolloff);
        }
        this.origRate = origRate;
        this.newRate = newRate;
        int g = gcd(origRate, newRate);
        this.orig = origRate / g;
        this.step = newRate / g;
        double base = Math.min(orig, step) * rolloff;
        this.width = (int) Math.ceil(lowpassFilterWidth * orig / base);
        int taps = 2 * width + orig;
        this.kernels = new float[step][taps];
        double i0Beta = besselI0(beta);
        double scale = base / orig;
        for (int phase = 0; phase < step; phase++) {
            for (int k = 0; k < taps; k++) {
                double t = (-(double) phase / step + (double) (k - width) / orig) * base;
                t = Math.max(-lowpassFilterWidth, Math.min(lowpassFilterWidth, t));
                double window;
                if (method == Method.SINC_HANN) {
                    double c = Math.cos(t * Math.PI / lowpassFilterWidth / 2);
                    window = c * c;
                } else {
                    double r = t / lowpassFilterWidth;
                    window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
                }
                double x = t * Math.PI;
                double sinc = x == 0 ? 1.0 : Math.sin(x) / x;
                kernels[phase][k] = (float) (sinc * window * scale);
            }
        }
    }

    public int origRate() {
        return origRate;
    }

    public int newRate() {
        return newRate;
    }

    /** Output samples for {@code length} input samples: ⌈m·L / o⌉. */
    public int outputLength(int length) {
        return (int) ((step * (long) length + orig - 1) / orig);
    }

    /** Resamples one channel. */
    public float[] resample(float[] x) {
        if (origRate == newRate) {
            return x.clone();
        }
        int length = x.length;
        int outLen = outputLength(length);
        float[] y = new float[outLen];
        int taps = kernels[0].length;
        int frames = (outLen + step - 1) / step;
        int block = 256;
        IntStream.range(0, (frames + block - 1) / block).parallel().forEach(b -> {
            int f1 = Math.min(frames, (b + 1) * block);
            for (int f = b * block; f < f1; f++) {
                int start = f * orig - width; // input index of tap 0 (left zero padding = width)
                int kLo = Math.max(0, -start);
                int kHi = Math.min(taps, length - start);
                for (int phase = 0; phase < step; phase++) {
                    int j = f * step + phase;
                    if (j >= outLen) {
                        break;
                    }
                    float[] kern = kernels[phase];
                    float acc = 0f;
                    for (int k = kLo; k < kHi; k++) {
                        acc += x[start + k] * kern[k];
                    }
                    y[j] = acc;
                }
            }
        });
        return y;
    }

    /**
     * The transpose of {@link #resample(float[])}: given a gradient with respect to the output, the
     * gradient with respect to the {@code length} input samples (the resampler is linear, so this is
     * how a loss on resampled audio trains what made it).
     */
    public float[] adjoint(float[] gradient, int length) {
        if (origRate == newRate) {
            return java.util.Arrays.copyOf(gradient, length);
        }
        int outLen = outputLength(length);
        if (gradient.length != outLen) {
            throw new IllegalArgumentException("adjoint of " + length + " samples takes a gradient of " + outLen + ", got "
                    + gradient.length);
        }
        float[] x = new float[length];
        int taps = kernels[0].length;
        int frames = (outLen + step - 1) / step;
        for (int f = 0; f < frames; f++) { // serial: neighbouring frames share input samples
            int start = f * orig - width;
            int kLo = Math.max(0, -start);
            int kHi = Math.min(taps, length - start);
            for (int phase = 0; phase < step; phase++) {
                int j = f * step + phase;
                if (j >= outLen) {
                    break;
                }
                float g = gradient[j];
                float[] kern = kernels[phase];
                for (int k = kLo; k < kHi; k++) {
                    x[start + k] += g * kern[k];
                }
            }
        }
        return x;
    }

    /** Resamples every channel. */
    public Audio resample(Audio audio) {
        if (audio.sampleRate() != origRate) {
            throw new IllegalArgumentException("resampler built for " + origRate + " Hz was given " + audio.sampleRate()
                    + " Hz audio");
        }
        float[][] out = new float[audio.channels()][];
        for (int c = 0; c < out.length; c++) {
            out[c] = resample(audio.channel(c));
        }
        return new Audio(out, newRate);
    }

    /** One-off resampling with torchaudio's defaults. */
    public static Audio resample(Audio audio, int newRate) {
        return audio.sampleRate() == newRate ? audio : new Resampler(audio.sampleRate(), newRate).resample(audio);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** Modified Bessel function of the first kind, order 0, by its power series. */
    static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 500; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }
}

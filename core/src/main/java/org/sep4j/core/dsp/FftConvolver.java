package org.sep4j.core.dsp;

import java.util.Locale;
import java.util.stream.IntStream;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Linear convolution through the FFT, with scipy.signal.fftconvolve's output modes, and
 * overlap-add for long signals with short kernels (e.g. a minute of audio through a 0.5 s RIR).
 *
 * <ul>
 *   <li>{@link Mode#FULL}: nx + nh − 1 samples.</li>
 *   <li>{@link Mode#SAME}: nx samples, the full output from index (nh − 1)/2 (scipy's centring).</li>
 *   <li>{@link Mode#VALID}: nx − nh + 1 samples (needs nx ≥ nh), where the kernel overlaps fully.</li>
 * </ul>
 * Multichannel forms pair channels one to one, or broadcast a single channel of either operand.
 * Single-precision FFTs: expect ~1e-6 relative error against a double-precision direct sum.
 */
public final class FftConvolver {

    /** Output extent, as in scipy and numpy. */
    public enum Mode {
        FULL, SAME, VALID;

        public static Mode parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    private FftConvolver() {
    }

    /** Full convolution of two mono signals. */
    public static float[] convolve(float[] x, float[] h) {
        return convolve(x, h, Mode.FULL);
    }

    public static float[] convolve(float[] x, float[] h, Mode mode) {
        return crop(full(x, h), x.length, h.length, mode);
    }

    /**
     * Channel-wise convolution: {@code x[c] * h[c]}; a one-channel operand is used for every channel
     * of the other (mono source × multichannel RIR gives a multichannel image).
     */
    public static float[][] convolve(float[][] x, float[][] h, Mode mode) {
        int channels = Math.max(x.length, h.length);
        if (x.length != h.length && x.length != 1 && h.length != 1) {
            throw new IllegalArgumentException("convolution of " + x.length + " signal channels with " + h.length
                    + " kernel channels: counts must match, or one side must be mono");
        }
        float[][] out = new float[channels][];
        IntStream.range(0, channels).parallel().forEach(c -> {
            float[] xc = x[x.length == 1 ? 0 : c];
            float[] hc = h[h.length == 1 ? 0 : c];
            out[c] = convolve(xc, hc, mode);
        });
        return out;
    }

    /** Output length of a mode for the given operand lengths. */
    public static int outputLength(int nx, int nh, Mode mode) {
        return switch (mode) {
            case FULL -> nx + nh - 1;
            case SAME -> nx;
            case VALID -> {
                if (nx < nh) {
                    throw new IllegalArgumentException("valid convolution needs the signal (" + nx
                            + " samples) at least as long as the kernel (" + nh + ")");
                }
                yield nx - nh + 1;
            }
        };
    }

    private static float[] crop(float[] full, int nx, int nh, Mode mode) {
        int len = outputLength(nx, nh, mode);
        int start = switch (mode) {
            case FULL -> 0;
            case SAME -> (nh - 1) / 2;
            case VALID -> nh - 1;
        };
        if (start == 0 && len == full.length) {
            return full;
        }
        float[] out = new float[len];
        System.arraycopy(full, start, out, 0, len);
        return out;
    }

    private static float[] full(float[] x, float[] h) {
        if (x.length == 0 || h.length == 0) {
            throw new IllegalArgumentException("convolution of an empty signal (lengths " + x.length + ", " + h.length + ")");
        }
        // Convolution commutes: let h be the shorter operand.
        float[] a = x.length >= h.length ? x : h;
        float[] b = x.length >= h.length ? h : x;
        int n = a.length + b.length - 1;
        int block = overlapAddFft(b.length);
        if (n <= 2 * block) {
            int size = nextPow2(n);
            float[] fa = new float[size];
            float[] fb = new float[size];
            System.arraycopy(a, 0, fa, 0, a.length);
            System.arraycopy(b, 0, fb, 0, b.length);
            FloatFFT_1D fft = plan(size);
            fft.realForward(fa);
            fft.realForward(fb);
            multiplyPacked(fa, fb);
            fft.realInverse(fa, true);
            float[] out = new float[n];
            System.arraycopy(fa, 0, out, 0, n);
            return out;
        }
        return overlapAdd(a, b, block);
    }

    /**
     * JTransforms' plan of a size, kept per thread: making its twiddle tables costs about as much as a
     * transform, and scene generation convolves at a handful of sizes over and over.
     */
    private static final ThreadLocal<java.util.Map<Integer, FloatFFT_1D>> PLANS =
            ThreadLocal.withInitial(java.util.HashMap::new);

    private static FloatFFT_1D plan(int size) {
        java.util.Map<Integer, FloatFFT_1D> plans = PLANS.get();
        if (plans.size() > 16) { // a long tail of sizes (e.g. a user's many file lengths): start over
            plans.clear();
        }
        return plans.computeIfAbsent(size, FloatFFT_1D::new);
    }

    /** FFT size for overlap-add with a kernel of {@code nh} taps: 4–8× the kernel, at least 1024. */
    private static int overlapAddFft(int nh) {
        return Math.max(1024, nextPow2(4 * nh));
    }

    private static float[] overlapAdd(float[] a, float[] h, int size) {
        int hop = size - h.length + 1;
        float[] kernel = new float[size];
        System.arraycopy(h, 0, kernel, 0, h.length);
        FloatFFT_1D fft = plan(size);
        fft.realForward(kernel);
        float[] out = new float[a.length + h.length - 1];
        float[] buf = new float[size];
        for (int start = 0; start < a.length; start += hop) {
            int len = Math.min(hop, a.length - start);
            System.arraycopy(a, start, buf, 0, len);
            java.util.Arrays.fill(buf, len, size, 0f);
            fft.realForward(buf);
            multiplyPacked(buf, kernel);
            fft.realInverse(buf, true);
            int valid = Math.min(size, out.length - start);
            for (int i = 0; i < valid; i++) {
                out[start + i] += buf[i];
            }
        }
        return out;
    }

    /** a ← a·b for two spectra in JTransforms' packed real layout of an even size. */
    private static void multiplyPacked(float[] a, float[] b) {
        a[0] *= b[0];
        a[1] *= b[1];
        for (int k = 2; k < a.length; k += 2) {
            float re = a[k] * b[k] - a[k + 1] * b[k + 1];
            float im = a[k] * b[k + 1] + a[k + 1] * b[k];
            a[k] = re;
            a[k + 1] = im;
        }
    }

    static int nextPow2(int n) {
        int p = Integer.highestOneBit(Math.max(1, n));
        return p == n ? p : p << 1;
    }
}

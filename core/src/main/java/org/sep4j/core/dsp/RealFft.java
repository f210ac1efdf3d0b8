package org.sep4j.core.dsp;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * A real FFT of one size with JTransforms' packed layout hidden: forward gives n/2 + 1 bins,
 * inverse takes them back (imaginary parts of DC, and of Nyquist for even n, are ignored, as any
 * C2R transform does). Not thread-safe: holds a work buffer; make one per thread.
 *
 * <p>Kernel e^(−j2πkn/N), unnormalised forward, 1/N inverse (numpy/torch "backward" norm).
 */
public final class RealFft {

    private final int n;
    private final FloatFFT_1D fft;
    private final float[] work;

    public RealFft(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("FFT size must be positive, got " + n);
        }
        this.n = n;
        this.fft = new FloatFFT_1D(n);
        this.work = new float[n];
    }

    public int size() {
        return n;
    }

    /** Number of onesided bins, n/2 + 1. */
    public int bins() {
        return n / 2 + 1;
    }

    /**
     * Transforms {@code x[off .. off+n)} (left intact) into {@code re/im[0 .. bins)}.
     */
    public void forward(float[] x, int off, float[] re, float[] im) {
        System.arraycopy(x, off, work, 0, n);
        forwardInPlace(re, im);
    }

    /** Transforms the internal buffer as filled through {@link #buffer()}. */
    public void forwardInPlace(float[] re, float[] im) {
        float[] a = work;
        fft.realForward(a);
        re[0] = a[0];
        im[0] = 0f;
        int half = n / 2;
        if ((n & 1) == 0) {
            for (int k = 1; k < half; k++) {
                re[k] = a[2 * k];
                im[k] = a[2 * k + 1];
            }
            if (n > 1) {
                re[half] = a[1];
                im[half] = 0f;
            }
        } else {
            for (int k = 1; k < half; k++) {
                re[k] = a[2 * k];
                im[k] = a[2 * k + 1];
            }
            if (half >= 1) {
                re[half] = a[n - 1];
                im[half] = a[1];
            }
        }
    }

    /**
     * Transforms the work buffer in place into JTransforms' packed layout: for even n, a[0] = X[0],
     * a[1] = X[n/2], a[2k], a[2k+1] = Re, Im X[k]; for odd n, a[1] = Im X[(n−1)/2] and
     * a[n−1] = Re X[(n−1)/2]. Use {@link #packedRe}/{@link #packedIm} to read bins.
     */
    public float[] forwardPacked() {
        fft.realForward(work);
        return work;
    }

    /** Re X[k] from a packed spectrum of size n. */
    static float packedRe(float[] a, int k, int n) {
        if (k == 0) {
            return a[0];
        }
        if (2 * k == n) {
            return a[1];
        }
        return 2 * k == n - 1 ? a[n - 1] : a[2 * k];
    }

    /** Im X[k] from a packed spectrum of size n. */
    static float packedIm(float[] a, int k, int n) {
        if (k == 0 || 2 * k == n) {
            return 0f;
        }
        return 2 * k == n - 1 ? a[1] : a[2 * k + 1];
    }

    /** The n-sample work buffer: fill it, then call {@link #forwardInPlace}. */
    public float[] buffer() {
        return work;
    }

    /**
     * Inverse transform of onesided bins {@code re/im[0 .. bins)} into {@code out[0 .. n)}, scaled
     * by 1/n.
     */
    public void inverse(float[] re, float[] im, float[] out) {
        float[] a = work;
        int half = n / 2;
        a[0] = re[0];
        if ((n & 1) == 0) {
            for (int k = 1; k < half; k++) {
                a[2 * k] = re[k];
                a[2 * k + 1] = im[k];
            }
            if (n > 1) {
                a[1] = re[half];
            }
        } else {
            for (int k = 1; k < half; k++) {
                a[2 * k] = re[k];
                a[2 * k + 1] = im[k];
            }
            if (half >= 1) {
                a[n - 1] = re[half];
                a[1] = im[half];
            }
        }
        fft.realInverse(a, true);
        System.arraycopy(a, 0, out, 0, n);
    }
}

package org.sep4j.evaluation.metrics;

import java.util.HashMap;
import java.util.Map;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Real FFTs of the sizes one PESQ run needs, planned once per run (a run is single-threaded, so
 * the plans are not shared). Spectra use JTransforms' packed layout: a[0] = Re X₀, a[1] = Re X_{n/2},
 * a[2k], a[2k+1] = Re, Im X_k.
 */
final class PesqFft {

    private final Map<Integer, DoubleFFT_1D> plans = new HashMap<>();

    private DoubleFFT_1D plan(int n) {
        return plans.computeIfAbsent(n, DoubleFFT_1D::new);
    }

    void forward(double[] a) {
        plan(a.length).realForward(a);
    }

    /** Inverse with the 1/n scale. */
    void inverse(double[] a) {
        plan(a.length).realInverse(a, true);
    }

    /** a ← a·b, or conj(a)·b when {@code conjugateA}, bin by bin on packed spectra. */
    static void multiply(double[] a, double[] b, boolean conjugateA) {
        a[0] *= b[0];
        a[1] *= b[1];
        double sign = conjugateA ? -1 : 1;
        for (int k = 2; k < a.length; k += 2) {
            double re = a[k];
            double im = sign * a[k + 1];
            a[k] = re * b[k] - im * b[k + 1];
            a[k + 1] = re * b[k + 1] + im * b[k];
        }
    }

    /** The smallest power of two ≥ n. */
    static int nextPow2(int n) {
        int c = 1;
        while (c < n) {
            c <<= 1;
        }
        return c;
    }
}

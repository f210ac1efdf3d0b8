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
    private final Map<GainKey, double[]> gains = new HashMap<>();

    /** The curve by identity (a record compares array fields by reference). */
    private record GainKey(double[][] curve, int fs, int n) {
    }

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

    /**
     * Linear gain per bin k = 0 … n/2 of a size-n transform at {@code fs}: the {Hz, dB} curve
     * interpolated at k·fs/n, relative to its value at 1 kHz. Kept for the run, since both signals
     * of a pair usually share the size.
     */
    double[] gains(double[][] curveDb, int fs, int n) {
        return gains.computeIfAbsent(new GainKey(curveDb, fs, n), key -> {
            double[] g = new double[n / 2 + 1];
            double at1k = PesqSignal.interpolate(1000, curveDb);
            double resolution = (double) fs / n;
            double toLog = Math.log(10) / 20;
            int segment = 1; // the table segment [segment - 1, segment] holding f, as interpolate picks it
            int last = curveDb.length - 1;
            for (int k = 0; k <= n / 2; k++) {
                double f = k * resolution;
                while (segment < last && curveDb[segment][0] < f) {
                    segment++;
                }
                double f0 = curveDb[segment - 1][0];
                double f1 = curveDb[segment][0];
                double db = ((f - f0) * curveDb[segment][1] + (f1 - f) * curveDb[segment - 1][1]) / (f1 - f0);
                g[k] = Math.exp((db - at1k) * toLog);
            }
            return g;
        });
    }

    /** Scales packed spectrum bins by real gains g[0 … n/2]. */
    static void scale(double[] a, double[] g) {
        int half = a.length / 2;
        a[0] *= g[0];
        a[1] *= g[half];
        for (int k = 1; k < half; k++) {
            a[2 * k] *= g[k];
            a[2 * k + 1] *= g[k];
        }
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

package org.sep4j.evaluation.metrics;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Least-squares projections of signals onto the span of a set of basis signals at delays
 * 0..flen−1 — the core of BSS Eval — computed from correlations alone.
 *
 * <p>For a basis {b_k(t − a)} the Gram matrix is block-Toeplitz with blocks
 * R(τ)_kl = Σ_u b_k(u)·b_l(u + τ); the projection of a signal e has coefficients c solving
 * T·c = d with d_k(a) = Σ_u b_k(u)·e(u + a), and energy ‖P e‖² = cᵀd. Correlations come from
 * double-precision FFTs of size ≥ L + flen − 1 (no wrap-around), so every number equals the
 * explicit zero-padded computation of mir_eval. Solved by {@link BlockToeplitz}, falling back to
 * an SVD least-squares solve (as mir_eval falls back to lstsq) when the Gram matrix is singular.
 */
final class Projection {

    private final int flen;
    private final int nfft;
    private final DoubleFFT_1D fft;

    Projection(int length, int flen) {
        this.flen = flen;
        // Any size ≥ L + flen − 1 avoids wrap-around; a 5-smooth one is up to ~40 % smaller than
        // the next power of two and JTransforms' mixed-radix kernels handle it at full speed.
        this.nfft = smooth(length + flen - 1);
        this.fft = new DoubleFFT_1D(nfft);
    }

    /** The smallest 2^a·3^b·5^c ≥ n with a ≥ 1 (even sizes keep the packed layout simple). */
    static int smooth(int n) {
        long best = Long.MAX_VALUE;
        for (long p5 = 1; p5 < 2L * n; p5 *= 5) {
            for (long p35 = p5; p35 < 2L * n; p35 *= 3) {
                long v = p35 * 2;
                while (v < n) {
                    v *= 2;
                }
                best = Math.min(best, v);
            }
        }
        return (int) best;
    }

    /** The zero-padded real FFT of a signal, JTransforms packed layout. */
    double[] spectrum(float[] x) {
        double[] a = new double[nfft];
        for (int i = 0; i < x.length; i++) {
            a[i] = x[i];
        }
        fft.realForward(a);
        return a;
    }

    /** Spectra of several signals, computed in parallel. */
    double[][] spectra(float[][] signals) {
        double[][] out = new double[signals.length][];
        java.util.stream.IntStream.range(0, signals.length).parallel().forEach(i -> out[i] = spectrum(signals[i]));
        return out;
    }

    /** {@code [source][channel][sample]} flattened to {@code [source·channels + channel][sample]}. */
    static float[][] flatten(float[][][] x) {
        int nchan = x[0].length;
        float[][] out = new float[x.length * nchan][];
        for (int j = 0; j < x.length; j++) {
            for (int c = 0; c < nchan; c++) {
                out[j * nchan + c] = x[j][c];
            }
        }
        return out;
    }

    /** ifft(conj(A)·B): element τ is Σ_u a(u)·b(u + τ); negative lags wrap to nfft − |τ|. */
    double[] correlate(double[] a, double[] b) {
        double[] c = new double[nfft];
        c[0] = a[0] * b[0];
        c[1] = a[1] * b[1];
        for (int k = 2; k < nfft; k += 2) {
            double ar = a[k];
            double ai = a[k + 1];
            double br = b[k];
            double bi = b[k + 1];
            c[k] = ar * br + ai * bi;
            c[k + 1] = ar * bi - ai * br;
        }
        fft.realInverse(c, true);
        return c;
    }

    /**
     * Lags 0..flen−1 of every basis auto/cross-correlation and of every basis/target correlation,
     * the only numbers the projections need. The inverse FFTs run in parallel.
     *
     * @param r r[k][l][τ] = Σ_u b_k(u)·b_l(u + τ)
     * @param d d[k][e][a] = Σ_u b_k(u)·e(u + a)
     */
    record Correlations(double[][][] r, double[][][] d) {
    }

    Correlations correlations(double[][] basis, double[][] targets) {
        int p = basis.length;
        int m = targets.length;
        double[][][] r = new double[p][p][];
        double[][][] d = new double[p][m][];
        int pairs = p * p + p * m;
        java.util.stream.IntStream.range(0, pairs).parallel().forEach(task -> {
            if (task < p * p) {
                int k = task / p;
                int l = task % p;
                if (k > l) {
                    return; // filled from the mirrored pair
                }
                double[] c = correlate(basis[k], basis[l]);
                double[] pos = new double[flen];
                double[] neg = new double[flen];
                for (int tau = 0; tau < flen; tau++) {
                    pos[tau] = c[tau];
                    neg[tau] = c[(nfft - tau) % nfft];
                }
                r[k][l] = pos;
                r[l][k] = neg; // ρ_lk(τ) = ρ_kl(−τ)
            } else {
                int t = task - p * p;
                int k = t / m;
                int e = t % m;
                d[k][e] = java.util.Arrays.copyOf(correlate(basis[k], targets[e]), flen);
            }
        });
        return new Correlations(r, d);
    }

    /**
     * Projection energies ‖P e‖² of every target onto the delayed span of the chosen basis signals.
     *
     * @param c      correlations of the full basis and the targets
     * @param subset indices of the basis signals to project onto
     * @return energies, one per target
     */
    double[] energies(Correlations c, int[] subset) {
        double[][][] x = coefficients(c, subset);
        int m = c.d()[0].length;
        double[] energy = new double[m];
        for (int a = 0; a < flen; a++) {
            for (int i = 0; i < subset.length; i++) {
                for (int e = 0; e < m; e++) {
                    energy[e] += x[a][i][e] * c.d()[subset[i]][e][a];
                }
            }
        }
        return energy;
    }

    /**
     * The projection filters: x[a][i][e] weights basis signal subset[i] delayed by a in the
     * projection of target e.
     */
    double[][][] coefficients(Correlations c, int[] subset) {
        int p = subset.length;
        int m = c.d()[0].length;
        double[][][] r = new double[flen][p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                double[] rij = c.r()[subset[i]][subset[j]];
                for (int tau = 0; tau < flen; tau++) {
                    r[tau][i][j] = rij[tau];
                }
            }
        }
        double[][][] y = new double[flen][p][m];
        for (int i = 0; i < p; i++) {
            for (int e = 0; e < m; e++) {
                double[] de = c.d()[subset[i]][e];
                for (int a = 0; a < flen; a++) {
                    y[a][i][e] = de[a];
                }
            }
        }
        try {
            return BlockToeplitz.solve(r, y);
        } catch (BlockToeplitz.SingularBlockException singular) {
            return leastSquares(r, y);
        }
    }

    /** Indices 0..n−1. */
    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** Dense minimum-norm least squares on the full Gram matrix: slow, only for singular cases. */
    private static double[][][] leastSquares(double[][][] r, double[][][] y) {
        int n = y.length;
        int p = r[0].length;
        int m = y[0][0].length;
        double[][] g = new double[n * p][n * p];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double[][] blk = a >= b ? r[a - b] : null;
                for (int i = 0; i < p; i++) {
                    for (int j = 0; j < p; j++) {
                        g[a * p + i][b * p + j] = blk != null ? blk[i][j] : r[b - a][j][i];
                    }
                }
            }
        }
        double[][] rhs = new double[n * p][m];
        for (int a = 0; a < n; a++) {
            for (int i = 0; i < p; i++) {
                rhs[a * p + i] = y[a][i].clone();
            }
        }
        RealMatrix sol = new SingularValueDecomposition(new Array2DRowRealMatrix(g, false)).getSolver()
                .solve(new Array2DRowRealMatrix(rhs, false));
        double[][][] x = new double[n][p][m];
        for (int a = 0; a < n; a++) {
            for (int i = 0; i < p; i++) {
                x[a][i] = sol.getRow(a * p + i);
            }
        }
        return x;
    }
}

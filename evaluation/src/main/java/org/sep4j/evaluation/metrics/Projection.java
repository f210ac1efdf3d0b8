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
        int need = length + flen - 1;
        int size = Integer.highestOneBit(need);
        this.nfft = size == need ? size : size << 1;
        this.fft = new DoubleFFT_1D(nfft);
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
     * Projection energies ‖P e‖² of several signals onto the delayed span of a basis.
     *
     * @param basis   spectra of the p basis signals
     * @param targets spectra of the m signals to project
     * @return energies, one per target
     */
    double[] energies(double[][] basis, double[][] targets) {
        int p = basis.length;
        int m = targets.length;
        double[][][] r = new double[flen][p][p];
        for (int k = 0; k < p; k++) {
            for (int l = k; l < p; l++) {
                double[] c = correlate(basis[k], basis[l]);
                for (int tau = 0; tau < flen; tau++) {
                    r[tau][k][l] = c[tau];
                    r[tau][l][k] = c[(nfft - tau) % nfft];
                }
            }
        }
        double[][][] y = new double[flen][p][m];
        for (int k = 0; k < p; k++) {
            for (int e = 0; e < m; e++) {
                double[] c = correlate(basis[k], targets[e]);
                for (int a = 0; a < flen; a++) {
                    y[a][k][e] = c[a];
                }
            }
        }
        double[][][] x;
        try {
            x = BlockToeplitz.solve(r, y);
        } catch (BlockToeplitz.SingularBlockException singular) {
            x = leastSquares(r, y);
        }
        double[] energy = new double[m];
        for (int a = 0; a < flen; a++) {
            for (int k = 0; k < p; k++) {
                for (int e = 0; e < m; e++) {
                    energy[e] += x[a][k][e] * y[a][k][e];
                }
            }
        }
        return energy;
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

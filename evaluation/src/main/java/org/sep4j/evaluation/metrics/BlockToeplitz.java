package org.sep4j.evaluation.metrics;

/**
 * Solves T·X = Y for a symmetric positive definite block-Toeplitz T by the block Levinson
 * recursion (Whittle / Wiggins–Robinson) in O(n²·p³) instead of O((n·p)³).
 *
 * <p>T has n × n blocks of p × p, block (a, b) = R(a − b), with R(−τ) = R(τ)ᵀ; it is the Gram
 * matrix of p signals at delays 0..n−1 that BSS Eval projects onto. Y and X have n blocks of
 * p × m (m right-hand sides at once). A numerically singular prediction error raises
 * {@link SingularBlockException} so the caller can fall back to a least-squares solve.
 */
final class BlockToeplitz {

    /** The recursion met a (near-)singular error covariance: T is not safely positive definite. */
    static final class SingularBlockException extends ArithmeticException {
        private static final long serialVersionUID = 1L;

        SingularBlockException(int step) {
            super("block-Toeplitz system is numerically singular at step " + step);
        }
    }

    private BlockToeplitz() {
    }

    /**
     * @param r r[τ][i][j] = R(τ)_ij for τ in [0, n)
     * @param y y[a][i][k]: block a, row i, right-hand side k
     * @return x with the shape of y
     */
    static double[][][] solve(double[][][] r, double[][][] y) {
        int n = y.length;
        int p = r[0].length;
        int m = y[0][0].length;
        int pp = p * p;
        int pm = p * m;
        // Everything flat and contiguous: block j of F lives at f[j·p² ..), row-major.
        double[] rf = new double[n * pp];   // R(τ)
        double[] rt = new double[n * pp];   // R(τ)ᵀ
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < p; i++) {
                for (int l = 0; l < p; l++) {
                    rf[t * pp + i * p + l] = r[t][i][l];
                    rt[t * pp + l * p + i] = r[t][i][l];
                }
            }
        }
        double[] f = new double[n * pp];
        double[] b = new double[n * pp];
        double[] x = new double[n * pm];
        setIdentity(f, 0, p);
        setIdentity(b, 0, p);
        double[][] ef = copy(r[0]);
        double[][] eb = copy(r[0]);
        System.arraycopy(flat(solveSmall(r[0], y[0], 0)), 0, x, 0, pm);
        double[] df = new double[pp];
        double[] db = new double[pp];
        double[] theta = new double[pm];
        double[] tmpF = new double[pp];
        double[] tmpB = new double[pp];
        double[][] resid = new double[p][m];
        for (int k = 0; k + 1 < n; k++) {
            java.util.Arrays.fill(df, 0);
            java.util.Arrays.fill(db, 0);
            java.util.Arrays.fill(theta, 0);
            for (int j = 0; j <= k; j++) {
                int ro = (k + 1 - j) * pp;
                mulAdd(rf, ro, f, j * pp, df, 0, p, p);      // Δf += R(k+1−j)·F[j]
                mulAdd(rt, (j + 1) * pp, b, j * pp, db, 0, p, p); // Δb += R(j+1)ᵀ·B[j]
                mulAdd(rf, ro, x, j * pm, theta, 0, p, m);   // θ += R(k+1−j)·X[j]
            }
            double[] alpha = flat(negate(solveSmall(eb, unflat(df, p, p), k)));
            double[] beta = flat(negate(solveSmall(ef, unflat(db, p, p), k)));
            // Descending in place: step j reads F[j] and B[j−1] before either is overwritten.
            java.util.Arrays.fill(f, (k + 1) * pp, (k + 2) * pp, 0);
            mulAdd(b, k * pp, alpha, 0, f, (k + 1) * pp, p, p);  // F'[k+1] = B[k]·α
            setIdentity(b, (k + 1) * pp, p);                      // B'[k+1] = I
            for (int j = k; j >= 1; j--) {
                System.arraycopy(f, j * pp, tmpF, 0, pp);
                mulAdd(b, (j - 1) * pp, alpha, 0, tmpF, 0, p, p); // F'[j] = F[j] + B[j−1]·α
                System.arraycopy(b, (j - 1) * pp, tmpB, 0, pp);
                mulAdd(f, j * pp, beta, 0, tmpB, 0, p, p);       // B'[j] = B[j−1] + F[j]·β
                System.arraycopy(tmpF, 0, f, j * pp, pp);
                System.arraycopy(tmpB, 0, b, j * pp, pp);
            }
            System.arraycopy(beta, 0, b, 0, pp);                 // B'[0] = F[0]·β = β
            addMul(db, alpha, ef, p);                             // Ef += Δb·α
            addMul(df, beta, eb, p);                              // Eb += Δf·β
            // Extend the solution: X' = [X; 0] + B'·Eb⁻¹·(Y[k+1] − θ).
            for (int i = 0; i < p; i++) {
                for (int c = 0; c < m; c++) {
                    resid[i][c] = y[k + 1][i][c] - theta[i * m + c];
                }
            }
            double[] g = flat(solveSmall(eb, resid, k + 1));
            for (int j = 0; j <= k; j++) {
                mulAdd(b, j * pp, g, 0, x, j * pm, p, m);
            }
            System.arraycopy(g, 0, x, (k + 1) * pm, pm);          // B'[k+1] = I
        }
        double[][][] out = new double[n][p][m];
        for (int a = 0; a < n; a++) {
            for (int i = 0; i < p; i++) {
                System.arraycopy(x, a * pm + i * m, out[a][i], 0, m);
            }
        }
        return out;
    }

    /** out[oo..] += a[ao..]·b[bo..] for row-major p×p a and p×cols b. */
    private static void mulAdd(double[] a, int ao, double[] b, int bo, double[] out, int oo, int p, int cols) {
        for (int i = 0; i < p; i++) {
            for (int k = 0; k < p; k++) {
                double v = a[ao + i * p + k];
                int bk = bo + k * cols;
                int oi = oo + i * cols;
                for (int c = 0; c < cols; c++) {
                    out[oi + c] += v * b[bk + c];
                }
            }
        }
    }

    private static void setIdentity(double[] a, int off, int p) {
        java.util.Arrays.fill(a, off, off + p * p, 0);
        for (int i = 0; i < p; i++) {
            a[off + i * p + i] = 1;
        }
    }



    /** e += a·b with flat p×p a, b and a 2-D e. */
    private static void addMul(double[] a, double[] b, double[][] e, int p) {
        for (int i = 0; i < p; i++) {
            for (int k = 0; k < p; k++) {
                double v = a[i * p + k];
                for (int j = 0; j < p; j++) {
                    e[i][j] += v * b[k * p + j];
                }
            }
        }
    }


    private static double[] flat(double[][] a) {
        int cols = a[0].length;
        double[] out = new double[a.length * cols];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, out, i * cols, cols);
        }
        return out;
    }

    private static double[][] unflat(double[] a, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(a, i * cols, out[i], 0, cols);
        }
        return out;
    }



    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }


    private static double[][] negate(double[][] a) {
        for (double[] row : a) {
            for (int j = 0; j < row.length; j++) {
                row[j] = -row[j];
            }
        }
        return a;
    }




    /** a⁻¹·b by Gaussian elimination with partial pivoting (a is small: p × p). */
    private static double[][] solveSmall(double[][] a0, double[][] b0, int step) {
        int p = a0.length;
        int m = b0[0].length;
        double[][] a = copy(a0);
        double[][] b = copy(b0);
        double scale = 0;
        for (int i = 0; i < p; i++) {
            scale = Math.max(scale, Math.abs(a[i][i]));
        }
        for (int col = 0; col < p; col++) {
            int piv = col;
            for (int i = col + 1; i < p; i++) {
                if (Math.abs(a[i][col]) > Math.abs(a[piv][col])) {
                    piv = i;
                }
            }
            if (!(Math.abs(a[piv][col]) > 1e-13 * scale)) {
                throw new SingularBlockException(step);
            }
            double[] t = a[col];
            a[col] = a[piv];
            a[piv] = t;
            t = b[col];
            b[col] = b[piv];
            b[piv] = t;
            for (int i = col + 1; i < p; i++) {
                double factor = a[i][col] / a[col][col];
                if (factor == 0) {
                    continue;
                }
                for (int j = col; j < p; j++) {
                    a[i][j] -= factor * a[col][j];
                }
                for (int j = 0; j < m; j++) {
                    b[i][j] -= factor * b[col][j];
                }
            }
        }
        for (int col = p - 1; col >= 0; col--) {
            for (int j = 0; j < m; j++) {
                double s = b[col][j];
                for (int k = col + 1; k < p; k++) {
                    s -= a[col][k] * b[k][j];
                }
                b[col][j] = s / a[col][col];
            }
        }
        return b;
    }
}

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
        double[][][] f = new double[n][][];
        double[][][] b = new double[n][][];
        double[][][] x = new double[n][][];
        f[0] = identity(p);
        b[0] = identity(p);
        double[][] ef = copy(r[0]);
        double[][] eb = copy(r[0]);
        x[0] = solveSmall(r[0], y[0], 0);
        double[][] df = new double[p][p];
        double[][] db = new double[p][p];
        double[][] theta = new double[p][m];
        for (int k = 0; k + 1 < n; k++) {
            zero(df);
            zero(db);
            for (int j = 0; j <= k; j++) {
                mulAdd(r[k + 1 - j], f[j], df);          // Δf += R(k+1−j)·F[j]
                mulTransAdd(r[j + 1], b[j], db);         // Δb += R(j+1)ᵀ·B[j]
            }
            double[][] alpha = negate(solveSmall(eb, df, k));
            double[][] beta = negate(solveSmall(ef, db, k));
            double[][][] nf = new double[k + 2][][];
            double[][][] nb = new double[k + 2][][];
            nf[0] = f[0];
            nb[0] = mul(f[0], beta);
            for (int j = 1; j <= k; j++) {
                double[][] t = copy(b[j - 1]);
                mulAdd(f[j], beta, t);                   // B'[j] = B[j−1] + F[j]·β (old F[j])
                nb[j] = t;
                nf[j] = f[j];
                mulAdd(b[j - 1], alpha, nf[j]);          // F'[j] = F[j] + B[j−1]·α, in place
            }
            nf[k + 1] = mul(b[k], alpha);
            nb[k + 1] = b[k];
            mulAdd(db, alpha, ef);                       // Ef += Δb·α
            mulAdd(df, beta, eb);                        // Eb += Δf·β
            System.arraycopy(nf, 0, f, 0, k + 2);
            System.arraycopy(nb, 0, b, 0, k + 2);
            // Extend the solution: θ = Σ R(k+1−j)·X[j]; X' = [X; 0] + B'·Eb⁻¹·(Y[k+1] − θ).
            zero(theta);
            for (int j = 0; j <= k; j++) {
                mulAdd(r[k + 1 - j], x[j], theta);
            }
            double[][] resid = new double[p][m];
            for (int i = 0; i < p; i++) {
                for (int c = 0; c < m; c++) {
                    resid[i][c] = y[k + 1][i][c] - theta[i][c];
                }
            }
            double[][] g = solveSmall(eb, resid, k + 1);
            for (int j = 0; j <= k; j++) {
                mulAdd(b[j], g, x[j]);
            }
            x[k + 1] = g; // B'[k+1] = I
        }
        return x;
    }

    private static double[][] identity(int p) {
        double[][] e = new double[p][p];
        for (int i = 0; i < p; i++) {
            e[i][i] = 1;
        }
        return e;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static void zero(double[][] a) {
        for (double[] row : a) {
            java.util.Arrays.fill(row, 0);
        }
    }

    private static double[][] negate(double[][] a) {
        for (double[] row : a) {
            for (int j = 0; j < row.length; j++) {
                row[j] = -row[j];
            }
        }
        return a;
    }

    /** out += a·b */
    private static void mulAdd(double[][] a, double[][] b, double[][] out) {
        int rows = a.length;
        int inner = b.length;
        int cols = b[0].length;
        for (int i = 0; i < rows; i++) {
            double[] o = out[i];
            for (int k = 0; k < inner; k++) {
                double v = a[i][k];
                if (v == 0) {
                    continue;
                }
                double[] bk = b[k];
                for (int j = 0; j < cols; j++) {
                    o[j] += v * bk[j];
                }
            }
        }
    }

    /** out += aᵀ·b */
    private static void mulTransAdd(double[][] a, double[][] b, double[][] out) {
        int inner = a.length;
        int rows = a[0].length;
        int cols = b[0].length;
        for (int k = 0; k < inner; k++) {
            double[] ak = a[k];
            double[] bk = b[k];
            for (int i = 0; i < rows; i++) {
                double v = ak[i];
                if (v == 0) {
                    continue;
                }
                double[] o = out[i];
                for (int j = 0; j < cols; j++) {
                    o[j] += v * bk[j];
                }
            }
        }
    }

    private static double[][] mul(double[][] a, double[][] b) {
        double[][] out = new double[a.length][b[0].length];
        mulAdd(a, b, out);
        return out;
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

package org.sep4j.evaluation.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

class BlockToeplitzTest {

    /** A random SPD block-Toeplitz system from the correlations of p random signals; checked by dense LU. */
    @Test
    void levinsonMatchesDenseSolve() {
        SplittableRandom rnd = new SplittableRandom(4);
        int n = 24;
        int p = 3;
        int m = 2;
        int len = 400;
        double[][] sig = new double[p][len];
        for (double[] s : sig) {
            for (int i = 0; i < len; i++) {
                s[i] = rnd.nextDouble() - 0.5;
            }
        }
        double[][][] r = new double[n][p][p];
        for (int tau = 0; tau < n; tau++) {
            for (int k = 0; k < p; k++) {
                for (int l = 0; l < p; l++) {
                    double acc = 0;
                    for (int u = 0; u + tau < len; u++) {
                        acc += sig[k][u] * sig[l][u + tau];
                    }
                    r[tau][k][l] = acc;
                }
            }
        }
        double[][][] y = new double[n][p][m];
        double[][] g = new double[n * p][n * p];
        double[][] rhs = new double[n * p][m];
        for (int a = 0; a < n; a++) {
            for (int i = 0; i < p; i++) {
                for (int c = 0; c < m; c++) {
                    y[a][i][c] = rnd.nextDouble();
                    rhs[a * p + i][c] = y[a][i][c];
                }
                for (int b = 0; b < n; b++) {
                    for (int j = 0; j < p; j++) {
                        g[a * p + i][b * p + j] = a >= b ? r[a - b][i][j] : r[b - a][j][i];
                    }
                }
            }
        }
        RealMatrix dense = new LUDecomposition(new Array2DRowRealMatrix(g)).getSolver().solve(new Array2DRowRealMatrix(rhs));
        double[][][] x = BlockToeplitz.solve(r, y);
        for (int a = 0; a < n; a++) {
            for (int i = 0; i < p; i++) {
                for (int c = 0; c < m; c++) {
                    assertThat(x[a][i][c]).isCloseTo(dense.getEntry(a * p + i, c), org.assertj.core.data.Offset.offset(1e-9));
                }
            }
        }
    }
}

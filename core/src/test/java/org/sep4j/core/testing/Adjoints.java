package org.sep4j.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.UnaryOperator;
import org.assertj.core.data.Offset;

/** The dot-product test of a linear map's adjoint: ⟨A x, y⟩ = ⟨x, Aᵀ y⟩ for random x and y. */
public final class Adjoints {

    private Adjoints() {
    }

    /**
     * @param in, out  the lengths of x and A x
     * @param relative the tolerance, relative to √out (float sums of about {@code out} products)
     */
    public static void assertTranspose(int in, int out, UnaryOperator<float[]> forward, UnaryOperator<float[]> adjoint, long seed,
            double relative, String what) {
        float[] x = Signals.noise(seed, in, 1.0);
        float[] y = Signals.noise(seed + 1, out, 1.0);
        float[] ax = forward.apply(x);
        float[] ty = adjoint.apply(y);
        assertThat(ax).as("%s: A x", what).hasSize(out);
        assertThat(ty).as("%s: Aᵀ y", what).hasSize(in);
        assertThat(dot(ax, y)).as(what).isCloseTo(dot(x, ty), Offset.offset(relative * Math.sqrt(out)));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * (double) b[i];
        }
        return s;
    }
}

package org.sep4j.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Element-wise closeness with a tolerance relative to the reference's scale:
 * |a − b| ≤ atol + rtol·max|b|. Failures report the worst index and both values.
 */
public final class Close {

    private Close() {
    }

    public static void assertClose(float[] expected, float[] actual, double rtol, double atol, String what) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double limit = atol + rtol * scale;
        int worst = -1;
        double worstErr = -1;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs((double) expected[i] - actual[i]);
            if (!(err <= worstErr) || Double.isNaN(err)) {
                worstErr = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                worst = i;
            }
        }
        if (worst >= 0 && worstErr > limit) {
            fail(String.format("%s: max error %.3g at [%d] (expected %.7g, got %.7g) exceeds %.3g (rtol %.1g × scale %.4g + atol %.1g)",
                    what, worstErr, worst, expected[worst], actual[worst], limit, rtol, scale, atol));
        }
    }

    public static void assertClose(float[][] expected, float[][] actual, double rtol, double atol, String what) {
        assertClose(flatten(expected), flatten(actual), rtol, atol, what);
    }

    public static float[] flatten(float[][] a) {
        int n = 0;
        for (float[] r : a) {
            n += r.length;
        }
        float[] out = new float[n];
        int k = 0;
        for (float[] r : a) {
            System.arraycopy(r, 0, out, k, r.length);
            k += r.length;
        }
        return out;
    }

    public static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }
}

package org.sep4j.training.optim;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;
import java.util.stream.LongStream;

/**
 * The optimiser's element loops over native memory, in float32 or float64. Each keeps the operation
 * order of the ND4J expressions it replaces (see {@link Optimizer}), one rounding per operation, so
 * a fused update gives the numbers the op-by-op one gave.
 */
final class Kernels {

    /** Elements per task when a loop is split across cores. */
    private static final long CHUNK = 1 << 16;

    private Kernels() {
    }

    /** Runs {@code body} over [0, n), in chunks on the common pool when n is large. */
    static void split(long n, Optimizer.Range body) {
        if (n <= CHUNK) {
            body.run(0, n);
            return;
        }
        long chunks = (n + CHUNK - 1) / CHUNK;
        LongStream.range(0, chunks).parallel().forEach(c -> body.run(c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
    }

    /**
     * Adam/AdamW in float32: decay is 1 − lr·wd (AdamW), l2 the coupled decay wd (Adam), ob1/ob2 are 1 − β
     * rounded from double (as ND4J rounds a scalar); x is v_max or null.
     */
    static void adam(MemorySegment p, MemorySegment g, MemorySegment m, MemorySegment v, MemorySegment x, long from, long to,
            boolean decoupled, float decay, float l2, float b1, float b2, float ob1, float ob2, float sqrtBc2, float eps,
            float stepSize) {
        for (long i = from; i < to; i++) {
            float pi = p.getAtIndex(JAVA_FLOAT, i);
            float gi = g.getAtIndex(JAVA_FLOAT, i);
            if (decoupled) {
                pi = pi * decay;
            } else if (l2 != 0) {
                gi = gi + pi * l2;
            }
            float mi = m.getAtIndex(JAVA_FLOAT, i) * b1 + gi * ob1;
            float vi = v.getAtIndex(JAVA_FLOAT, i) * b2 + gi * gi * ob2;
            m.setAtIndex(JAVA_FLOAT, i, mi);
            v.setAtIndex(JAVA_FLOAT, i, vi);
            float second = vi;
            if (x != null) {
                second = Math.max(x.getAtIndex(JAVA_FLOAT, i), vi);
                x.setAtIndex(JAVA_FLOAT, i, second);
            }
            float denom = (float) Math.sqrt(second) / sqrtBc2 + eps;
            p.setAtIndex(JAVA_FLOAT, i, pi - mi / denom * stepSize);
        }
    }

    /** Adam/AdamW in float64. */
    static void adam(MemorySegment p, MemorySegment g, MemorySegment m, MemorySegment v, MemorySegment x, long from, long to,
            boolean decoupled, double decay, double l2, double b1, double b2, double ob1, double ob2, double sqrtBc2, double eps,
            double stepSize) {
        for (long i = from; i < to; i++) {
            double pi = p.getAtIndex(JAVA_DOUBLE, i);
            double gi = g.getAtIndex(JAVA_DOUBLE, i);
            if (decoupled) {
                pi = pi * decay;
            } else if (l2 != 0) {
                gi = gi + pi * l2;
            }
            double mi = m.getAtIndex(JAVA_DOUBLE, i) * b1 + gi * ob1;
            double vi = v.getAtIndex(JAVA_DOUBLE, i) * b2 + gi * gi * ob2;
            m.setAtIndex(JAVA_DOUBLE, i, mi);
            v.setAtIndex(JAVA_DOUBLE, i, vi);
            double second = vi;
            if (x != null) {
                second = Math.max(x.getAtIndex(JAVA_DOUBLE, i), vi);
                x.setAtIndex(JAVA_DOUBLE, i, second);
            }
            double denom = Math.sqrt(second) / sqrtBc2 + eps;
            p.setAtIndex(JAVA_DOUBLE, i, pi - mi / denom * stepSize);
        }
    }

    /** SGD in float32; m is the momentum buffer (null without momentum), set to the gradient on the first step. */
    static void sgd(MemorySegment p, MemorySegment g, MemorySegment m, long from, long to, float wd, float mu, boolean nesterov,
            boolean first, float lr) {
        for (long i = from; i < to; i++) {
            float pi = p.getAtIndex(JAVA_FLOAT, i);
            float gi = g.getAtIndex(JAVA_FLOAT, i);
            if (wd != 0) {
                gi = gi + pi * wd;
            }
            if (m != null) {
                float mi = first ? gi : m.getAtIndex(JAVA_FLOAT, i) * mu + gi;
                m.setAtIndex(JAVA_FLOAT, i, mi);
                gi = nesterov ? gi + mi * mu : mi;
            }
            p.setAtIndex(JAVA_FLOAT, i, pi - gi * lr);
        }
    }

    /** SGD in float64. */
    static void sgd(MemorySegment p, MemorySegment g, MemorySegment m, long from, long to, double wd, double mu, boolean nesterov,
            boolean first, double lr) {
        for (long i = from; i < to; i++) {
            double pi = p.getAtIndex(JAVA_DOUBLE, i);
            double gi = g.getAtIndex(JAVA_DOUBLE, i);
            if (wd != 0) {
                gi = gi + pi * wd;
            }
            if (m != null) {
                double mi = first ? gi : m.getAtIndex(JAVA_DOUBLE, i) * mu + gi;
                m.setAtIndex(JAVA_DOUBLE, i, mi);
                gi = nesterov ? gi + mi * mu : mi;
            }
            p.setAtIndex(JAVA_DOUBLE, i, pi - gi * lr);
        }
    }

    /** The sum of squares in double (NaN or infinite when an element is). */
    static double sumOfSquares(MemorySegment a, long n, boolean dbl) {
        double s = 0;
        for (long i = 0; i < n; i++) {
            double x = dbl ? a.getAtIndex(JAVA_DOUBLE, i) : a.getAtIndex(JAVA_FLOAT, i);
            s += x * x;
        }
        return s;
    }

    /** a ← a·k, k rounded to the array's precision first (as ND4J's scalar multiply does). */
    static void scale(MemorySegment a, long n, boolean dbl, double k) {
        float kf = (float) k;
        for (long i = 0; i < n; i++) {
            if (dbl) {
                a.setAtIndex(JAVA_DOUBLE, i, a.getAtIndex(JAVA_DOUBLE, i) * k);
            } else {
                a.setAtIndex(JAVA_FLOAT, i, a.getAtIndex(JAVA_FLOAT, i) * kf);
            }
        }
    }
}

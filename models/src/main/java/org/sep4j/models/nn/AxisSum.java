package org.sep4j.models.nn;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;

/**
 * The sum over leading and/or trailing axes of a float array that a broadcast operand's gradient
 * takes in a plan (a linear bias: the leading axes; a FiLM β per (batch, channel): the trailing
 * ones; a convolution's bias: both), as a Java loop. libnd4j's legacy reduction sets up its
 * tensors-along-dimension on every call (67 µs for a [4, 32] → [1, 32] bias gradient, 68 µs for
 * [504, 64] → [1, 64]) and walks leading axes with strides. Here the input is [L, K, T] with K kept:
 * without trailing axes, column sums of an [L, K] matrix; else per k the sums of its L rows of T. In
 * double, in a fixed order (the result does not depend on the thread count).
 */
final class AxisSum extends DynamicCustomOp implements Plan.JavaOp {

    /** Below this many elements the sum runs on the calling thread. */
    private static final long PARALLEL = 1 << 16;
    private static final int BLOCK = 1024;

    private final long lead;
    private final long kept;
    private final long trail;

    private AxisSum(long lead, long kept, long trail) {
        this.lead = lead;
        this.kept = kept;
        this.trail = trail;
    }

    /** The Java sum of contiguous float {@code in} over {@code dims} into contiguous {@code out}, or null where it does not apply. */
    static AxisSum of(INDArray in, INDArray out, int[] dims) {
        if (in.dataType() != DataType.FLOAT || out.dataType() != DataType.FLOAT || dims.length == 0
                || !NativeArrays.contiguous(in) || !NativeArrays.contiguous(out)) {
            return null;
        }
        int[] d = dims.clone();
        Arrays.sort(d);
        int r = in.rank();
        int p = 0; // leading summed axes
        while (p < d.length && d[p] == p) {
            p++;
        }
        for (int i = p; i < d.length; i++) { // the rest must be the trailing axes
            if (d[i] != r - (d.length - i)) {
                return null;
            }
        }
        long l = 1;
        for (int k = 0; k < p; k++) {
            l *= in.size(k);
        }
        long t = 1;
        for (int k = p; k < d.length; k++) {
            t *= in.size(d[k]);
        }
        long k = in.length() / (l * t);
        if (out.length() != k) {
            return null;
        }
        if (k == 1) { // every axis summed: one row, not a column of single elements
            return new AxisSum(1, 1, l * t);
        }
        return new AxisSum(l, k, t);
    }

    @Override
    public String opName() {
        return "sep4j_axis_sum";
    }

    @Override
    public void run(OpContext ctx) {
        MemorySegment in = NativeArrays.segment(ctx.getInputArray(0));
        MemorySegment out = NativeArrays.segment(ctx.getOutputArray(0));
        boolean parallel = lead * kept * trail >= PARALLEL;
        if (trail == 1) {
            int blocks = (int) ((kept + BLOCK - 1) / BLOCK);
            IntStream b = IntStream.range(0, blocks);
            (parallel && blocks > 1 ? b.parallel() : b).forEach(k -> columns(in, out, (long) k * BLOCK,
                    (int) Math.min(BLOCK, kept - (long) k * BLOCK)));
        } else {
            IntStream ks = IntStream.range(0, (int) kept);
            (parallel ? ks.parallel() : ks).forEach(k -> {
                double total = 0;
                for (long l = 0; l < lead; l++) {
                    total += row(in, (l * kept + k) * trail);
                }
                out.setAtIndex(JAVA_FLOAT, k, (float) total);
            });
        }
    }

    /** Column sums of columns [from, from + n) of the [lead, kept] input: rows added one after another. */
    private void columns(MemorySegment in, MemorySegment out, long from, int n) {
        float[] buf = new float[n];
        double[] acc = new double[n];
        for (long r = 0; r < lead; r++) {
            MemorySegment.copy(in, JAVA_FLOAT, (r * kept + from) * 4, buf, 0, n);
            for (int j = 0; j < n; j++) {
                acc[j] += buf[j];
            }
        }
        for (int j = 0; j < n; j++) {
            out.setAtIndex(JAVA_FLOAT, from + j, (float) acc[j]);
        }
    }

    /** The sum of one row, in chunks, four double accumulators per chunk. */
    private double row(MemorySegment in, long from) {
        float[] buf = new float[(int) Math.min(BLOCK, trail)];
        double total = 0;
        for (long c = 0; c < trail; c += buf.length) {
            int n = (int) Math.min(buf.length, trail - c);
            MemorySegment.copy(in, JAVA_FLOAT, (from + c) * 4, buf, 0, n);
            double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                a0 += buf[i];
                a1 += buf[i + 1];
                a2 += buf[i + 2];
                a3 += buf[i + 3];
            }
            for (; i < n; i++) {
                a0 += buf[i];
            }
            total += (a0 + a1) + (a2 + a3);
        }
        return total;
    }
}

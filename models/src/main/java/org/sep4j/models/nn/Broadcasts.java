package org.sep4j.models.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/** Shape rules for planning the backward pass of broadcasting element-wise ops as plain kernels. */
final class Broadcasts {

    private static final Set<String> REWRITTEN = Set.of("multiply_bp", "add_bp", "subtract_bp");

    private Broadcasts() {
    }

    /** Whether {@code df} is a broadcasting backward op (inputs x, y, upstream gradient) with NumPy-compatible shapes. */
    static boolean applies(DifferentialFunction df, INDArray[] args) {
        if (!REWRITTEN.contains(df.opName()) || args.length != 3 || df.outputVariablesNames().length != 2) {
            return false;
        }
        INDArray g = args[2];
        for (int k = 0; k < 2; k++) {
            if (args[k].dataType() != g.dataType() || !fits(args[k].shape(), g.shape())) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code a} broadcasts to exactly {@code full} (right-aligned, each dimension equal or 1). */
    static boolean fits(long[] a, long[] full) {
        if (a.length > full.length) {
            return false;
        }
        int r = full.length - a.length;
        for (int j = 0; j < a.length; j++) {
            if (a[j] != full[r + j] && a[j] != 1) {
                return false;
            }
        }
        return true;
    }

    /** The dimensions of {@code full} that {@code a} was broadcast along (leading extra ones and size-1 ones). */
    static int[] summedDims(long[] a, long[] full) {
        int r = full.length - a.length;
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < full.length; d++) {
            if (d < r || (a[d - r] == 1 && full[d] != 1)) {
                dims.add(d);
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code a}'s shape padded on the left with ones to {@code rank}: the shape of a kept-dims sum. */
    static long[] keptShape(long[] a, int rank) {
        long[] k = new long[rank];
        java.util.Arrays.fill(k, 1);
        System.arraycopy(a, 0, k, rank - a.length, a.length);
        return k;
    }

    /** A libnd4j custom op by name, for inputs and outputs set on a context. */
    static DynamicCustomOp op(String name) {
        return DynamicCustomOp.builder(name).build();
    }
}

package org.sep4j.models.nn;

import java.lang.foreign.MemorySegment;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The native memory behind an ND4J array, for the plans' Java kernels ({@link FusedBatchNorm}, {@link AxisSum}). */
final class NativeArrays {

    private NativeArrays() {
    }

    /** Whether a's elements lie in C order without gaps (size-1 axes may have any stride). */
    static boolean contiguous(INDArray a) {
        long expect = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            if (a.size(d) != 1 && a.stride(d) != expect) {
                return false;
            }
            expect *= a.size(d);
        }
        return true;
    }

    /** The segment of a contiguous array's elements, from its offset. */
    static MemorySegment segment(INDArray a) {
        long w = a.dataType().width();
        return MemorySegment.ofAddress(a.data().address() + a.offset() * w).reinterpret(a.length() * w);
    }
}

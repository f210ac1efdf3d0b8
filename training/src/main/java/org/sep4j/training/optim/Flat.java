package org.sep4j.training.optim;

import java.lang.foreign.MemorySegment;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A dense float32/float64 ND4J array's elements as a native memory segment, so an update rule can
 * run as one loop in Java instead of a dozen ND4J calls per parameter (each call costs tens of
 * microseconds of dispatch, which dominates small models). Arrays of another layout are not flat.
 */
final class Flat {

    private Flat() {
    }

    /** Whether {@code a} is a contiguous float or double array starting at its buffer's first element. */
    static boolean is(INDArray a) {
        DataType t = a.dataType();
        return (t == DataType.FLOAT || t == DataType.DOUBLE) && a.offset() == 0 && !a.isEmpty()
                && (a.length() == 1 || a.elementWiseStride() == 1) && a.data().length() >= a.length()
                && (a.rank() < 2 || a.ordering() == 'c' || a.isVector());
    }

    /** The segment over {@code a}'s elements (its buffer's native memory; valid while the array lives). */
    static MemorySegment of(INDArray a) {
        return MemorySegment.ofAddress(a.data().address()).reinterpret(a.length() * a.dataType().width());
    }
}

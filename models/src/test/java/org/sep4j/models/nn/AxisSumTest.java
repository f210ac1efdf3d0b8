package org.sep4j.models.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Plans' Java axis sums against ND4J's sum in float64, on small and parallel sizes and blocks that do not divide evenly. */
class AxisSumTest {

    private static void check(long[] shape, int... dims) {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
        INDArray expected = x.castTo(DataType.DOUBLE).sum(true, dims).castTo(DataType.FLOAT); // a float64 reference
        INDArray out = Nd4j.create(DataType.FLOAT, expected.shape());
        AxisSum op = AxisSum.of(x, out, dims);
        assertThat(op).as("applies to %s over %s", java.util.Arrays.toString(shape), java.util.Arrays.toString(dims)).isNotNull();
        org.nd4j.linalg.api.ops.OpContext ctx = Nd4j.getExecutioner().buildContext();
        ctx.setInputArray(0, x);
        ctx.setOutputArray(0, out);
        op.run(ctx);
        double tol = 1e-5 * Math.max(1, expected.amaxNumber().doubleValue());
        assertThat(out.sub(expected).amaxNumber().doubleValue()).as("max error").isLessThan(tol);
    }

    @Test
    void leadingAxesAreColumnSums() {
        check(new long[] {4, 32}, 0);
        check(new long[] {4, 126, 64}, 0, 1);
        check(new long[] {3, 5, 2500}, 0, 1);        // parallel, two blocks and a remainder
    }

    @Test
    void trailingAxesAreRowSums() {
        check(new long[] {4, 8, 128, 128}, 2, 3);    // parallel
        check(new long[] {2, 3, 7}, 2);
        check(new long[] {5, 3001}, 1);              // a row of several chunks
    }

    @Test
    void leadingAndTrailingAxesTogether() {
        check(new long[] {4, 8, 6, 5}, 0, 2, 3);     // a convolution's bias
        check(new long[] {4, 32, 126, 32}, 0, 2, 3); // parallel
        check(new long[] {2, 3, 4, 5}, 0, 1, 3);
        check(new long[] {300, 700}, 0, 1);          // everything
    }

    @Test
    void middleAxesAndOtherTypesAreLeftToNd4j() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 8, 6, 5);
        assertThat(AxisSum.of(x, Nd4j.create(DataType.FLOAT, 4, 1, 1, 5), new int[] {1, 2})).isNull();
        INDArray d = Nd4j.rand(DataType.DOUBLE, 4, 8);
        assertThat(AxisSum.of(d, Nd4j.create(DataType.DOUBLE, 1, 8), new int[] {0})).isNull();
        INDArray view = x.permute(1, 0, 2, 3);
        assertThat(AxisSum.of(view, Nd4j.create(DataType.FLOAT, 1, 1, 6, 5), new int[] {0, 1})).isNull();
    }
}

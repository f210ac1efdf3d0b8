package org.sep4j.models.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** FLOPs counted from a run equal the textbook count of the layers. */
class FlopsTest {

    @Test
    void linearAndConvolutionCountTwoPerMultiplyAccumulate() {
        Graph g = new Graph(1);
        var x = g.input("x", -1, 3, 8, 8);
        var y = new Conv2d("conv", 3, 5, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, true).apply(g, x);
        var z = new Linear("lin", 5 * 4 * 4, 7).apply(g, y.reshape(-1, 5 * 4 * 4));
        g.sd().identity("out", z);
        long flops = Flops.forward(g, Map.of("x", Nd4j.rand(DataType.FLOAT, 2, 3, 8, 8)));
        long conv = 2L * (2 * 5 * 4 * 4) * (3 * 3 * 3); // outputs × (kernel × input channels)
        long linear = 2L * (2 * 7) * (5 * 4 * 4);       // outputs × inputs
        assertThat(flops).isEqualTo(conv + linear);
    }
}

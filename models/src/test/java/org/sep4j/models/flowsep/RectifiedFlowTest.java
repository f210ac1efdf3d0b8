package org.sep4j.models.flowsep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The path's ends and slope, and Euler's method on a field it integrates exactly. */
class RectifiedFlowTest {

    @Test
    void thePathRunsFromNoiseToDataAtTheTargetVelocity() {
        RectifiedFlow flow = new RectifiedFlow(RectifiedFlow.SIGMA_MIN);
        Nd4j.getRandom().setSeed(1);
        INDArray x1 = Nd4j.randn(DataType.DOUBLE, 3, 2, 4);
        INDArray eps = Nd4j.randn(DataType.DOUBLE, 3, 2, 4);
        assertThat(flow.path(x1, eps, new double[] {0, 0, 0}).equalsWithEps(eps, 1e-12)).isTrue();
        assertThat(flow.path(x1, eps, new double[] {1, 1, 1}).equalsWithEps(x1.add(eps.mul(RectifiedFlow.SIGMA_MIN)), 1e-12)).isTrue();
        // d x_t / dt = v*, by a finite difference at different t per item
        double[] t = {0.1, 0.5, 0.9};
        double[] t2 = {0.1 + 1e-3, 0.5 + 1e-3, 0.9 + 1e-3};
        INDArray slope = flow.path(x1, eps, t2).sub(flow.path(x1, eps, t)).div(1e-3);
        assertThat(slope.equalsWithEps(flow.velocity(x1, eps), 1e-9)).isTrue();
        assertThatThrownBy(() -> flow.path(x1, eps, new double[] {0.5})).hasMessageContaining("3 items, 1 times");
    }

    @Test
    void eulerFollowsAConstantFieldExactly() {
        INDArray noise = Nd4j.createFromArray(new double[][] {{1, 2}, {-1, 0}});
        INDArray v = Nd4j.createFromArray(new double[][] {{0.5, -2}, {3, 1}});
        INDArray x = RectifiedFlow.euler(noise, 7, (at, t) -> v);
        assertThat(x.equalsWithEps(noise.add(v), 1e-12)).isTrue();
        assertThatThrownBy(() -> RectifiedFlow.euler(noise, 0, (at, t) -> v)).hasMessageContaining("at least 1 Euler step");
    }
}

package org.sep4j.training.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.tensor.TensorData;
import org.sep4j.core.testing.Fixtures;

class OptimizerTest {

    private static final Safetensors.Contents GOLD = Fixtures.load("optim/trajectories");

    private static INDArray arr(TensorData t) {
        return Nd4j.create(t.doubles(), t.shape(), 'c');
    }

    private static void follows(String name, Optimizer opt, double lr) {
        INDArray p = arr(GOLD.get("p0"));
        INDArray grads = arr(GOLD.get("grads"));
        INDArray traj = arr(GOLD.get(name));
        for (int s = 0; s < grads.size(0); s++) {
            opt.step(Map.of("w", p), Map.of("w", grads.get(org.nd4j.linalg.indexing.NDArrayIndex.point(s)).dup()), lr);
            INDArray want = traj.get(org.nd4j.linalg.indexing.NDArrayIndex.point(s));
            double err = p.sub(want).amaxNumber().doubleValue();
            assertThat(err).as("%s step %d", name, s + 1).isLessThan(1e-12);
        }
    }

    @Test
    void matchesTorchTrajectories() {
        follows("adamw_amsgrad", new Optimizer(new Optimizer.Settings(Optimizer.Kind.ADAMW, 0.9, 0.98, 1e-8, true, false),
                List.of(ParamGroup.all(0.1))), 0.05);
        follows("adam_l2", new Optimizer(new Optimizer.Settings(Optimizer.Kind.ADAM, 0.9, 0.999, 1e-8, false, false),
                List.of(ParamGroup.all(0.01))), 0.05);
        follows("sgd_momentum", new Optimizer(Optimizer.Settings.sgd(0.9, false), List.of(ParamGroup.all(0))), 0.1);
        follows("sgd_nesterov", new Optimizer(Optimizer.Settings.sgd(0.9, true), List.of(ParamGroup.all(0.05))), 0.1);
    }

    @Test
    void groupsScaleTheirRateAndUngroupedParametersStayFrozen() {
        Optimizer opt = new Optimizer(Optimizer.Settings.sgd(0, false),
                List.of(ParamGroup.prefix("head.", 1.0, 0), ParamGroup.prefix("backbone.", 0.1, 0)));
        INDArray head = Nd4j.ones(DataType.DOUBLE, 2);
        INDArray body = Nd4j.ones(DataType.DOUBLE, 2);
        INDArray frozen = Nd4j.ones(DataType.DOUBLE, 2);
        INDArray g = Nd4j.ones(DataType.DOUBLE, 2);
        opt.step(Map.of("head.w", head, "backbone.w", body, "sed.w", frozen),
                Map.of("head.w", g.dup(), "backbone.w", g.dup(), "sed.w", g.dup()), 0.5);
        assertThat(head.getDouble(0)).isEqualTo(0.5);
        assertThat(body.getDouble(0)).isCloseTo(0.95, Offset.offset(1e-12));
        assertThat(frozen.getDouble(0)).isEqualTo(1.0);
        assertThat(opt.group("sed.w")).isNull();
    }

    @Test
    void clippingByGlobalNorm() {
        INDArray a = Nd4j.createFromArray(3.0, 0.0);
        INDArray b = Nd4j.createFromArray(0.0, 4.0);
        double norm = Optimizer.clipGlobalNorm(Map.of("a", a, "b", b), 0.5);
        assertThat(norm).isEqualTo(5.0);
        assertThat(Math.hypot(a.getDouble(0), b.getDouble(1))).isCloseTo(0.5, Offset.offset(1e-6));
        INDArray c = Nd4j.createFromArray(0.1, 0.1);
        Optimizer.clipGlobalNorm(Map.of("c", c), 0.5);
        assertThat(c.getDouble(0)).isEqualTo(0.1); // below the limit: untouched
    }

    @Test
    void schedules() {
        LrSchedule cos = LrSchedule.cosine(1e-3, 100, 1100);
        assertThat(cos.at(0)).isZero();
        assertThat(cos.at(50)).isCloseTo(5e-4, Offset.offset(1e-12));
        assertThat(cos.at(100)).isCloseTo(1e-3, Offset.offset(1e-12));
        assertThat(cos.at(600)).isCloseTo(5e-4, Offset.offset(1e-12));
        assertThat(cos.at(1100)).isCloseTo(0, Offset.offset(1e-12));
        assertThat(new LrSchedule("linear", 1, 0, 10, 1, 1).at(5)).isCloseTo(0.5, Offset.offset(1e-12));
        assertThat(new LrSchedule("step", 1, 0, 10, 0.5, 3).at(7)).isEqualTo(0.25);
        assertThat(new LrSchedule("constant", 2, 4, 10, 1, 1).at(8)).isEqualTo(2.0);
    }
}

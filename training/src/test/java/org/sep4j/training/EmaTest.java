package org.sep4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.Linear;

/** The EMA teacher's recursion and decay ramp against their closed forms. */
class EmaTest {

    private static Graph net(long seed, int out) {
        Graph g = new Graph(seed);
        new Linear("fc", 3, out).apply(g, g.input("x", -1, 3));
        return g;
    }

    @Test
    void aConstantStudentIsApproachedGeometrically() {
        Graph student = net(1, 2);
        Graph teacher = net(2, 2);
        Ema ema = new Ema(student, teacher, 0.9, 0.9, 0);
        INDArray w0 = student.params().get("fc.weight").getArr().dup();
        assertThat(teacher.params().get("fc.weight").getArr()).as("the teacher starts as the student").isEqualTo(w0);
        student.params().get("fc.weight").getArr().assign(2.0);
        for (int n = 0; n < 7; n++) {
            ema.update(n);
        }
        // θ = c + (θ0 − c)·d^n
        INDArray want = w0.sub(2.0).mul(Math.pow(0.9, 7)).add(2.0);
        INDArray got = teacher.params().get("fc.weight").getArr();
        assertThat(got.sub(want).amaxNumber().doubleValue()).isLessThan(1e-6);
    }

    @Test
    void theDecayRampsLinearlyThenHolds() {
        Ema ema = new Ema(net(1, 2), net(2, 2), 0.9998, 0.99999, 100_000);
        assertThat(ema.decay(0)).isEqualTo(0.9998);
        assertThat(ema.decay(50_000)).isCloseTo((0.9998 + 0.99999) / 2, within(1e-12));
        assertThat(ema.decay(100_000)).isEqualTo(0.99999);
        assertThat(ema.decay(400_000)).isEqualTo(0.99999);
    }

    @Test
    void aTeacherOfAnotherShapeIsNamed() {
        assertThatThrownBy(() -> new Ema(net(1, 2), net(2, 4), 0.99, 0.99, 0)).hasMessageContaining("'fc.weight' [4, 3]")
                .hasMessageContaining("the student's is [2, 3]");
        assertThatThrownBy(() -> new Ema(net(1, 2), net(2, 2), 1.5, 0.99, 0)).hasMessageContaining("[0, 1]");
    }
}

package org.sep4j.models.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused training-mode batch norm (float32, its specialised loops) against the SameDiff
 * composition of the same layer on the same weights: outputs, every gradient and the batch
 * statistics the running averages take, with and without activation, for shifts per plane and per
 * row. (Float64 finite differences of the fused op are in {@link GradientCheckTest}.)
 */
class FusedBatchNormTest {

    private static final long[] X = {4, 6, 10, 33};

    /** The image is a parameter, so that its gradient (dx) is one of the compared gradients. */
    private static Graph net(boolean fused, long[] shift, double slope) {
        Graph g = new Graph(9);
        g.fuseOps(fused);
        SDVariable x = g.param("x", uniform(new java.util.Random(3), X).muli(4).addi(1.5)); // off-centre: centring matters
        SDVariable beta = shift == null ? null : g.input("beta", shift);
        BatchNorm bn = BatchNorm.of("bn", (int) X[1], 4);
        SDVariable y = Double.isNaN(slope) ? bn.apply(g, x, beta) : bn.applyLeakyRelu(g, x, beta, slope);
        g.sd().identity("y", y);
        SDVariable w = g.input("w", X);
        g.sd().setLossVariables(y.mul(w).sum());
        return g;
    }

    private static Map<String, INDArray> batch(long[] shift) {
        java.util.Random r = new java.util.Random(4);
        Map<String, INDArray> in = new java.util.HashMap<>();
        in.put("w", uniform(r, X).subi(0.5));
        if (shift != null) {
            in.put("beta", uniform(r, shift).subi(0.5));
        }
        return in;
    }

    private static INDArray uniform(java.util.Random r, long... shape) {
        float[] v = new float[(int) java.util.Arrays.stream(shape).reduce(1, (p, q) -> p * q)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        return Nd4j.create(v, shape, 'c');
    }

    private static void close(INDArray a, INDArray b, String what) {
        double scale = Math.max(1e-12, b.amaxNumber().doubleValue());
        double diff = a.sub(b).amaxNumber().doubleValue();
        assertThat(diff / scale).as("%s: max difference %s (scale %s)", what, diff, scale).isLessThan(1e-5);
    }

    @Test
    void fusedEqualsTheComposition() {
        int cases = 0;
        for (long[] shift : new long[][] {null, {4, 6, 1, 1}, {4, 6, 10, 1}}) {
            for (double slope : new double[] {Double.NaN, 0.01}) {
                Graph fused = net(true, shift, slope);
                Graph composed = net(false, shift, slope);
                assertThat(fused.sd().getOps().values().stream().map(o -> o.getOp().opName())).contains("sep4j_batch_norm");
                assertThat(composed.sd().getOps().values().stream().map(o -> o.getOp().opName())).doesNotContain("sep4j_batch_norm");
                Map<String, INDArray> in = batch(shift);
                List<String> wrt = new ArrayList<>(List.of("bn.weight", "bn.bias", "x"));
                if (shift != null) {
                    wrt.add("beta");
                }
                for (int run = 0; run < 2; run++) { // the second run replays the compiled plan
                    Map<String, INDArray> a = fused.output(in, "y", "bn.batch_mean", "bn.batch_var");
                    Map<String, INDArray> b = composed.output(in, "y", "bn.batch_mean", "bn.batch_var");
                    for (String k : a.keySet()) {
                        close(a.get(k), b.get(k), k + " (shift " + java.util.Arrays.toString(shift) + ", slope " + slope + ")");
                    }
                    Map<String, INDArray> ga = fused.gradients(in, wrt);
                    Map<String, INDArray> gb = composed.gradients(in, wrt);
                    for (String k : wrt) {
                        close(ga.get(k), gb.get(k), "d" + k + " (shift " + java.util.Arrays.toString(shift) + ", slope " + slope + ")");
                    }
                }
                cases++;
            }
        }
        assertThat(cases).isEqualTo(6);
    }

    @Test
    void aGraphWithFusedOpsKeepsItsExecutor() {
        Graph g = net(true, null, 0.01);
        assertThatThrownBy(() -> g.usePlans(false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before building the graph");
        Graph off = new Graph(1);
        off.usePlans(false);
        assertThat(off.fusesOps()).isFalse();
    }
}

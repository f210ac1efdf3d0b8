package org.sep4j.models.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Central finite differences in float64 against SameDiff's analytic gradients, for every
 * parameter of each layer (loss = Σ output·R with a fixed random R, so every output element matters).
 */
class GradientCheckTest {

    /** oneDNN has no float64 kernels: the checks run on ND4J's own ones. */
    private static void check(long[] inShape, BiFunction<Graph, SDVariable, SDVariable> layer) {
        boolean helpers = Nd4j.getEnvironment().helpersAllowed();
        Nd4j.getEnvironment().allowHelpers(false);
        try {
            checkDouble(inShape, layer);
        } finally {
            Nd4j.getEnvironment().allowHelpers(helpers);
        }
    }

    private static void checkDouble(long[] inShape, BiFunction<Graph, SDVariable, SDVariable> layer) {
        Nd4j.getRandom().setSeed(42); // inputs and loss weights are the same on every run
        Graph g = new Graph(3, DataType.DOUBLE);
        SDVariable x = g.input("x", inShape);
        SDVariable y = layer.apply(g, x);
        INDArray xv = Nd4j.rand(DataType.DOUBLE, inShape).subi(0.5).muli(2);
        long[] outShape = g.output(Map.of("x", xv), y.name()).get(y.name()).shape();
        INDArray r = Nd4j.rand(DataType.DOUBLE, outShape).subi(0.5);
        SDVariable loss = y.mul(g.sd().constant(r)).sum();
        g.sd().setLossVariables(loss);
        Map<String, INDArray> ph = Map.of("x", xv);
        List<String> names = g.paramNames();
        Map<String, INDArray> grads = g.gradients(ph, names);
        double eps = 1e-6;
        for (String n : names) {
            INDArray p = g.params().get(n).getArr();
            INDArray analytic = grads.get(n);
            long len = p.length();
            for (long i = 0; i < len; i += Math.max(1, len / 12)) {
                double orig = p.getDouble(i);
                p.putScalar(i, orig + eps);
                double plus = g.output(ph, loss.name()).get(loss.name()).getDouble(0);
                p.putScalar(i, orig - eps);
                double minus = g.output(ph, loss.name()).get(loss.name()).getDouble(0);
                p.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * eps);
                double a = analytic.getDouble(i);
                // relative error 1e-5, or an absolute 1e-7 where the true gradient vanishes (attention key
                // biases: softmax ignores them) and only finite-difference round-off remains
                double err = Math.abs(numeric - a);
                double rel = err / Math.max(1e-12, Math.abs(numeric) + Math.abs(a));
                assertThat(err <= 1e-7 || rel < 1e-5).as("%s[%d]: numeric %s vs analytic %s", n, i, numeric, a).isTrue();
            }
        }
    }

    @Test
    void linear() {
        check(new long[] {3, 4, 5}, (g, x) -> new Linear("lin", 5, 3).apply(g, x));
    }

    @Test
    void dilatedStridedConv() {
        check(new long[] {2, 2, 7, 6}, (g, x) -> new Conv2d("c", 2, 3, new int[] {3, 2}, new int[] {2, 1},
                new int[] {1, 1}, new int[] {2, 1}, true).apply(g, x));
    }

    @Test
    void layerNormAndGelu() {
        check(new long[] {2, 3, 6}, (g, x) -> Activations.gelu(g, new LayerNorm("n", 6, 1e-6, true).apply(g, x)));
    }

    @Test
    void groupNormAndPooling() {
        check(new long[] {2, 4, 4, 6}, (g, x) -> Pooling.avg(g, new GroupNorm("gn", 2, 4, 1e-5).apply(g, x), 2, 2));
    }

    @Test
    void attention() {
        check(new long[] {2, 3, 4}, (g, x) -> new MultiheadAttention("attn", 4, 2).apply(g, x));
    }

    @Test
    void multiplicativeFilm() {
        check(new long[] {2, 3, 2, 2}, (g, x) -> {
            SDVariable cond = g.param("cond", Nd4j.rand(g.dtype(), 2, 5));
            return new Film("film", 5, 3, true).apply(g, x, cond, 4);
        });
    }

    @Test
    void batchNormInTraining() {
        check(new long[] {3, 4, 3, 2}, (g, x) -> BatchNorm.of("bn", 4, 4).apply(g, x));
    }

    /**
     * The fused op (plans, training): a per-row shift {@code [B, C, H, 1]} and a per-plane one
     * {@code [B, C, 1, 1]}, each with the leaky ReLU; the input gradient is checked through an
     * element-wise parameter in front of the norm (its gradient is dx·x).
     */
    @Test
    void fusedBatchNormWithShiftAndLeakyRelu() {
        for (long[] shift : new long[][] {{3, 4, 3, 1}, {3, 4, 1, 1}}) {
            check(new long[] {3, 4, 3, 5}, (g, x) -> {
                assertThat(g.fusesOps()).isTrue();
                SDVariable pre = g.param("pre", Nd4j.rand(g.dtype(), 1, 4, 3, 5).addi(0.5));
                SDVariable beta = g.param("shift", Nd4j.rand(g.dtype(), shift).subi(0.5));
                return BatchNorm.of("bn", 4, 4).applyLeakyRelu(g, x.mul(pre), beta, 0.1);
            });
        }
    }

    @Test
    void transposedConvolution() {
        check(new long[] {2, 3, 2, 3}, (g, x) -> new ConvTranspose2d("up", 3, 2, 2, 2, true).apply(g, x, 2, 3));
    }

    @Test
    void postNormTransformerBlockAndPrelu() {
        check(new long[] {2, 3, 4}, (g, x) -> Regularization.prelu(g, "act",
                new TransformerBlock("b", 4, 2, 2.0, 1e-5, false).apply(g, x, 3), 3, 3));
    }

    @Test
    void bidirectionalTwoLayerGru() {
        check(new long[] {2, 4, 3}, (g, x) -> new Recurrent("gru", Recurrent.Cell.GRU, 3, 2, 2, true, 0).apply(g, x, 4));
    }

    @Test
    void lstm() {
        check(new long[] {2, 4, 3}, (g, x) -> new Recurrent("lstm", Recurrent.Cell.LSTM, 3, 2, 1, false, 0).apply(g, x, 4));
    }

    @Test
    void conv1dTransposedConv1dAndInstanceNorm() {
        check(new long[] {2, 3, 5}, (g, x) -> {
            SDVariable c = new Conv1d("c", 3, 4, 3, 1, 2, 2, true).apply(g, x);          // [2, 4, 5]
            SDVariable u = new ConvTranspose1d("u", 4, 2, 2, true).apply(g, c, 5);      // [2, 2, 10]
            return new InstanceNorm("n", 2, 1e-5, true).apply(g, u, 3);
        });
    }

    @Test
    void groupedConvolution() {
        check(new long[] {2, 4, 5, 4}, (g, x) -> new Conv2d("c", 4, 6, new int[] {3, 3}, new int[] {1, 2}, new int[] {1, 1},
                new int[] {1, 1}, true).groups(2).apply(g, x));
    }
}

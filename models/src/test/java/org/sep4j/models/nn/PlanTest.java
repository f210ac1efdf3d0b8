package org.sep4j.models.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compiled plans against SameDiff's own executor on the same graph and weights: outputs and
 * gradients bit for bit, through broadcasting products and sums (the rewritten backward ops),
 * batch norm, attention and a convolution; new batches, replaced weights and a new batch size.
 */
class PlanTest {

    /** conv → batch norm with a FiLM shift → leaky ReLU → broadcast scale and offset minus a bias → attention. */
    private static Graph net(boolean plans) {
        Graph g = new Graph(5);
        g.usePlans(plans);
        SDVariable x = g.input("x", -1, 2, 6, 8);
        SDVariable cond = g.input("cond", -1, 4);
        SDVariable h = new Conv2d("conv", 2, 4, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, true)
                .apply(g, x);
        SDVariable beta = new Linear("film", 4, 4).apply(g, cond).reshape(-1, 4, 1, 1);
        h = Activations.leakyRelu(g, BatchNorm.of("bn", 4, 4).apply(g, h, beta), 0.01);
        SDVariable scale = g.uniform("scale", 1, 1, 4, 1, 8);
        SDVariable bias = g.uniform("bias", 1, 4, 1, 1);
        h = h.mul(scale).add(g.uniform("offset", 1, 8)).sub(bias);                  // three broadcasting ops
        SDVariable tokens = h.reshape(-1, 4, 48).permute(0, 2, 1);                       // [B, 48, 4]
        SDVariable y = new TransformerBlock("block", 4, 2, 2, 1e-6, true).apply(g, tokens, 48);
        g.sd().identity("y", y);
        g.sd().setLossVariables(y.mul(y).mean());
        return g;
    }

    /** From java.util.Random: ND4J's rand after setSeed does not repeat itself reliably. */
    private static Map<String, INDArray> batch(long seed, int b) {
        java.util.Random r = new java.util.Random(seed);
        return Map.of("x", uniform(r, b, 2, 6, 8).subi(0.5), "cond", uniform(r, b, 4));
    }

    private static INDArray uniform(java.util.Random r, long... shape) {
        float[] v = new float[(int) java.util.Arrays.stream(shape).reduce(1, (p, q) -> p * q)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        return Nd4j.create(v, shape, 'c');
    }

    private static void same(Map<String, INDArray> a, Map<String, INDArray> b) {
        assertThat(a.keySet()).isEqualTo(b.keySet());
        a.forEach((k, v) -> assertThat(v.equals(b.get(k))).as("'%s' equal under both executors", k).isTrue());
    }

    @Test
    void plansGiveSameDiffsNumbers() {
        Graph planned = net(true);
        Graph interpreted = net(false);
        List<String> names = planned.paramNames();
        for (int step = 0; step < 3; step++) { // new batch values every step: the first compiles, later ones replay
            Map<String, INDArray> in = batch(step, 3);
            same(planned.gradients(in, names), interpreted.gradients(in, names));
            same(planned.output(in, "y"), interpreted.output(in, "y"));
        }
        // weights replaced by other arrays (as a checkpoint load may do) are seen by the compiled plan
        for (Graph g : List.of(planned, interpreted)) {
            g.sd().getVariable("scale").setArray(Nd4j.ones(DataType.FLOAT, 1, 4, 1, 8).muli(0.5));
        }
        same(planned.gradients(batch(7, 3), names), interpreted.gradients(batch(7, 3), names));
        // another batch size compiles a second plan beside the first
        same(planned.gradients(batch(8, 5), names), interpreted.gradients(batch(8, 5), names));
        same(planned.output(batch(9, 3), "y"), interpreted.output(batch(9, 3), "y"));
    }

    @Test
    void outputsOfTheCallerOwnSurviveTheNextRun() {
        Graph g = net(true);
        INDArray first = g.output(batch(1, 2), "y").get("y");
        INDArray kept = first.dup();
        g.output(batch(2, 2), "y");
        assertThat(first.equals(kept)).isTrue();
    }

    @Test
    void aGradientStepFollowsTheInterpreterOverSeveralUpdates() {
        Graph planned = net(true);
        Graph interpreted = net(false);
        for (int step = 0; step < 4; step++) {
            Map<String, INDArray> in = batch(step, 3);
            for (Graph g : List.of(planned, interpreted)) {
                Map<String, INDArray> grads = g.gradientsAndOutputs(in, List.of(), g.paramNames()).getGradients();
                grads.forEach((n, gr) -> g.params().get(n).getArr().subi(gr.mul(0.1)));   // in place, as the optimiser
            }
        }
        for (String n : planned.paramNames()) {
            assertThat(planned.params().get(n).getArr().equals(interpreted.params().get(n).getArr())).as(n).isTrue();
        }
    }

    @Test
    void aBatchChangedInPlaceIsReadAgain() {
        Graph planned = net(true);
        Graph interpreted = net(false);
        Map<String, INDArray> in = batch(3, 2);
        planned.output(in, "y");
        in.get("x").muli(-2); // the same arrays, new values: the plan copies its inputs every run
        same(planned.output(in, "y"), interpreted.output(in, "y"));
    }

    /** libnd4j's op context keeps every array set as an input alive; a plan must not re-bind new batches. */
    @Test
    void newBatchesEveryRunDoNotAccumulateNativeMemory() throws InterruptedException {
        Graph g = new Graph(1);
        g.usePlans(true);
        SDVariable x = g.input("x", -1, 1 << 18); // 1 MiB of floats per batch row
        g.sd().identity("y", x.mul(2).sum(1));
        g.output(Map.of("x", Nd4j.rand(DataType.FLOAT, 1, 1 << 18)), "y");
        System.gc();
        Thread.sleep(200);
        long before = org.sep4j.core.track.NativeHeap.inUse().orElseThrow();
        for (int i = 0; i < 100; i++) {
            INDArray fresh = Nd4j.rand(DataType.FLOAT, 1, 1 << 18);
            assertThat(g.output(Map.of("x", fresh), "y").get("y").getDouble(0)).isCloseTo(2 * fresh.sumNumber().doubleValue(),
                    org.assertj.core.data.Offset.offset(1.0));
            if (i % 10 == 9) {
                System.gc();
            }
        }
        System.gc();
        Thread.sleep(200);
        long grown = org.sep4j.core.track.NativeHeap.inUse().orElseThrow() - before;
        assertThat(grown).as("native bytes still held after 100 runs of 1 MiB batches").isLessThan(30L << 20);
    }
}

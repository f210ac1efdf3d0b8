package org.sep4j.models.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sep4j.core.testing.Close.assertClose;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.tensor.TensorData;
import org.sep4j.core.testing.Fixtures;

/** Forward passes against torch 1.13 on the same weights, loaded through the importer by name. */
class LayerParityTest {

    private static final Safetensors.Contents GOLD = Fixtures.load("nn/layers");

    private static INDArray array(String name) {
        TensorData t = GOLD.get(name);
        return Nd4j.create(t.floats(), t.shape(), 'c');
    }

    private static Map<String, TensorData> weights(String... prefixes) {
        Map<String, TensorData> m = new LinkedHashMap<>();
        GOLD.tensors().forEach((k, v) -> {
            for (String p : prefixes) {
                if (k.startsWith(p + ".")) {
                    m.put(k, v);
                }
            }
        });
        return m;
    }

    private static float[] run(Graph g, SDVariable out, String input, INDArray value) {
        return g.output(Map.of(input, value), out.name()).get(out.name()).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                .data().asFloat();
    }

    @Test
    void linearOn2dAnd3dInputs() {
        for (String which : new String[] {"lin2d", "lin3d"}) {
            Graph g = new Graph(1);
            INDArray in = array("in." + which);
            SDVariable x = g.input("x", in.rank() == 2 ? new long[] {-1, 6} : new long[] {-1, 5, 6});
            SDVariable y = new Linear("lin", 6, 4).apply(g, x);
            WeightImport.Report r = WeightImport.load(g, weights("lin"), UnaryOperator.identity(), true);
            assertThat(r.loaded()).containsExactlyInAnyOrder("lin.weight", "lin.bias");
            assertClose(GOLD.get("out." + which).floats(), run(g, y, "x", in), 1e-5, 1e-6, which);
        }
    }

    @Test
    void stridedAndDilatedConvolutions() {
        Graph g = new Graph(1);
        SDVariable x = g.input("x", -1, 3, 9, 7);
        SDVariable y = new Conv2d("conv", 3, 5, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, true).apply(g, x);
        SDVariable z = new Conv2d("dil", 3, 4, new int[] {3, 1}, new int[] {1, 1}, new int[] {2, 0}, new int[] {2, 1}, false).apply(g, x);
        WeightImport.load(g, weights("conv", "dil"), UnaryOperator.identity(), true);
        INDArray img = array("in.img");
        assertClose(GOLD.get("out.conv").floats(), run(g, y, "x", img), 1e-5, 1e-6, "conv k3 s2 p1");
        assertClose(GOLD.get("out.dil").floats(), run(g, z, "x", img), 1e-5, 1e-6, "conv k(3,1) d(2,1)");
        assertThat(g.output(Map.of("x", img), y.name()).get(y.name()).shape()).containsExactly(2, 5, 5, 4);
    }

    @Test
    void layerNormWithItsOwnEpsilonAndExactGelu() {
        Graph g = new Graph(1);
        SDVariable x = g.input("x", -1, 5, 8);
        SDVariable y = new LayerNorm("norm", 8, 1e-6, true).apply(g, x);
        WeightImport.load(g, weights("norm"), UnaryOperator.identity(), true);
        assertClose(GOLD.get("out.norm").floats(), run(g, y, "x", array("in.seq")), 1e-5, 1e-5, "layer norm");
        Graph h = new Graph(1);
        SDVariable u = h.input("u", -1, 7);
        SDVariable v = Activations.gelu(h, u);
        assertClose(GOLD.get("out.gelu").floats(), run(h, v, "u", array("in.gelu")), 1e-5, 1e-6, "gelu (erf)");
    }

    @Test
    void importerReportsWhatDoesNotLineUp() {
        Graph g = new Graph(1);
        new Linear("lin", 6, 3).apply(g, g.input("x", -1, 6));
        WeightImport.Report r = WeightImport.load(g, weights("lin", "norm"), UnaryOperator.identity(), false);
        assertThat(r.mismatched()).anySatisfy(m -> assertThat(m).contains("lin.weight").contains("[3, 6]").contains("[4, 6]"));
        assertThat(r.unexpected()).contains("norm.weight", "norm.bias");
        assertThat(r.missing()).contains("lin.weight");
        assertThatThrownBy(() -> WeightImport.load(g, weights("lin"), UnaryOperator.identity(), true))
                .hasMessageContaining("do not match");
        // a name map: checkpoint keys with a prefix
        Graph h = new Graph(1);
        new Linear("lin", 6, 4).apply(h, h.input("x", -1, 6));
        Map<String, TensorData> prefixed = new LinkedHashMap<>();
        weights("lin").forEach((k, v) -> prefixed.put("module." + k, v));
        assertThat(WeightImport.load(h, prefixed, k -> k.replaceFirst("^module\\.", ""), true).clean()).isTrue();
    }

    @Test
    void groupNormPoolingAttentionAndEmbedding() {
        Graph g = new Graph(1);
        SDVariable feat = g.input("feat", -1, 6, 5, 4);
        SDVariable gn = new GroupNorm("gn", 2, 6, 1e-5).apply(g, feat);
        SDVariable pool = Pooling.avg(g, feat, 2, 2);
        SDVariable q = g.input("q", -1, 5, 8);
        SDVariable kv = g.input("kv", -1, 7, 8);
        MultiheadAttention mha = new MultiheadAttention("attn", 8, 2);
        SDVariable self = mha.apply(g, q);
        SDVariable ids = g.input("ids", -1, 3);
        SDVariable emb = new Embedding("emb", 10, 4).apply(g, ids);
        WeightImport.Report r = WeightImport.load(g, weights("gn", "attn", "emb"), UnaryOperator.identity(), true);
        assertThat(r.clean()).isTrue();
        Map<String, INDArray> in = Map.of("feat", array("in.feat"), "q", array("in.q"), "kv", array("in.kv"), "ids", array("in.ids"));
        Map<String, INDArray> out = g.output(in, gn.name(), pool.name(), self.name(), emb.name());
        assertClose(GOLD.get("out.gn").floats(), flat(out.get(gn.name())), 1e-5, 1e-5, "group norm");
        assertClose(GOLD.get("out.avgpool").floats(), flat(out.get(pool.name())), 1e-5, 1e-6, "avg pool 2");
        assertClose(GOLD.get("out.selfattn").floats(), flat(out.get(self.name())), 1e-5, 1e-5, "self-attention");
        assertClose(GOLD.get("out.emb").floats(), flat(out.get(emb.name())), 0, 0, "embedding");
    }

    @Test
    void crossAttention() {
        Graph g = new Graph(1);
        SDVariable q = g.input("q", -1, 5, 8);
        SDVariable kv = g.input("kv", -1, 7, 8);
        SDVariable y = new MultiheadAttention("attn", 8, 2).apply(g, q, kv);
        WeightImport.load(g, weights("attn"), UnaryOperator.identity(), true);
        Map<String, INDArray> out = g.output(Map.of("q", array("in.q"), "kv", array("in.kv")), y.name());
        assertClose(GOLD.get("out.crossattn").floats(), flat(out.get(y.name())), 1e-5, 1e-5, "cross-attention");
    }

    private static float[] flat(INDArray a) {
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    }

    @Test
    void batchNormTrainsItsRunningStatisticsAndEvaluatesWithThem() {
        Graph train = new Graph(1);
        SDVariable x = train.input("feat", -1, 6, 5, 4);
        SDVariable y = BatchNorm.of("bn", 6, 4).apply(train, x);
        WeightImport.Report r = WeightImport.load(train, weights("bn"), UnaryOperator.identity(), false);
        assertThat(r.loaded()).containsExactlyInAnyOrder("bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"); // torch's initial statistics
        String[] wanted = {y.name(), "bn.batch_mean", "bn.batch_var"};
        Map<String, INDArray> step1 = train.output(Map.of("feat", array("in.feat")), wanted);
        assertClose(GOLD.get("out.bn_train1").floats(), flat(step1.get(y.name())), 1e-5, 1e-5, "train step 1");
        train.applyBufferUpdates(step1);
        Map<String, INDArray> step2 = train.output(Map.of("feat", array("in.feat2")), wanted);
        assertClose(GOLD.get("out.bn_train2").floats(), flat(step2.get(y.name())), 1e-5, 1e-5, "train step 2");
        train.applyBufferUpdates(step2);
        assertClose(GOLD.get("out.bn_running_mean").floats(), flat(train.buffers().get("bn.running_mean")), 1e-5, 1e-6, "running mean");
        assertClose(GOLD.get("out.bn_running_var").floats(), flat(train.buffers().get("bn.running_var")), 1e-5, 1e-6, "running var");
        Graph eval = new Graph(1);
        eval.train(false);
        SDVariable z = BatchNorm.of("bn", 6, 4).apply(eval, eval.input("feat", -1, 6, 5, 4));
        eval.copyWeightsFrom(train);
        assertClose(GOLD.get("out.bn_eval").floats(), flat(eval.output(Map.of("feat", array("in.feat")), z.name()).get(z.name())),
                1e-5, 1e-5, "eval");
    }

    @Test
    void linearAndBilinearResizing() {
        Graph g = new Graph(1);
        SDVariable x = g.input("x", -1, 62);
        SDVariable up = Interpolate.linear(g, x, 62, 250);
        SDVariable down = Interpolate.linear(g, x, 62, 20);
        SDVariable img = g.input("feat", -1, 6, 5, 4);
        SDVariable bil = Interpolate.bilinear(g, img, 6, 5, 4, 8, 3);
        Map<String, INDArray> out = g.output(Map.of("x", array("in.interp"), "feat", array("in.feat")), up.name(), down.name(),
                bil.name());
        assertClose(GOLD.get("out.interp250").floats(), flat(out.get(up.name())), 1e-5, 1e-6, "62 -> 250");
        assertClose(GOLD.get("out.interp20").floats(), flat(out.get(down.name())), 1e-5, 1e-6, "62 -> 20");
        assertClose(GOLD.get("out.bilinear").floats(), flat(out.get(bil.name())), 1e-5, 1e-6, "bilinear (5,4) -> (8,3)");
    }

    @Test
    void positionalEncodings() {
        INDArray pe = PositionalEncoding.sinusoidal(50, 16);
        assertThat(pe.getDouble(0, 0)).isZero();
        assertThat(pe.getDouble(0, 1)).isEqualTo(1.0);
        assertThat(pe.getDouble(7, 2)).isCloseTo(Math.sin(7 * Math.pow(10000, -2.0 / 16)), org.assertj.core.data.Offset.offset(1e-6));
        INDArray grid = PositionalEncoding.sincos2d(5, 62, 768);
        assertThat(grid.shape()).containsExactly(310, 768);
        // token (row 2, col 3): column features first, then row features; cos(0) = 1 for row 0
        assertThat(grid.getDouble(2 * 62 + 3, 0)).isCloseTo(Math.sin(3), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(grid.getDouble(2 * 62 + 3, 384)).isCloseTo(Math.sin(2), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(grid.getDouble(3, 384 + 192)).isEqualTo(1.0);
    }

    @Test
    void transposedConvolutionUpsamples() {
        Graph g = new Graph(1);
        SDVariable feat = g.input("feat", -1, 6, 5, 4);
        SDVariable up = new ConvTranspose2d("up", 6, 3, 2, 1, true).apply(g, feat);
        WeightImport.load(g, weights("up"), UnaryOperator.identity(), true);
        INDArray out = g.output(Map.of("feat", array("in.feat")), up.name()).get(up.name());
        assertThat(out.shape()).containsExactly(2, 3, 10, 4);
        assertClose(GOLD.get("out.up").floats(), flat(out), 1e-5, 1e-6, "conv transpose k=s=(2,1)");
    }

    @Test
    void vitBlockWithTimmNames() {
        Graph g = new Graph(1);
        SDVariable q = g.input("q", -1, 5, 8);
        SDVariable y = new TransformerBlock("block", 8, 2, 4.0, 1e-6, true).apply(g, q);
        WeightImport.Report r = WeightImport.load(g, weights("block"), UnaryOperator.identity(), true);
        assertThat(r.loaded()).contains("block.attn.qkv.weight", "block.mlp.fc2.bias");
        assertClose(GOLD.get("out.block").floats(), flat(g.output(Map.of("q", array("in.q")), y.name()).get(y.name())),
                1e-5, 1e-5, "pre-LN ViT block");
    }

    @Test
    void dropoutKeepsTheMeanAndEvaluationIsTheIdentity() {
        Graph train = new Graph(1);
        SDVariable x = train.input("x", 20, 1000);
        SDVariable y = Regularization.dropout(train, x, 0.3);
        assertThatThrownBy(() -> Regularization.dropout(train, train.input("dyn", -1, 1000), 0.3))
                .hasMessageContaining("full shape");
        INDArray ones = Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 20, 1000);
        INDArray out = train.output(Map.of("x", ones), y.name()).get(y.name());
        double zeros = out.eq(0).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).meanNumber().doubleValue();
        assertThat(zeros).isBetween(0.28, 0.32);
        assertThat(out.meanNumber().doubleValue()).isBetween(0.97, 1.03);
        Graph eval = new Graph(1);
        eval.train(false);
        SDVariable z = eval.input("x", -1, 1000);
        assertThat(Regularization.dropout(eval, z, 0.3)).isSameAs(z);
    }

    @Test
    void bidirectionalGruAndStackedLstm() {
        Graph g = new Graph(1);
        g.train(false); // an evaluation graph: no dropout between layers
        SDVariable x = g.input("x", -1, 7, 6);
        SDVariable gru = new Recurrent("gru", Recurrent.Cell.GRU, 6, 5, 2, true, 0.3).apply(g, x, 7);
        SDVariable lstm = new Recurrent("lstm", Recurrent.Cell.LSTM, 6, 4, 2, false, 0).apply(g, x, 7);
        WeightImport.Report r = WeightImport.load(g, weights("gru", "lstm"), UnaryOperator.identity(), true);
        assertThat(r.loaded()).contains("gru.weight_hh_l1_reverse", "lstm.bias_ih_l1");
        INDArray in = array("in.rseq");
        assertClose(GOLD.get("out.gru").floats(), run(g, gru, "x", in), 1e-5, 1e-6, "GRU");
        assertClose(GOLD.get("out.lstm").floats(), run(g, lstm, "x", in), 1e-5, 1e-6, "LSTM");
    }

    @Test
    void conv1dTransposedConv1dAndInstanceNorm() {
        Graph g = new Graph(1);
        SDVariable x = g.input("x", -1, 6, 11);
        SDVariable c = new Conv1d("conv1", 6, 3, 3, 2, 2, 2, true).apply(g, x);
        SDVariable u = new ConvTranspose1d("up1", 6, 2, 3, true).apply(g, x, 11);
        SDVariable f = g.input("f", -1, 6, 5, 4);
        SDVariable n = new InstanceNorm("inorm", 6, 1e-5, true).apply(g, f);
        WeightImport.load(g, weights("conv1", "up1", "inorm"), UnaryOperator.identity(), true);
        INDArray in = array("in.cseq");
        assertClose(GOLD.get("out.conv1").floats(), run(g, c, "x", in), 1e-5, 1e-6, "conv1d");
        assertClose(GOLD.get("out.up1").floats(), run(g, u, "x", in), 1e-5, 1e-6, "conv transpose 1d");
        assertClose(GOLD.get("out.inorm").floats(), run(g, n, "f", array("in.feat")), 1e-5, 1e-5, "instance norm");
    }

    @Test
    void groupedAndDepthwiseConvolutions() {
        Graph g = new Graph(1);
        SDVariable f = g.input("f", -1, 6, 5, 4);
        SDVariable grp = new Conv2d("grp", 6, 4, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, true)
                .groups(2).apply(g, f);
        SDVariable dw = new Conv2d("dw", 6, 6, new int[] {3, 1}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 1}, false)
                .groups(6).apply(g, f);
        WeightImport.Report r = WeightImport.load(g, weights("grp", "dw"), UnaryOperator.identity(), true);
        assertThat(r.loaded()).contains("grp.weight", "dw.weight");
        assertClose(GOLD.get("out.grp").floats(), run(g, grp, "f", array("in.feat")), 1e-5, 1e-6, "groups 2");
        assertClose(GOLD.get("out.dw").floats(), run(g, dw, "f", array("in.feat")), 1e-5, 1e-6, "depthwise");
        assertThatThrownBy(() -> new Conv2d("bad", 6, 4, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, true)
                .groups(4)).hasMessageContaining("do not split into 4 groups");
    }
}

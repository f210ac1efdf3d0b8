package org.sep4j.models.bisep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.sep4j.core.testing.Close.assertClose;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.tensor.TensorData;
import org.sep4j.core.testing.Fixtures;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.WeightImport;

/** BiSep's separator against a torch 1.13 replica (tools/fixtures/make_bisep_fixtures.py), and its published size. */
class CondAttUNetTest {

    private static final Safetensors.Contents GOLD = Fixtures.load("bisep/toy_condattunet");

    /** The fixture's toy size: 32×32 grid (n_fft 62, hop 16, 496 samples), three downs, attention at the deepest two. */
    static BiSepConfig toy() {
        return new BiSepConfig(16000, 496, 62, 16, List.of(8, 16, 16), 2, 2, 2.0, 12, 5, 10, 4);
    }

    private static INDArray array(String name) {
        TensorData t = GOLD.get(name);
        return Nd4j.create(t.floats(), t.shape(), 'c');
    }

    @Test
    void maskAndFeatureMapsMatchTheTorchReplicaWithWeightsLoadedByName() {
        Graph g = new Graph(1);
        g.train(false);
        CondAttUNet net = new CondAttUNet(toy());
        net.build(g, -1);
        Map<String, TensorData> weights = new LinkedHashMap<>();
        GOLD.tensors().forEach((k, v) -> {
            if (!k.startsWith("in.") && !k.startsWith("out.")) {
                weights.put(k, v);
            }
        });
        WeightImport.Report r = WeightImport.load(g, weights, UnaryOperator.identity(), true); // every tensor, every parameter
        assertThat(r.loaded()).contains("att3.cross_attn.k_proj_weight", "att2.self_attn.in_proj_weight", "up0.conv.bias",
                "mask_head.scale", "bn0.running_var");
        assertThat(g.parameterCount()).isEqualTo(Long.parseLong(GOLD.metadata().get("toy_parameters")));
        Map<String, INDArray> in = Map.of(CondAttUNet.MAGNITUDE, array("in.magnitude"), CondAttUNet.TEXT, array("in.text"),
                CondAttUNet.TEXT_KEEP, array("in.keep"), CondAttUNet.EMBEDDING, array("in.embedding"));
        INDArray out = g.output(in, CondAttUNet.MASK).get(CondAttUNet.MASK);
        assertThat(out.shape()).containsExactly(2, 32, 32);
        assertClose(GOLD.get("out.mask").floats(), out.castTo(DataType.FLOAT).data().asFloat(), 1e-4, 1e-5, "BiSep mask");

        // the maps before the head, where a wrong layer is not squashed by the final sigmoid
        Graph f = new Graph(1);
        f.train(false);
        SDVariable maps = net.features(f, f.input("m", -1, 32, 32), f.input("t", -1, 5, 12), f.input("k", -1, 5));
        WeightImport.load(f, weights, UnaryOperator.identity(), false);
        INDArray got = f.output(Map.of("m", array("in.magnitude"), "t", array("in.text"), "k", array("in.keep")), maps.name())
                .get(maps.name());
        assertThat(got.shape()).containsExactly(2, 4, 32, 32);
        assertClose(GOLD.get("out.features").floats(), got.castTo(DataType.FLOAT).data().asFloat(), 1e-4, 1e-4, "BiSep feature maps");
    }

    @Test
    void thePaddedTextTokensAreLeftOutOfTheCrossAttention() {
        Graph g = new Graph(3);
        g.train(false);
        CondAttUNet net = new CondAttUNet(toy());
        net.build(g, -1);
        INDArray text = array("in.text");
        INDArray keep = array("in.keep");
        Map<String, INDArray> in = new LinkedHashMap<>(Map.of(CondAttUNet.MAGNITUDE, array("in.magnitude"), CondAttUNet.TEXT, text,
                CondAttUNet.TEXT_KEEP, keep, CondAttUNet.EMBEDDING, array("in.embedding")));
        float[] before = g.output(in, CondAttUNet.MASK).get(CondAttUNet.MASK).dup().data().asFloat();
        INDArray changed = text.dup();
        changed.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 5),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(7); // item 1's padding
        in.put(CondAttUNet.TEXT, changed);
        float[] after = g.output(in, CondAttUNet.MASK).get(CondAttUNet.MASK).dup().data().asFloat();
        assertClose(before, after, 1e-6, 1e-6, "mask with other padding");
        changed.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(7); // a real token
        float[] moved = g.output(in, CondAttUNet.MASK).get(CondAttUNet.MASK).dup().data().asFloat();
        double diff = 0;
        for (int i = before.length / 2; i < before.length; i++) {
            diff = Math.max(diff, Math.abs(moved[i] - before[i]));
        }
        assertThat(diff).isGreaterThan(1e-4);
    }

    @Test
    void thePaperSizeHas87_7MillionParametersAsTheReplicaCounts() {
        long n = CondAttUNet.parameterCount(BiSepConfig.full());
        System.out.printf("BiSep CondAttUNet (paper size) %,d parameters; tiny %,d%n", n,
                CondAttUNet.parameterCount(BiSepConfig.tiny()));
        assertThat(n).isEqualTo(Long.parseLong(GOLD.metadata().get("full_parameters")));
        assertThat(n / 1e6).isCloseTo(87.7, within(0.05));
        assertThat(BiSepConfig.full().bins()).isEqualTo(512);
        assertThat(BiSepConfig.full().frames()).isEqualTo(512);
    }

    @Test
    void aGridThatDoesNotHalveEnoughTimesIsAClearError() {
        assertThatThrownBy(() -> new BiSepConfig(16000, 1000, 62, 16, List.of(8, 16, 16), 2, 2, 2.0, 12, 5, 10, 4))
                .hasMessageContaining("frames").hasMessageContaining("divide by 2^3");
        assertThatThrownBy(() -> new BiSepConfig(16000, 496, 62, 16, List.of(8, 16, 15), 2, 2, 2.0, 12, 5, 10, 4))
                .hasMessageContaining("heads");
    }
}

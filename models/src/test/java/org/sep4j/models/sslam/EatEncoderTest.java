package org.sep4j.models.sslam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sep4j.core.testing.Close.assertClose;

import java.util.LinkedHashMap;
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
import org.sep4j.models.onnx.OrtModel;

/** The EAT encoder against a torch 1.13 replica (tools/fixtures/make_sslam_fixtures.py) on the same weights, loaded by fairseq name. */
class EatEncoderTest {

    private static final Safetensors.Contents GOLD = Fixtures.load("sslam/tiny_eat");

    /** The fixture's weights: the encoder's, and the decoder's when asked. */
    private static Map<String, TensorData> weights(boolean decoder) {
        Map<String, TensorData> w = new LinkedHashMap<>();
        GOLD.tensors().forEach((k, v) -> {
            if (!k.startsWith("in.") && !k.startsWith("out.") && (decoder || !k.startsWith(EatDecoder.PREFIX + "."))) {
                w.put(k, v);
            }
        });
        return w;
    }

    private static INDArray array(String name) {
        TensorData t = GOLD.get(name);
        return Nd4j.create(t.floats(), t.shape(), 'c');
    }

    @Test
    void featuresMatchTheTorchReplicaWithWeightsLoadedByFairseqName() throws Exception {
        Graph g = new Graph(1);
        EatEncoder enc = new EatEncoder(new EatConfig(32, 2, 4, 4.0, 1e-6), 64);
        SDVariable features = enc.apply(g, enc.input(g, "fbank"));
        Map<String, TensorData> weights = weights(false);
        WeightImport.Report r = WeightImport.load(g, weights, UnaryOperator.identity(), true); // every parameter, every tensor
        assertThat(r.loaded()).contains(EatEncoder.CLS + "", EatEncoder.PATCH_EMBED + ".weight",
                EatEncoder.CONTEXT_NORM + ".bias", "blocks.1.mlp.fc2.weight");
        TensorData in = GOLD.get("in.fbank");
        INDArray out = g.output(Map.of("fbank", Nd4j.create(in.floats(), in.shape(), 'c')), features.name()).get(features.name());
        assertThat(out.shape()).containsExactly(2, 1 + 4 * 8, 32);
        assertClose(GOLD.get("out.features").floats(), out.castTo(DataType.FLOAT).data().asFloat(), 1e-4, 1e-5, "EAT features");
        // the spec's ONNX contract: fbank [B, 1, T, 128] in, features [B, 1 + 8·T/16, D] out, exported in memory
        g.sd().identity("features", features);
        try (OrtModel m = OrtModel.of(g, java.util.List.of("features"), java.nio.file.Path.of("tiny_eat"),
                OrtModel.Options.defaults())) {
            INDArray viaOrt = m.run(Map.of("fbank", Nd4j.create(in.floats(), in.shape(), 'c'))).get("features");
            assertClose(GOLD.get("out.features").floats(), viaOrt.data().asFloat(), 1e-4, 1e-5, "EAT features in ONNX Runtime");
        }
    }

    @Test
    void theTeachersTargetsMatchTheReplica() {
        Graph g = new Graph(1);
        EatEncoder enc = new EatEncoder(new EatConfig(32, 2, 4, 4.0, 1e-6), 64);
        EatEncoder.Outputs o = enc.encode(g, enc.input(g, "fbank"));
        SDVariable frames = EatTargets.frames(g, o.mlp(), 32, 32);
        SDVariable utterance = EatTargets.utterance(frames);
        Map<String, TensorData> weights = weights(false);
        WeightImport.load(g, weights, UnaryOperator.identity(), true);
        TensorData in = GOLD.get("in.fbank");
        Map<String, INDArray> out = g.output(Map.of("fbank", Nd4j.create(in.floats(), in.shape(), 'c')), frames.name(),
                utterance.name());
        assertThat(out.get(frames.name()).shape()).containsExactly(2, 32, 32);
        assertClose(GOLD.get("out.target_frames").floats(), out.get(frames.name()).castTo(DataType.FLOAT).data().asFloat(), 1e-4,
                1e-4, "frame targets");
        assertClose(GOLD.get("out.target_utterance").floats(), out.get(utterance.name()).castTo(DataType.FLOAT).data().asFloat(),
                1e-4, 1e-4, "utterance targets");
    }

    @Test
    void theStudentSeesOnlyItsVisiblePatchesAndTheDecoderPredictsEveryPatch() {
        Graph g = new Graph(1);
        EatEncoder enc = new EatEncoder(new EatConfig(32, 2, 4, 4.0, 1e-6), 64);
        SDVariable select = g.input("select", -1, 32, 8);
        SDVariable noise = g.input("noise", -1, 32, 32);
        SDVariable student = enc.encodeVisible(g, enc.input(g, "fbank"), select, 8).features();   // [B, 1 + V, D]
        SDVariable cls = student.get(org.nd4j.autodiff.samediff.SDIndex.all(), org.nd4j.autodiff.samediff.SDIndex.point(0),
                org.nd4j.autodiff.samediff.SDIndex.all());
        SDVariable tokens = student.get(org.nd4j.autodiff.samediff.SDIndex.all(), org.nd4j.autodiff.samediff.SDIndex.interval(1, 9),
                org.nd4j.autodiff.samediff.SDIndex.all());
        SDVariable prediction = new EatDecoder(32, 2, 4, 3).apply(g, tokens, select, noise, 4, 8);
        WeightImport.load(g, weights(true), UnaryOperator.identity(), true);
        Map<String, INDArray> out = g.output(Map.of("fbank", array("in.fbank"), "select", array("in.select"), "noise",
                array("in.noise")), cls.name(), prediction.name());
        assertClose(GOLD.get("out.student_cls").floats(), out.get(cls.name()).castTo(DataType.FLOAT).data().asFloat(), 1e-4, 1e-5,
                "student CLS");
        assertThat(out.get(prediction.name()).shape()).containsExactly(2, 32, 32);
        assertClose(GOLD.get("out.prediction").floats(), out.get(prediction.name()).castTo(DataType.FLOAT).data().asFloat(), 1e-4,
                1e-5, "decoder predictions");
        // and it trains: a regression of the predictions reaches the patch embedding through the selection
        SDVariable target = g.input("target", -1, 32, 32);
        SDVariable diff = prediction.sub(target);
        SDVariable loss = diff.mul(diff).mean();
        g.sd().setLossVariables(loss);
        Map<String, INDArray> grads = g.gradients(Map.of("fbank", array("in.fbank"), "select", array("in.select"), "noise",
                array("in.noise"), "target", array("out.target_frames")), java.util.List.of(EatEncoder.PATCH_EMBED + ".weight",
                EatDecoder.PREFIX + ".proj.weight"));
        for (INDArray gr : grads.values()) {
            double norm = gr.norm2Number().doubleValue();
            assertThat(norm).isFinite().isPositive();
        }
    }

    @Test
    void theFbankMustCoverWholePatches() {
        assertThatThrownBy(() -> new EatEncoder(EatConfig.tiny(), 1000)).hasMessageContaining("multiple of 16 frames, got 1000");
        assertThat(new EatEncoder(EatConfig.base(), 1024).tokens()).isEqualTo(513);
        assertThatThrownBy(() -> new EatConfig(30, 2, 4, 4.0, 1e-6)).hasMessageContaining("dim 30");
    }
}

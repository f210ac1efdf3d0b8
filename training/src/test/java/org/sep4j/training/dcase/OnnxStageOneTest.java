package org.sep4j.training.dcase;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sep4j.core.config.Composed;
import org.sep4j.core.config.ConfigBinder;
import org.sep4j.core.config.ConfigComposer;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.tensor.TensorData;
import org.sep4j.data.DataConfig;
import org.sep4j.models.onnx.OrtModel;
import org.sep4j.models.sed.SedConfig;

/**
 * Stage-1 taggers exported by torch (tools/fixtures/make_onnx_fixtures.py, make_backbone_fixtures.py)
 * label scenes through the task's front end: sep4j's contract and the M2D adapter contract.
 */
class OnnxStageOneTest {

    /** The default tagger task on 2-s scenes. */
    private static TaggerTask task() throws java.io.IOException {
        Composed c = ConfigComposer.standard(null).compose("config", List.of("data.scene.duration=2.0",
                "data.scene.max_event_duration=1.0"));
        return new TaggerTask(ConfigBinder.bind(c, "model.sed", SedConfig.class),
                ConfigBinder.bind(c, "data", DataConfig.class).generator(), ConfigBinder.bind(c, "trainer", TrainSettings.class));
    }

    @Test
    void theOnnxTaggerMatchesTorchAndServesTheTaskFrontEnd(@TempDir Path dir) throws Exception {
        Path onnx = dir.resolve("stage1.onnx");
        try (var in = OnnxStageOneTest.class.getResourceAsStream("/fixtures/onnx/tiny_sed_stage1.onnx")) {
            Files.copy(in, onnx);
        }
        Path ioFile = dir.resolve("io.safetensors");
        try (var in = OnnxStageOneTest.class.getResourceAsStream("/fixtures/onnx/tiny_sed_stage1_io.safetensors")) {
            Files.copy(in, ioFile);
        }
        Map<String, TensorData> io = Safetensors.read(ioFile).tensors();
        try (OrtModel m = OrtModel.open(onnx, OrtModel.Options.defaults())) {
            INDArray x = Nd4j.create(io.get("logmel").floats(), io.get("logmel").shape(), 'c');
            INDArray want = Nd4j.create(io.get("clip").floats(), io.get("clip").shape(), 'c');
            assertThat(m.run(Map.of("logmel", x)).get("clip").sub(want).amaxNumber().doubleValue()).isLessThan(1e-5);

            TaggerTask task = task();
            float[][] ch0 = SceneBatches.channel0(task.data().validation(3));
            List<float[]> p = task.probabilities(m, ch0);
            assertThat(p).hasSize(3).allSatisfy(row -> assertThat(row).hasSize(18));
            // the same as running the model on the task's own log-mel
            INDArray direct = m.run(Map.of("logmel", task.data().logMel(ch0))).get("clip");
            for (int i = 0; i < 3; i++) {
                assertThat(p.get(i)).containsExactly(direct.getRow(i).toFloatVector());
            }
        }
    }

    @Test
    void anM2dExportWithLogitsGivesSigmoidProbabilitiesOnItsFixedFrames(@TempDir Path dir) throws Exception {
        Path onnx = dir.resolve("m2d.onnx");
        try (var in = OnnxStageOneTest.class.getResourceAsStream("/fixtures/onnx/tiny_m2d.onnx")) {
            Files.copy(in, onnx);
        }
        try (OrtModel m = OrtModel.open(onnx, OrtModel.Options.defaults())) {
            TaggerTask task = task();
            float[][] ch0 = SceneBatches.channel0(task.data().validation(3));
            List<float[]> p = task.probabilities(m, ch0);
            // 2-s scenes give 201 log-mel frames; the export takes 48, so the first 48 are what it sees
            INDArray logmel = task.data().logMel(ch0);
            assertThat(logmel.size(3)).isEqualTo(201);
            INDArray first48 = logmel.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 48))
                    .dup('c');
            INDArray logits = m.run(Map.of("logmel", first48)).get("logits");
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 18; k++) {
                    assertThat(p.get(i)[k]).isCloseTo((float) (1 / (1 + Math.exp(-logits.getDouble(i, k)))), Offset.offset(1e-6f));
                }
            }
        }
    }
}

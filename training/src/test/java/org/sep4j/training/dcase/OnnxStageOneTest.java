package org.sep4j.training.dcase;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.config.Composed;
import org.sep4j.core.config.ConfigBinder;
import org.sep4j.core.config.ConfigComposer;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.tensor.TensorData;
import org.sep4j.data.DataConfig;
import org.sep4j.models.onnx.OrtModel;
import org.sep4j.models.sed.SedConfig;

/** A stage-1 tagger exported by torch (tools/fixtures/make_onnx_fixtures.py) labels scenes through the task's front end. */
class OnnxStageOneTest {

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

            Composed c = ConfigComposer.standard(null).compose("config", List.of("data.scene.duration=2.0",
                    "data.scene.max_event_duration=1.0"));
            TaggerTask task = new TaggerTask(ConfigBinder.bind(c, "model.sed", SedConfig.class),
                    ConfigBinder.bind(c, "data", DataConfig.class).generator(), ConfigBinder.bind(c, "trainer", TrainSettings.class));
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
}

package org.sep4j.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.tensor.TensorData;

/**
 * A tiny tagger exported by Debian's torch 1.13 (tools/fixtures/make_onnx_fixtures.py) runs in
 * ONNX Runtime through OrtModel and gives torch's outputs, at two batch sizes (dynamic axis).
 */
class OrtModelTest {

    private static INDArray array(TensorData t) {
        return OnnxFixtures.array(t);
    }

    @Test
    void runsTheTorchExportAndMatchesTorch(@TempDir Path dir) throws IOException {
        Path onnx = OnnxFixtures.copy(dir, "tiny_tagger.onnx");
        Map<String, TensorData> io = Safetensors.read(OnnxFixtures.copy(dir, "tiny_tagger_io.safetensors")).tensors();
        try (OrtModel m = OrtModel.open(onnx, OrtModel.Options.defaults().threads(1, 1))) {
            assertThat(m.provider()).isEqualTo("cpu");
            assertThat(m.inputs()).singleElement().satisfies(p -> {
                assertThat(p.name()).isEqualTo("logmel");
                assertThat(p.shape()).containsExactly(-1, 1, 16, 20);
                assertThat(p.type()).isEqualTo("float");
            });
            assertThat(m.outputs()).extracting(OrtModel.Port::name).containsExactly("strong", "clip");
            for (int b : new int[] {1, 3}) {
                Map<String, INDArray> out = m.run(Map.of("logmel", array(io.get("b" + b + "/logmel"))));
                for (String name : new String[] {"strong", "clip"}) {
                    INDArray want = array(io.get("b" + b + "/" + name));
                    INDArray got = out.get(name);
                    assertThat(got.shape()).as(name).containsExactly(want.shape());
                    assertThat(got.sub(want).amaxNumber().doubleValue()).as("batch %d %s", b, name).isLessThan(1e-5);
                }
            }
            // a view (a slice of a bigger array) goes through a compact copy and gives the same answer
            INDArray three = array(io.get("b3/logmel"));
            INDArray second = three.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2));
            INDArray viaView = m.run(Map.of("logmel", second)).get("clip");
            INDArray viaDup = m.run(Map.of("logmel", second.dup())).get("clip");
            assertThat(viaView).isEqualTo(viaDup);
            assertThat(viaView.sub(array(io.get("b3/clip")).getRow(1).reshape(1, 5)).amaxNumber().doubleValue()).isLessThan(1e-5);
        }
    }

    @Test
    void badInputsAreNamedWithWhatTheModelTakes(@TempDir Path dir) throws IOException {
        Path onnx = OnnxFixtures.copy(dir, "tiny_tagger.onnx");
        try (OrtModel m = OrtModel.open(onnx, OrtModel.Options.defaults())) {
            assertThatThrownBy(() -> m.run(Map.of("mel", Nd4j.zeros(1, 1, 16, 20)))).hasMessageContaining("no input named 'mel'")
                    .hasMessageContaining("logmel float[-1, 1, 16, 20]");
            assertThatThrownBy(() -> m.run(Map.of("logmel", Nd4j.zeros(1, 1, 16, 21)))).hasMessageContaining("input 'logmel'")
                    .hasMessageContaining("[1, 1, 16, 21]");
        }
        assertThatThrownBy(() -> OrtModel.open(dir.resolve("none.onnx"), OrtModel.Options.defaults()))
                .hasMessageContaining("none.onnx").hasMessageContaining("not found");
        Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a model");
        assertThatThrownBy(() -> OrtModel.open(junk, OrtModel.Options.defaults())).isInstanceOf(IOException.class)
                .hasMessageContaining("junk.onnx");
        assertThatThrownBy(() -> OrtModel.Options.defaults().provider("tpu")).hasMessageContaining("cpu, cuda, cuda:N or auto");
    }

    @Test
    void cudaOnDemandIsUsedOrRefusedWithTheReasonAndAutoFallsBack(@TempDir Path dir) throws IOException {
        Path onnx = OnnxFixtures.copy(dir, "tiny_tagger.onnx");
        String problem = OrtModel.cudaProblem();
        if (problem != null) { // no usable GPU here: the refusal says why and what to do
            assertThatThrownBy(() -> OrtModel.open(onnx, OrtModel.Options.defaults().provider("cuda:0")))
                    .hasMessageContaining("cuda:0 requested").hasMessageContaining("use provider cpu");
            try (OrtModel m = OrtModel.open(onnx, OrtModel.Options.defaults().provider("auto"))) {
                assertThat(m.provider()).isEqualTo("cpu");
            }
        } else {
            try (OrtModel m = OrtModel.open(onnx, OrtModel.Options.defaults().provider("cuda:0"))) {
                assertThat(m.provider()).isEqualTo("cuda:0");
            }
        }
    }

    @Test
    void theCacheSharesSessionsAndReopensChangedFiles(@TempDir Path dir) throws IOException {
        Path onnx = OnnxFixtures.copy(dir, "tiny_tagger.onnx");
        try (OrtModel.Cache cache = new OrtModel.Cache()) {
            OrtModel a = cache.get(onnx, OrtModel.Options.defaults());
            assertThat(cache.get(dir.resolve(".").resolve("tiny_tagger.onnx"), OrtModel.Options.defaults())).isSameAs(a);
            assertThat(cache.get(onnx, OrtModel.Options.defaults().threads(1, 1))).isNotSameAs(a);
            Files.setLastModifiedTime(onnx, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(onnx).toMillis()
                    + 5000));
            assertThat(cache.get(onnx, OrtModel.Options.defaults())).isNotSameAs(a);
            assertThat(cache.size()).isEqualTo(3);
        }
    }
}

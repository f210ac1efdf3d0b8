package org.sep4j.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.tensor.TensorData;

/**
 * The EAT/SSLAM encoder contract end to end: waveforms through sep4j's Kaldi fbank and a toy encoder
 * exported by torch give the tokens torch computes from torchaudio's fbank of the same waveforms
 * (tools/fixtures/make_onnx_fixtures.py).
 */
class FbankEncoderTest {

    @Test
    void waveformsBecomeTheTokensTorchComputes(@TempDir Path dir) throws IOException {
        Map<String, TensorData> io = Safetensors.read(OnnxFixtures.copy(dir, "tiny_fbank_encoder_io.safetensors")).tensors();
        float[][] waves = io.get("waves").floats2d();
        INDArray wantFbank = Nd4j.create(io.get("fbank").floats(), io.get("fbank").shape(), 'c');
        INDArray wantTokens = Nd4j.create(io.get("tokens").floats(), io.get("tokens").shape(), 'c');
        try (FbankEncoder enc = FbankEncoder.open(OnnxFixtures.copy(dir, "tiny_fbank_encoder.onnx"), OrtModel.Options.defaults(), 96)) {
            INDArray fbank = enc.fbank(waves);
            assertThat(fbank.shape()).containsExactly(2, 1, 96, 128);
            assertThat(fbank.sub(wantFbank).amaxNumber().doubleValue()).as("fbank vs torchaudio").isLessThan(1e-4);
            INDArray tokens = enc.tokens(waves);
            System.out.printf("fbank encoder vs torch: fbank %.2e, tokens %.2e (max abs)%n", fbank.sub(wantFbank).amaxNumber()
                    .doubleValue(), tokens.sub(wantTokens).amaxNumber().doubleValue());
            assertThat(tokens.shape()).containsExactly(2, 1 + 8 * 96 / 16, 16);
            assertThat(tokens.sub(wantTokens).amaxNumber().doubleValue()).as("tokens vs torch").isLessThan(1e-4);
            assertThat(enc.embedding(waves).sub(wantTokens.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.all())).amaxNumber()
                    .doubleValue()).isLessThan(1e-4);
        }
    }

    @Test
    void aModelOffTheContractIsRefusedWithItsPorts(@TempDir Path dir) throws IOException {
        Path onnx = OnnxFixtures.copy(dir, "tiny_fbank_encoder.onnx");
        assertThatThrownBy(() -> FbankEncoder.open(onnx, OrtModel.Options.defaults(), 100)).hasMessageContaining("96")
                .hasMessageContaining("fbank");
        Path tagger = OnnxFixtures.copy(dir, "tiny_tagger.onnx");
        assertThatThrownBy(() -> FbankEncoder.open(tagger, OrtModel.Options.defaults(), 96)).hasMessageContaining("one output");
    }
}

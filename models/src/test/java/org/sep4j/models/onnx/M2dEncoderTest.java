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
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.tensor.TensorData;
import org.sep4j.models.sed.SedConfig;

/**
 * The M2D adapter contract end to end: 16 kHz waveforms through sep4j's M2D log-mel (vs torchaudio's)
 * and a toy backbone exported by torch with the layers/logits outputs of tools/export/export_m2d.py
 * (tools/fixtures/make_backbone_fixtures.py).
 */
class M2dEncoderTest {

    /** The 2nd-place system's M2D front end (the tiny preset's defaults are exactly it). */
    private static final SedConfig M2D_16K = SedConfig.defaults();

    @Test
    void waveformsBecomeTheLayersAndLogitsTorchComputes(@TempDir Path dir) throws IOException {
        Map<String, TensorData> io = Safetensors.read(OnnxFixtures.copy(dir, "tiny_m2d_io.safetensors")).tensors();
        float[][] waves = io.get("waves").floats2d();
        INDArray wantLayers = OnnxFixtures.array(io.get("layers"));
        INDArray wantLogits = OnnxFixtures.array(io.get("logits"));
        try (M2dEncoder enc = M2dEncoder.open(OnnxFixtures.copy(dir, "tiny_m2d.onnx"), OrtModel.Options.defaults(), M2D_16K)) {
            INDArray lms = enc.logmel(waves); // 51 frames of 0.5 s, cut to the export's fixed 48
            assertThat(lms.shape()).containsExactly(2, 1, 80, 48);
            double dMel = OnnxFixtures.maxAbs(lms, OnnxFixtures.array(io.get("logmel")));
            M2dEncoder.Output out = enc.encode(waves);
            double dLayers = OnnxFixtures.maxAbs(out.layers(), wantLayers);
            double dLogits = OnnxFixtures.maxAbs(out.logits(), wantLogits);
            System.out.printf("M2D adapter vs torch: log-mel %.2e, layers %.2e, logits %.2e (max abs)%n", dMel, dLayers, dLogits);
            assertThat(dMel).as("log-mel vs torchaudio").isLessThan(1e-3);
            assertThat(out.layers().shape()).containsExactly(2, 3, 15, 16);
            assertThat(dLayers).isLessThan(1e-3);
            assertThat(dLogits).isLessThan(1e-3);
            float[][] p = enc.clipProbabilities(waves);
            assertThat(p[1][7]).isCloseTo((float) (1 / (1 + Math.exp(-wantLogits.getDouble(1, 7)))), org.assertj.core.data.Offset
                    .offset(1e-4f));
        }
    }

    @Test
    void frameFeaturesStackTheFrequencyTokensOfEachTimeStep() {
        // one layer, F' = 2 frequency rows × T' = 3 time steps, D = 2; token (f, t) holds [10f + t, -(10f + t)]
        INDArray layers = Nd4j.zeros(1, 1, 6, 2);
        for (int f = 0; f < 2; f++) {
            for (int t = 0; t < 3; t++) {
                layers.putScalar(new long[] {0, 0, f * 3 + t, 0}, 10 * f + t);
                layers.putScalar(new long[] {0, 0, f * 3 + t, 1}, -(10 * f + t));
            }
        }
        INDArray x = M2dEncoder.frameFeatures(layers, 0, 2);
        assertThat(x.shape()).containsExactly(1, 3, 4);
        assertThat(x.get(NDArrayIndex.point(0), NDArrayIndex.point(2), NDArrayIndex.all()).toFloatVector())
                .containsExactly(2, -2, 12, -12);
    }

    @Test
    void aModelOffTheContractIsRefusedWithItsPorts(@TempDir Path dir) throws IOException {
        Path tagger = OnnxFixtures.copy(dir, "tiny_tagger.onnx"); // [B, 1, 16, 20] in, strong + clip out
        SedConfig sixteenMels = new SedConfig(16000, 400, 400, 160, 16, 50, 8000, "slaney", -7.1, 4.2, 16, 64, 2, 4, 4, 1e-6, "attention",
                100, 0, null, "m2d");
        assertThatThrownBy(() -> M2dEncoder.open(tagger, OrtModel.Options.defaults(), M2D_16K)).hasMessageContaining("80");
        assertThatThrownBy(() -> M2dEncoder.open(tagger, OrtModel.Options.defaults(), sixteenMels))
                .hasMessageContaining("'layers'").hasMessageContaining("strong");
    }
}

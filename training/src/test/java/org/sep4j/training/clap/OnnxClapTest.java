package org.sep4j.training.clap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.tensor.TensorData;

/**
 * BiSep's L_CNT through an exported CLAP: loss and gradient with respect to 16 kHz estimates against
 * torch's autograd through torchaudio's resampling, the fit, a toy audio tower and the L2 norm
 * (tools/fixtures/make_backbone_fixtures.py), for estimates that are repeat-padded and cut.
 */
public class OnnxClapTest {

    static final String[] FILES = {"clap_audio.onnx", "clap_text.onnx", "clap_audio_vjp.onnx", "clap.json", "vocab.json", "merges.txt",
        "clap_io.safetensors"};

    /** The toy exported CLAP in a folder of its own. */
    public static Path folder(Path dir) throws IOException {
        Path clap = dir.resolve("exported-clap");
        Files.createDirectories(clap);
        for (String f : FILES) {
            try (InputStream in = OnnxClapTest.class.getResourceAsStream("/fixtures/onnx/clap/" + f)) {
                Files.copy(in, clap.resolve(f));
            }
        }
        return clap;
    }

    @Test
    void contrastiveLossAndGradientMatchTorch(@TempDir Path dir) throws IOException {
        Path clap = folder(dir);
        Map<String, TensorData> io = Safetensors.read(clap.resolve("clap_io.safetensors")).tensors();
        try (OnnxClap c = OnnxClap.open(clap, 16000, "bisep.clap")) {
            assertThat(c.textTokens()).isEqualTo(40);
            assertThat(c.textDim()).isEqualTo(8);
            assertThat(c.embeddingDim()).isEqualTo(6);
            for (String name : new String[] {"repeat", "cut"}) {
                OnnxClap.Contrast got = c.contrastive(io.get(name + "_estimates").floats2d(), io.get("phrase_embedding").floats2d());
                float[][] want = io.get(name + "_gradient").floats2d();
                double diff = 0;
                double scale = 0;
                for (int i = 0; i < want.length; i++) {
                    for (int j = 0; j < want[i].length; j++) {
                        diff = Math.max(diff, Math.abs(got.gradient()[i][j] - want[i][j]));
                        scale = Math.max(scale, Math.abs(want[i][j]));
                    }
                }
                double loss = io.get(name + "_loss").floats()[0];
                System.out.printf("L_CNT through ONNX (%s): loss %.6f vs torch %.6f, gradient max diff %.2e (max |grad| %.2e)%n", name,
                        got.loss(), loss, diff, scale);
                assertThat(got.loss()).isCloseTo(loss, org.assertj.core.data.Offset.offset(1e-5));
                assertThat(scale).isGreaterThan(1e-6);
                assertThat(diff).as(name).isLessThan(1e-3 * scale);
            }
        }
    }

    @Test
    void aModelThatBreaksTheContractIsNamedWithItsKey(@TempDir Path dir) throws IOException {
        Path clap = folder(dir);
        Files.copy(OnnxClapTest.class.getResourceAsStream("/fixtures/onnx/clap/clap_audio.onnx"), clap.resolve("clap_text.onnx"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> OnnxClap.open(clap, 16000, "bisep.clap")).hasMessageStartingWith("bisep.clap: ")
                .hasMessageContaining("clap_text.onnx: no input 'input_ids'");
    }
}

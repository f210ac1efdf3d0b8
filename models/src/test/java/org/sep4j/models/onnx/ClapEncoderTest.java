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
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.tensor.TensorData;

/**
 * The CLAP adapter contract: toy audio and text encoders exported by torch, a toy RoBERTa-style
 * vocabulary, and the ids OpenAI's GPT-2 BPE procedure gives for two prompts
 * (tools/fixtures/make_backbone_fixtures.py).
 */
class ClapEncoderTest {

    private static Path folder(Path dir) throws IOException {
        for (String f : new String[] {"clap_audio.onnx", "clap_text.onnx", "vocab.json", "merges.txt", "clap_io.safetensors",
                "clap_audio_vjp.onnx", "clap.json"}) {
            OnnxFixtures.copy(dir, "clap/" + f);
        }
        return dir.resolve("clap");
    }

    private static INDArray unit(INDArray e) {
        return e.divColumnVector(e.norm2(1).reshape(e.size(0), 1));
    }

    @Test
    void textAndAudioEmbeddingsMatchTorch(@TempDir Path dir) throws IOException {
        Path clap = folder(dir);
        Map<String, TensorData> io = Safetensors.read(clap.resolve("clap_io.safetensors")).tensors();
        try (ClapEncoder enc = ClapEncoder.open(clap, OrtModel.Options.defaults())) {
            assertThat(enc.samples()).isEqualTo(4800);
            float[][] ids = io.get("input_ids").floats2d();
            String[] prompts = {"a dog barking", "Dog barks! siren, siren and a long tail of words"};
            for (int b = 0; b < 2; b++) {
                ByteLevelBpe.Encoding e = enc.tokenizer().encode(prompts[b], 40);
                for (int i = 0; i < 40; i++) {
                    assertThat(e.ids()[i]).as("prompt %d id %d", b, i).isEqualTo((long) ids[b][i]);
                    assertThat(e.mask()[i]).isEqualTo((long) io.get("attention_mask").floats2d()[b][i]);
                }
            }
            double dText = OnnxFixtures.maxAbs(enc.text(prompts), unit(OnnxFixtures.array(io.get("text_embedding"))));
            // the second clip is shorter than the model's 4800 samples: repeat-padded as torch's input was
            float[][] clips = {io.get("full").floats(), io.get("short").floats()};
            INDArray audio = enc.audio(clips);
            double dAudio = OnnxFixtures.maxAbs(audio, unit(OnnxFixtures.array(io.get("audio_embedding"))));
            System.out.printf("CLAP adapter vs torch: text %.2e, audio %.2e (max abs, unit-norm embeddings)%n", dText, dAudio);
            assertThat(dText).isLessThan(1e-5);
            assertThat(dAudio).isLessThan(1e-5);
            assertThat(audio.norm2(1).toDoubleVector()).containsExactly(new double[] {1, 1}, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void tokenStatesAndTheAudioTowersGradientMatchTorch(@TempDir Path dir) throws IOException {
        Path clap = folder(dir);
        Map<String, TensorData> io = Safetensors.read(clap.resolve("clap_io.safetensors")).tensors();
        try (ClapEncoder enc = ClapEncoder.open(clap, OrtModel.Options.defaults())) {
            ClapEncoder.TextStates t = enc.textStates("Dog barks! siren, siren and a long tail of words");
            INDArray hidden = OnnxFixtures.array(io.get("text_hidden"));
            double dHidden = OnnxFixtures.maxAbs(t.hidden(), hidden.slice(1));
            assertThat(t.keep()).containsExactly(io.get("attention_mask").floats2d()[1]);
            assertThat(enc.trainsThroughAudio()).isTrue();
            assertThat(enc.logitScale()).isEqualTo(10.0);
            ClapEncoder.Pullback p = enc.audioPullback(io.get("full").floats(), io.get("cotangent").floats());
            float[] ref = io.get("tower_gradient").floats();
            double dGrad = 0;
            double scale = 0;
            for (int i = 0; i < ref.length; i++) {
                dGrad = Math.max(dGrad, Math.abs(p.gradient()[i] - ref[i]));
                scale = Math.max(scale, Math.abs(ref[i]));
            }
            double dEmb = OnnxFixtures.maxAbs(org.nd4j.linalg.factory.Nd4j.create(p.embedding()),
                    OnnxFixtures.array(io.get("audio_embedding")).getRow(0));
            System.out.printf("CLAP vs torch: token states %.2e, audio gradient %.2e (max |grad| %.2e), embedding %.2e%n", dHidden,
                    dGrad, scale, dEmb);
            assertThat(dHidden).isLessThan(1e-5);
            assertThat(scale).isGreaterThan(1e-4);
            assertThat(dGrad).isLessThan(1e-4 * scale);
            assertThat(dEmb).isLessThan(1e-5);
        }
    }

    @Test
    void fitAdjointIsTheTransposeOfFit(@TempDir Path dir) throws IOException {
        // <fit(x), y> = <x, fitᵀ(y)> for a clip that is repeat-padded and one that is cut
        try (ClapEncoder enc = ClapEncoder.open(folder(dir), OrtModel.Options.defaults())) {
            for (int length : new int[] {1500, 4800, 7001}) {
                org.sep4j.core.testing.Adjoints.assertTranspose(length, enc.samples(), enc::fit, y -> enc.fitAdjoint(y, length), 3, 1e-6,
                        "fit of " + length + " samples");
            }
        }
    }

    @Test
    void longClipsAreCutToTheirCentre(@TempDir Path dir) throws IOException {
        try (ClapEncoder enc = ClapEncoder.open(folder(dir), OrtModel.Options.defaults())) {
            float[] ramp = new float[6000];
            for (int i = 0; i < ramp.length; i++) {
                ramp[i] = i;
            }
            float[] fit = enc.fit(ramp);
            assertThat(fit).hasSize(4800);
            assertThat(fit[0]).isEqualTo(600f);
            assertThat(fit[4799]).isEqualTo(5399f);
        }
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) throws IOException {
        Path clap = folder(dir);
        Files.delete(clap.resolve("merges.txt"));
        assertThatThrownBy(() -> ClapEncoder.open(clap, OrtModel.Options.defaults())).hasMessageContaining("no merges.txt")
                .hasMessageContaining("export_clap.py");
    }
}

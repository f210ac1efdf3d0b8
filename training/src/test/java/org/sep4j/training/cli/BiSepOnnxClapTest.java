package org.sep4j.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.tensor.TensorData;
import org.sep4j.training.clap.OnnxClapTest;

/**
 * BiSep weak training with an exported CLAP (the toy one of the fixtures in LAION-CLAP's contract):
 * with the other terms off, the separator's weights move only if L_CNT's gradient comes back
 * through the ONNX audio tower; a folder without the gradient graph is refused before a run starts.
 */
class BiSepOnnxClapTest {

    private static List<String> args(Path clap, Path root, String name, double cnt) {
        return List.of("train", "experiment=bisep/weak", "bisep.clap=" + clap, "model.bisep.text_dim=8", "model.bisep.text_tokens=40",
                "model.bisep.embedding_dim=6", "bisep.crl_weight=0", "bisep.unsup_weight=0", "bisep.cnt_weight=" + cnt,
                "bisep.test_items=0", "trainer.steps=2", "trainer.validation_items=2", "trainer.warmup=0", "run.root=" + root,
                "run.name=" + name);
    }

    @Test
    void theContrastiveTermTrainsThroughTheOnnxAudioTower(@TempDir Path dir) throws Exception {
        Path clap = OnnxClapTest.folder(dir);
        for (String[] run : new String[][] {{"cnt", "0.5"}, {"none", "0"}}) {
            Cli.Run r = Cli.run(args(clap, dir, run[0], Double.parseDouble(run[1])).toArray(String[]::new));
            assertThat(r.code()).as(r.err()).isZero();
        }
        Map<String, TensorData> cnt = weights(dir, "cnt");
        Map<String, TensorData> none = weights(dir, "none");
        double moved = 0;
        for (String k : cnt.keySet()) {
            if (k.endsWith("running_mean") || k.endsWith("running_var") || k.endsWith("num_batches_tracked")) {
                continue; // buffers follow the batches in both runs
            }
            float[] a = cnt.get(k).floats();
            float[] b = none.get(k).floats();
            for (int i = 0; i < a.length; i++) {
                moved = Math.max(moved, Math.abs(a[i] - b[i]));
            }
        }
        String metrics = Files.readString(dir.resolve("bisep/weak/cnt/metrics.csv"));
        System.out.printf("L_CNT alone through the exported CLAP: weights moved up to %.2e against the zero-weight run%n%s", moved,
                metrics.lines().limit(3).reduce("", (x, y) -> x + y + "\n"));
        // two Adam steps of lr ~5e-4 move a weight by up to ~1e-3; without the gradient only weight decay acts, alike in both
        assertThat(moved).isGreaterThan(1e-4);
        // the surrogate reports L_CNT's value: 0.5·CE over 8 phrases, near 0.5·ln 8 at random init; the other run's is 0
        assertThat(firstLoss(dir, "cnt")).isBetween(0.2, 5.0);
        assertThat(firstLoss(dir, "none")).isZero();
    }

    private static double firstLoss(Path dir, String name) throws Exception {
        List<String> rows = Files.readAllLines(dir.resolve("bisep/weak/" + name + "/metrics.csv"));
        int col = List.of(rows.get(0).split(",")).indexOf("train/loss");
        return Double.parseDouble(rows.get(1).split(",")[col]);
    }

    @Test
    void withoutTheGradientGraphWeakTrainingIsRefused(@TempDir Path dir) throws Exception {
        Path clap = OnnxClapTest.folder(dir);
        Files.delete(clap.resolve("clap_audio_vjp.onnx"));
        Cli.Run r = Cli.run(args(clap, dir, "x", 0.5).toArray(String[]::new));
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("bisep.clap").contains("clap_audio_vjp.onnx").contains("bisep.cnt_weight=0");
        assertThat(dir.resolve("bisep/weak/x")).doesNotExist();
    }

    private static Map<String, TensorData> weights(Path dir, String name) throws Exception {
        return Safetensors.read(dir.resolve("bisep/weak/" + name + "/checkpoints/last/weights.safetensors")).tensors();
    }
}

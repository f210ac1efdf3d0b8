package org.sep4j.training.clap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sep4j.models.clap.ClapConfig;
import org.sep4j.models.onnx.ClapEncoder;

/**
 * The frozen CLAP towers a text-queried separator is conditioned and trained with: a CLAP that
 * {@code experiment=clap/tiny} trained here ({@link TrainedClap}, its audio tower built into the
 * training graph) or an exported LAION-CLAP ({@link OnnxClap}, run in ONNX Runtime, gradients
 * through its audio tower by its exported backward).
 */
public sealed interface ClapTowers extends AutoCloseable permits TrainedClap, OnnxClap {

    /**
     * Opens the CLAP at {@code at}: a folder with {@value ClapEncoder#TEXT_FILE} is an exported
     * CLAP, anything else a sep4j CLAP run.
     *
     * @param sampleRate the separator's rate (an exported CLAP hears its estimates resampled to 48 kHz)
     * @param key        the config key that named it (for errors)
     */
    static ClapTowers open(Path at, ClapConfig nativeConfig, int sampleRate, String key) throws IOException {
        if (at != null && Files.isRegularFile(at.resolve(ClapEncoder.TEXT_FILE))) {
            return OnnxClap.open(at, sampleRate, key);
        }
        return TrainedClap.open(at, nativeConfig, key);
    }

    /** Where the towers come from, for the log. */
    String source();

    int textTokens();

    /** Width of the token states the separator attends to. */
    int textDim();

    int embeddingDim();

    /** Token states {@code [L, D]} and unit embedding {@code [E]} of a text. */
    INDArray[] text(String query);

    /** The text's attention mask {@code [L]} (1 for tokens). */
    float[] keep(String query);

    @Override
    default void close() {
    }
}

package org.sep4j.training.eval;

import java.util.Locale;
import org.sep4j.core.audio.Chunking;
import org.sep4j.core.config.Doc;

/**
 * The {@code inference} block: how trained models run on recordings of any length. Inputs are
 * resampled to the model's rate, cut into chunks of the model's length that overlap and are
 * cross-faded back together; the tagger pools its clip probabilities over chunks.
 */
public record InferenceSettings(
        @Doc("seconds shared by neighbouring chunks (cut to under the chunk length)") double overlapSeconds,
        @Doc("cross-fade between chunks: hann (raised cosine) or linear") String fade,
        @Doc("how the tagger pools clip probabilities over chunks: max or mean") String pool,
        @Doc("chunks per forward pass (a full-size separator needs ~5 GB per 10-s chunk in ONNX Runtime)") int batchSize,
        @Doc("what runs a trained sep4j model: onnx (exported in memory, run in ONNX Runtime: the same outputs to 1e-4, "
                + "2-6x faster on CPU, CUDA when usable) or samediff (the graph itself)") String engine) {

    public static final InferenceSettings DEFAULT = new InferenceSettings(1.0, "hann", "max", 1, "onnx");

    public InferenceSettings {
        if (!(overlapSeconds >= 0)) {
            throw new IllegalArgumentException("inference.overlap_seconds must be 0 or more, got " + overlapSeconds);
        }
        Chunking.Fade.parse(fade);
        if (batchSize < 1) {
            throw new IllegalArgumentException("inference.batch_size must be at least 1, got " + batchSize);
        }
        if (!pool.equalsIgnoreCase("max") && !pool.equalsIgnoreCase("mean")) {
            throw new IllegalArgumentException("inference.pool: expected max or mean, got '" + pool + "'");
        }
        if (!engine.equals("onnx") && !engine.equals("samediff")) {
            throw new IllegalArgumentException("inference.engine: expected onnx or samediff, got '" + engine + "'");
        }
    }

    /** Whether trained graphs run exported in ONNX Runtime. */
    public boolean onnx() {
        return engine.equals("onnx");
    }

    /** Chunks of {@code length} samples at {@code rate}; the overlap is at most half a chunk. */
    public Chunking chunking(int length, int rate) {
        int overlap = (int) Math.min(Math.round(overlapSeconds * rate), length / 2);
        return new Chunking(length, overlap, Chunking.Fade.parse(fade));
    }

    boolean meanPool() {
        return pool.toLowerCase(Locale.ROOT).equals("mean");
    }
}

package org.sep4j.training.eval;

import java.util.List;
import java.util.function.Function;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.Chunking;
import org.sep4j.core.audio.Resampler;

/**
 * A trained tagger's clip probabilities for a recording of any length and rate: channel 0 at the
 * tagger's rate, in tagger-length chunks, probabilities pooled over chunks (max: a class heard in
 * any chunk counts; mean: on average).
 */
public final class ChunkedTagger {

    private final Function<float[][], List<float[]>> probabilities;
    private final int rate;
    private final Chunking chunking;
    private final boolean mean;
    private final int batch;

    /**
     * @param probabilities clip probabilities of a batch of {@code samples}-long signals at {@code rate}
     */
    public ChunkedTagger(Function<float[][], List<float[]>> probabilities, int samples, int rate, InferenceSettings settings) {
        this.probabilities = probabilities;
        this.rate = rate;
        this.chunking = settings.chunking(samples, rate);
        this.mean = settings.meanPool();
        this.batch = settings.batchSize();
    }

    public float[] probabilities(Audio mixture) {
        float[] x = mixture.channel(0);
        if (mixture.sampleRate() != rate) {
            x = new Resampler(mixture.sampleRate(), rate).resample(x);
        }
        int count = chunking.count(x.length);
        float[][] chunks = new float[count][];
        for (int k = 0; k < count; k++) {
            chunks[k] = chunking.chunk(x, k);
        }
        List<float[]> p = new java.util.ArrayList<>(count);
        for (int k = 0; k < count; k += batch) {
            p.addAll(probabilities.apply(java.util.Arrays.copyOfRange(chunks, k, Math.min(count, k + batch))));
        }
        float[] pooled = new float[p.get(0).length];
        for (float[] q : p) {
            for (int c = 0; c < pooled.length; c++) {
                pooled[c] = mean ? pooled[c] + q[c] / count : Math.max(pooled[c], q[c]);
            }
        }
        return pooled;
    }
}

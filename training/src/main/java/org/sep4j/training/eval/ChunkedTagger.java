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
    private final Function<float[][], List<float[][]>> frames;
    private final int rate;
    private final Chunking chunking;
    private final boolean mean;
    private final int batch;

    /**
     * @param probabilities clip probabilities of a batch of {@code samples}-long signals at {@code rate}
     */
    public ChunkedTagger(Function<float[][], List<float[]>> probabilities, int samples, int rate, InferenceSettings settings) {
        this(probabilities, null, samples, rate, settings);
    }

    /**
     * @param frames frame probabilities {@code [frames][classes]} of a batch of chunks (a strong
     *               head), or null when the tagger has none
     */
    public ChunkedTagger(Function<float[][], List<float[]>> probabilities, Function<float[][], List<float[][]>> frames,
            int samples, int rate, InferenceSettings settings) {
        this.probabilities = probabilities;
        this.frames = frames;
        this.rate = rate;
        this.chunking = settings.chunking(samples, rate);
        this.mean = settings.meanPool();
        this.batch = settings.batchSize();
    }

    /** Whether {@link #tag} gives frame probabilities. */
    public boolean hasFrames() {
        return frames != null;
    }

    /**
     * Clip probabilities pooled over chunks and, where the tagger has a strong head, frame
     * probabilities {@code [frames][classes]} over the whole recording at {@code frameRate} per
     * second: each output frame is the cross-fade-weighted mean of the chunk frames at its time.
     */
    public record Tags(float[] clip, float[][] frames, double frameRate) {
    }

    public Tags tag(Audio mixture) {
        float[][] chunks = chunks(mixture);
        float[] clip = pool(chunks);
        if (frames == null) {
            return new Tags(clip, null, Double.NaN);
        }
        List<float[][]> perChunk = new java.util.ArrayList<>(chunks.length);
        for (int k = 0; k < chunks.length; k += batch) {
            perChunk.addAll(frames.apply(java.util.Arrays.copyOfRange(chunks, k, Math.min(chunks.length, k + batch))));
        }
        int n = resampledLength(mixture);
        int per = perChunk.get(0).length;
        double frameSamples = (double) chunking.length() / per;
        int total = Math.max(1, (int) Math.ceil(n / frameSamples));
        int classes = perChunk.get(0)[0].length;
        float[][] out = new float[total][classes];
        for (int t = 0; t < total; t++) {
            double centre = (t + 0.5) * frameSamples;
            double weight = 0;
            double[] sum = new double[classes];
            for (int k = 0; k < chunks.length; k++) {
                double pos = centre - (double) k * chunking.hop();
                if (pos < 0 || pos >= chunking.length()) {
                    continue;
                }
                double w = chunking.weight(k, chunks.length, (int) pos);
                float[] f = perChunk.get(k)[Math.min(per - 1, (int) (pos / frameSamples))];
                for (int c = 0; c < classes; c++) {
                    sum[c] += w * f[c];
                }
                weight += w;
            }
            for (int c = 0; c < classes; c++) {
                out[t][c] = (float) (sum[c] / weight);
            }
        }
        return new Tags(clip, out, rate / frameSamples);
    }

    public float[] probabilities(Audio mixture) {
        return pool(chunks(mixture));
    }

    private int resampledLength(Audio mixture) {
        return mixture.sampleRate() == rate ? mixture.length()
                : new Resampler(mixture.sampleRate(), rate).outputLength(mixture.length());
    }

    private float[][] chunks(Audio mixture) {
        float[] x = mixture.channel(0);
        if (mixture.sampleRate() != rate) {
            x = new Resampler(mixture.sampleRate(), rate).resample(x);
        }
        int count = chunking.count(x.length);
        float[][] chunks = new float[count][];
        for (int k = 0; k < count; k++) {
            chunks[k] = chunking.chunk(x, k);
        }
        return chunks;
    }

    private float[] pool(float[][] chunks) {
        int count = chunks.length;
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

package org.sep4j.training.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.Chunking;
import org.sep4j.core.audio.Resampler;
import org.sep4j.core.progress.ProgressBar;
import org.sep4j.training.dcase.SeparatorTask;

/**
 * A trained separator on a recording of any length and rate: the mixture is resampled to the
 * model's rate, cut into model-length chunks ({@link Chunking}), separated chunk by chunk (in the
 * task's batches, every label at once) and cross-faded back, then resampled to the recording's
 * rate and cut to its length.
 */
public final class ChunkedSeparator {

    private final SeparatorTask task;
    private final SeparatorTask.Engine engine;
    private final Chunking chunking;
    private final int batch;

    public ChunkedSeparator(SeparatorTask task, SeparatorTask.Engine engine, InferenceSettings settings) {
        this.task = task;
        this.engine = engine;
        this.chunking = settings.chunking(task.samples(), task.sampleRate());
        this.batch = settings.batchSize();
    }

    /** The channels the model takes. */
    public int channels() {
        return task.config().inputChannels();
    }

    /**
     * Estimates by label at the mixture's rate and length; {@code bar} (may be null) counts chunk
     * queries. A channel count the model cannot take is an {@link IllegalArgumentException}.
     */
    public Map<String, float[]> separate(Audio mixture, List<String> labels, ProgressBar bar) {
        if (mixture.channels() != channels()) {
            throw new IllegalArgumentException("the separator takes " + channels() + "-channel mixtures, found "
                    + mixture.channels() + " channel" + (mixture.channels() == 1 ? "" : "s"));
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        if (labels.isEmpty()) {
            return out;
        }
        int rate = task.sampleRate();
        Resampler in = mixture.sampleRate() == rate ? null : new Resampler(mixture.sampleRate(), rate);
        float[][] x = mixture.samples();
        if (in != null) {
            float[][] r = new float[x.length][];
            for (int c = 0; c < x.length; c++) {
                r[c] = in.resample(x[c]);
            }
            x = r;
        }
        int n = x[0].length;
        int count = chunking.count(n);
        List<float[][]> chunks = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            chunks.add(chunking.chunk(x, k));
        }
        List<Map<String, float[]>> est = new ArrayList<>(count);
        for (int k = 0; k < count; k += batch) { // inference.batch_size chunks at a time bounds the memory
            List<float[][]> part = chunks.subList(k, Math.min(count, k + batch));
            est.addAll(task.separate(engine, part, Collections.nCopies(part.size(), labels),
                    task.config().iterations().max(), bar));
        }
        Resampler back = in == null ? null : new Resampler(rate, mixture.sampleRate());
        for (String label : labels) {
            float[][] perChunk = new float[count][];
            for (int k = 0; k < count; k++) {
                perChunk[k] = est.get(k).get(label);
            }
            float[] y = chunking.stitch(perChunk, n);
            if (back != null) {
                y = java.util.Arrays.copyOf(back.resample(y), mixture.length());
            }
            out.put(label, y);
        }
        return out;
    }
}

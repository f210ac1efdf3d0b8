package org.sep4j.training.dcase;

import java.util.List;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.audio.Resampler;
import org.sep4j.data.scene.Scene;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.models.sed.LogMel;
import org.sep4j.models.sed.SedConfig;

/**
 * Scenes for training and validation, and the tagger's input made from them. Training item j of
 * step s is scene s·B + j, or with a fixed training set of N scenes ({@code trainer.train_items}),
 * item s·B + j of a run through them that takes every scene once per epoch: in index order in the
 * first epoch, in a fresh seeded order in each later one. Validation scenes are the generator's (a
 * disjoint index range, or a fixed set such as the official validation list), so the two never
 * share a mixture.
 */
final class SceneBatches {

    private final SceneGenerator gen;
    private final SedConfig sed;
    private final LogMel logMel;
    private final Resampler toSed;
    private final long items;
    private long epoch = -1;
    private int[] order;

    /** @param items distinct training scenes (0: a new scene for every item), as {@link TrainSettings#trainItems} checks */
    SceneBatches(SceneGenerator gen, SedConfig sed, long items) {
        this.items = items;
        this.gen = gen;
        this.sed = sed;
        this.logMel = sed == null ? null : new LogMel(sed);
        int rate = gen.spec().sampleRate();
        this.toSed = sed == null || sed.sampleRate() == rate ? null : new Resampler(rate, sed.sampleRate());
    }

    SceneGenerator generator() {
        return gen;
    }

    List<String> classes() {
        return gen.targetClasses();
    }

    int samples() {
        return (int) Math.round(gen.spec().duration() * gen.spec().sampleRate());
    }

    /** Samples of a scene at the tagger's rate. */
    int sedSamples() {
        return sedSamples(samples());
    }

    /** Samples at the tagger's rate of a clip of {@code samples} at the scene rate. */
    int sedSamples(int samples) {
        return toSed == null ? samples : toSed.outputLength(samples);
    }

    /** The scenes of a training step, generated in parallel. */
    Scene[] training(long step, int batch) {
        long[] at = indices(step, batch);
        return IntStream.range(0, batch).parallel().mapToObj(j -> gen.generate(at[j])).toArray(Scene[]::new);
    }

    /** The scene indices of a training step. */
    long[] indices(long step, int batch) {
        long[] at = new long[batch];
        for (int j = 0; j < batch; j++) {
            long i = step * batch + j;
            at[j] = items == 0 || i < items ? i : order(i / items)[(int) (i % items)];
        }
        return at;
    }

    /** Epoch e's order of the training set (a Fisher–Yates shuffle seeded by e); the last one is kept. */
    private synchronized int[] order(long e) {
        if (e != epoch) {
            order = org.sep4j.data.loader.DataLoader.permutation((int) items,
                    new java.util.SplittableRandom(0x5EEDL * (e + 1) ^ gen.spec().seed()));
            epoch = e;
        }
        return order;
    }

    /** The training scene at an index (see {@link #indices}). */
    Scene scene(long index) {
        return gen.generate(index);
    }

    /** See {@link SceneGenerator#validation(int)}: the official list replayed when the data has one. */
    Scene[] validation(int items) {
        return gen.validation(items);
    }

    /** Normalised log-mel of channel 0 at the tagger's rate: {@code [B, 1, mels, frames]}. */
    INDArray logMel(Scene[] scenes) {
        return logMel(channel0(scenes));
    }

    /** Channel 0 of each scene's mixture (the tagger's input, the improvement reference). */
    static float[][] channel0(Scene[] scenes) {
        float[][] ch0 = new float[scenes.length][];
        for (int b = 0; b < scenes.length; b++) {
            ch0[b] = scenes[b].mixture()[0];
        }
        return ch0;
    }

    /** The same for channel-0 signals at the scene rate. */
    INDArray logMel(float[][] ch0) {
        return logMel.batch(toSed == null ? ch0 : java.util.Arrays.stream(ch0).parallel().map(toSed::resample)
                .toArray(float[][]::new));
    }

    static INDArray stack(float[][] rows) {
        int n = rows[0].length;
        float[] flat = new float[rows.length * n];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * n, n);
        }
        return Nd4j.create(flat, new long[] {rows.length, n}, 'c');
    }
}

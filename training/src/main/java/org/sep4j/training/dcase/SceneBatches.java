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
 * step s is scene s·B + j; validation scenes are the generator's (a disjoint index range, or a fixed
 * set such as the official validation list), so the two never share a mixture.
 */
final class SceneBatches {

    private final SceneGenerator gen;
    private final SedConfig sed;
    private final LogMel logMel;
    private final Resampler toSed;

    SceneBatches(SceneGenerator gen, SedConfig sed) {
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

    /** Samples of a clip at the tagger's rate. */
    int sedSamples() {
        return toSed == null ? samples() : toSed.outputLength(samples());
    }

    /** The scenes of a training step, generated in parallel. */
    Scene[] training(long step, int batch) {
        return IntStream.range(0, batch).parallel().mapToObj(j -> gen.generate(step * batch + j)).toArray(Scene[]::new);
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

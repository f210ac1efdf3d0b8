package org.sep4j.training.sslam;

import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.dsp.KaldiFbank;
import org.sep4j.data.scene.Scene;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.models.sslam.EatConfig;
import org.sep4j.models.sslam.EatEncoder;

/** The clips SSLAM's tasks read: channel 0 of 16-kHz scenes, as the AudioSet-normalised fbank EAT takes. */
final class Clips {

    private Clips() {
    }

    /** Checks that the scenes are at 16 kHz and that {@code frames} fits the encoder ({@code framesKey} names its key, {@code task} who asks). */
    static void check(SceneGenerator data, EatConfig model, int frames, String framesKey, String task) {
        if (data.spec().sampleRate() != 16000) {
            throw new IllegalArgumentException(task + " reads 16 kHz audio; data.scene.sample_rate is " + data.spec().sampleRate());
        }
        checkFrames(model, frames, framesKey);
    }

    /** Checks that {@code frames} fits the encoder ({@code framesKey} names its key). */
    static void checkFrames(EatConfig model, int frames, String framesKey) {
        try {
            new EatEncoder(model, frames);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(framesKey + ": " + e.getMessage(), e);
        }
    }

    /** The scenes of a training step: step·B … step·B + B − 1, drawn in parallel. */
    static Scene[] ofStep(SceneGenerator data, long step, int batch) {
        return IntStream.range(0, batch).parallel().mapToObj(j -> data.generate(step * batch + j)).toArray(Scene[]::new);
    }

    /** Channel 0 of each scene as the normalised fbank, {@code [B, 1, frames, 128]}. */
    static INDArray fbanks(Scene[] scenes, int frames) {
        return fbanks(java.util.Arrays.stream(scenes).map(s -> s.mixture()[0]).toArray(float[][]::new), frames);
    }

    /** Each 16-kHz waveform as the normalised fbank, {@code [B, 1, frames, 128]}. */
    static INDArray fbanks(float[][] waves, int frames) {
        float[] v = new float[waves.length * frames * EatConfig.MEL_BINS];
        IntStream.range(0, waves.length).parallel().forEach(j -> {
            float[][] fb = KaldiFbank.audioSetInput(waves[j], frames);
            for (int t = 0; t < frames; t++) {
                System.arraycopy(fb[t], 0, v, (j * frames + t) * EatConfig.MEL_BINS, EatConfig.MEL_BINS);
            }
        });
        return Nd4j.create(v, new long[] {waves.length, 1, frames, EatConfig.MEL_BINS}, 'c');
    }
}

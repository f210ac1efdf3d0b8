package org.sep4j.models.sed;

import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.dsp.KaldiFbank;
import org.sep4j.core.dsp.MelScale;
import org.sep4j.core.dsp.MelSpectrogram;
import org.sep4j.core.dsp.MelSpectrogramConfig;
import org.sep4j.core.dsp.StftConfig;

/**
 * The tagger's front end, computed outside the graph (no gradient needs to reach the waveform):
 * power mel spectrogram (Slaney filterbank by default, as M2D's nnAudio front end), ln(x + ε), then
 * (x − mean)/std, as M2D prepares its input. For the sslam backbone, EAT's input instead: the
 * AudioSet-normalised 128-bin Kaldi fbank ({@link KaldiFbank#audioSetInput}), laid out bins × frames
 * as the log-mel is. Thread-safe.
 */
public final class LogMel {

    private static final float EPS = Math.ulp(1f);

    private final SedConfig cfg;
    private final MelSpectrogram mel;

    public LogMel(SedConfig cfg) {
        this.cfg = cfg;
        StftConfig stft = StftConfig.of(cfg.nFft(), cfg.hopLength()).withWinLength(cfg.winLength());
        boolean slaney = cfg.melScale().equals("slaney");
        this.mel = new MelSpectrogram(new MelSpectrogramConfig(cfg.sampleRate(), stft, cfg.nMels(), cfg.fMin(), cfg.fMax(),
                2.0, slaney ? MelScale.SLANEY : MelScale.HTK, slaney));
    }

    /** Normalised log-mel of a mono clip, flat {@code [nMels][frames]}. */
    public float[] apply(float[] clip) {
        if (cfg.sslam()) {
            int frames = cfg.frames(clip.length);
            float[][] fb = KaldiFbank.audioSetInput(clip, frames);                      // [frames][128]
            float[] m = new float[cfg.nMels() * frames];
            for (int t = 0; t < frames; t++) {
                for (int b = 0; b < cfg.nMels(); b++) {
                    m[b * frames + t] = fb[t][b];
                }
            }
            return m;
        }
        float[] m = MelSpectrogram.log(mel.forward(new float[][] {clip}), EPS);
        float mean = (float) cfg.normMean();
        float std = (float) cfg.normStd();
        for (int i = 0; i < m.length; i++) {
            m[i] = (m[i] - mean) / std;
        }
        return m;
    }

    /** The model input for clips of one length: {@code [B, 1, nMels, frames]}, clips in parallel. */
    public INDArray batch(float[][] clips) {
        int frames = frames(clips[0].length);
        for (int b = 1; b < clips.length; b++) {
            if (clips[b].length != clips[0].length) {
                throw new IllegalArgumentException("clips in one batch must have one length; clip " + b + " has "
                        + clips[b].length + " samples, clip 0 " + clips[0].length);
            }
        }
        float[][] rows = IntStream.range(0, clips.length).parallel().mapToObj(b -> apply(clips[b])).toArray(float[][]::new);
        int n = cfg.nMels() * frames;
        float[] flat = new float[clips.length * n];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], 0, flat, b * n, n);
        }
        return Nd4j.create(flat, new long[] {clips.length, 1, cfg.nMels(), frames}, 'c');
    }

    public int frames(int samples) {
        return cfg.sslam() ? cfg.frames(samples) : mel.frames(samples);
    }
}

package org.sep4j.models.sed;

import org.sep4j.core.config.Doc;

/**
 * The {@code model.sed} block: the M2D-style ViT tagger's front end, backbone and head. Defaults
 * are the {@code tiny} preset; {@code full} is M2D ViT-B (depth 12, dim 768, heads 12) with the
 * 2nd-place system's 16 kHz front end.
 */
public record SedConfig(
        @Doc("sample rate the tagger listens at (input is resampled to it)") int sampleRate,
        @Doc("mel STFT size") int nFft,
        @Doc("mel STFT window length") int winLength,
        @Doc("mel STFT hop") int hopLength,
        @Doc("mel bands (a multiple of the patch size)") int nMels,
        @Doc("lowest mel frequency, Hz") double fMin,
        @Doc("highest mel frequency, Hz") double fMax,
        @Doc("mel filterbank: slaney (Slaney scale, area-normalised: M2D's nnAudio/librosa front end) or htk (torchaudio's "
                + "default: HTK scale, peak 1)") String melScale,
        @Doc("log-mel normalisation: (x - norm_mean) / norm_std") double normMean,
        @Doc("log-mel normalisation: (x - norm_mean) / norm_std") double normStd,
        @Doc("square patch size, mel bins x frames") int patch,
        @Doc("token width") int dim,
        @Doc("transformer blocks") int depth,
        @Doc("attention heads") int heads,
        @Doc("MLP width / token width") double mlpRatio,
        @Doc("layer-norm epsilon") double lnEps,
        @Doc("attention (strong + weak logits) or baseline (mean, BN, linear)") String head,
        @Doc("strong-label frames per clip (250 = 40 ms for 10 s)") int strongFrames,
        @Doc("dropout in the head") double dropout,
        @Doc("pretrained tagger weights (safetensors, M2D names) to start from; null = random init") java.nio.file.Path weights) {

    public SedConfig {
        if (nMels % patch != 0) {
            throw new IllegalArgumentException("model.sed.n_mels (" + nMels + ") must be a multiple of model.sed.patch ("
                    + patch + ")");
        }
        if (dim % heads != 0) {
            throw new IllegalArgumentException("model.sed.dim (" + dim + ") must be divisible by model.sed.heads (" + heads + ")");
        }
        if (!melScale.equals("slaney") && !melScale.equals("htk")) {
            throw new IllegalArgumentException("model.sed.mel_scale: expected slaney or htk, found '" + melScale + "'");
        }
        if (!head.equals("attention") && !head.equals("baseline")) {
            throw new IllegalArgumentException("model.sed.head: expected attention or baseline, found '" + head + "'");
        }
    }

    public static SedConfig defaults() {
        return new SedConfig(16000, 400, 400, 160, 80, 50, 8000, "slaney", -7.1, 4.2, 16, 64, 2, 4, 4, 1e-6, "attention", 100, 0, null);
    }

    /** Frequency patches per time step. */
    public int freqPatches() {
        return nMels / patch;
    }

    /** Mel frames of a clip of {@code samples} at {@link #sampleRate} (centred STFT). */
    public int frames(int samples) {
        return samples / hopLength + 1;
    }

    /** Time patches of a clip of {@code samples}. */
    public int timePatches(int samples) {
        return frames(samples) / patch;
    }
}

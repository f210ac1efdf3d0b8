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
        @Doc("pretrained tagger weights (safetensors: M2D names, or fairseq's for backbone sslam) to start from; null = random "
                + "init") java.nio.file.Path weights,
        @Doc("m2d (the M2D-style pre-LN ViT on the log-mel) or sslam (the EAT/SSLAM post-LN ViT on the AudioSet-normalised Kaldi "
                + "fbank; needs sample_rate 16000, n_mels 128, patch 16)") String backbone) {

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
        if (!"m2d".equals(backbone) && !"sslam".equals(backbone)) {
            throw new IllegalArgumentException("model.sed.backbone: expected m2d or sslam, found '" + backbone + "'");
        }
        if (backbone.equals("sslam") && (sampleRate != 16000 || nMels != 128 || patch != 16)) {
            throw new IllegalArgumentException("model.sed.backbone=sslam takes EAT's input: sample_rate 16000, n_mels 128, patch 16 "
                    + "(found " + sampleRate + ", " + nMels + ", " + patch + ")");
        }
        if (!head.equals("attention") && !head.equals("baseline")) {
            throw new IllegalArgumentException("model.sed.head: expected attention or baseline, found '" + head + "'");
        }
    }

    public static SedConfig defaults() {
        return new SedConfig(16000, 400, 400, 160, 80, 50, 8000, "slaney", -7.1, 4.2, 16, 64, 2, 4, 4, 1e-6, "attention", 100, 0, null,
                "m2d");
    }

    public boolean sslam() {
        return backbone.equals("sslam");
    }

    /** The same model with another backbone (its front end keys as they are). */
    public SedConfig withBackbone(String b) {
        return new SedConfig(sampleRate, nFft, winLength, hopLength, nMels, fMin, fMax, melScale, normMean, normStd, patch, dim, depth,
                heads, mlpRatio, lnEps, head, strongFrames, dropout, weights, b);
    }

    /** Frequency patches per time step. */
    public int freqPatches() {
        return nMels / patch;
    }

    /**
     * Input frames of a clip of {@code samples} at {@link #sampleRate}: the centred STFT's for m2d; for
     * sslam Kaldi's 25-ms frames every 10 ms (no padding), padded up to a multiple of 16 as EAT does.
     */
    public int frames(int samples) {
        if (sslam()) {
            int kaldi = samples < 400 ? 0 : 1 + (samples - 400) / 160;
            return (kaldi + patch - 1) / patch * patch;
        }
        return samples / hopLength + 1;
    }

    /** Time patches of a clip of {@code samples}. */
    public int timePatches(int samples) {
        return frames(samples) / patch;
    }
}

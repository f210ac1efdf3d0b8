package org.sep4j.models.clap;

import java.util.List;
import org.sep4j.core.config.Doc;

/** The sizes of sep4j's own CLAP ({@code model.clap}). */
public record ClapConfig(
        @Doc("sample rate of the audio tower (Hz)") int sampleRate,
        @Doc("samples per clip") int samples,
        @Doc("STFT size of the log-mel") int nFft,
        @Doc("STFT hop of the log-mel") int hopLength,
        @Doc("mel bands") int nMels,
        @Doc("audio tower: output channels of each conv3x3-BN-ReLU-avgpool(2x2) block") List<Integer> audioChannels,
        @Doc("text tower width") int textDim,
        @Doc("text tower transformer blocks") int textDepth,
        @Doc("text tower attention heads") int textHeads,
        @Doc("tokens per caption (<s> and </s> included)") int textTokens,
        @Doc("BPE merges learned from the caption corpus (the vocabulary is 260 + merges at most)") int merges,
        @Doc("width of the joint embedding") int embeddingDim) {

    public ClapConfig {
        audioChannels = List.copyOf(audioChannels);
        if (audioChannels.isEmpty() || nMels >> audioChannels.size() < 1 || frames(samples, hopLength) >> audioChannels.size() < 1) {
            throw new IllegalArgumentException("model.clap: " + audioChannels.size() + " pooling blocks halve the " + nMels
                    + " mel bands and " + frames(samples, hopLength) + " frames below 1; use fewer audio_channels");
        }
        if (textDim % textHeads != 0 || textDepth < 1 || textTokens < 3 || embeddingDim < 1 || merges < 0) {
            throw new IllegalArgumentException("model.clap: text_dim " + textDim + " must split into text_heads " + textHeads
                    + ", text_depth >= 1, text_tokens >= 3, embedding_dim >= 1, merges >= 0");
        }
    }

    /** CPU-sized, at BiSep's tiny clip length (1.02 s at 16 kHz). */
    public static ClapConfig tiny() {
        return new ClapConfig(16000, 16256, 512, 160, 64, List.of(16, 32, 64, 128), 64, 2, 4, 16, 400, 64);
    }

    /** STFT frames of a clip (centred). */
    public int frames() {
        return frames(samples, hopLength);
    }

    private static int frames(int samples, int hop) {
        return samples / hop + 1;
    }
}

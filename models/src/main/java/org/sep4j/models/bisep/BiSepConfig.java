package org.sep4j.models.bisep;

import java.util.List;
import org.sep4j.core.config.Doc;

/**
 * The size of BiSep's separator and its time-frequency grid ({@code model.bisep}). {@link #full()} is
 * the paper's: 131,070 samples at 16 kHz, STFT 1022/256 → a 512×512 magnitude, seven downsamplings
 * 64→512 channels, attention at 16×16, 8×8 and 4×4 over RoBERTa's 77×768 tokens (≈87.7 M parameters).
 */
public record BiSepConfig(
        @Doc("sample rate of the mixtures (Hz)") int sampleRate,
        @Doc("samples per clip (the paper: 131070, 8.19 s)") int samples,
        @Doc("STFT size; n_fft/2 + 1 bins must divide by 2^downsamplings") int nFft,
        @Doc("STFT hop; samples/hop + 1 frames must divide by 2^downsamplings") int hopLength,
        @Doc("output channels of each downsampling (4x4 stride-2 convolution and a residual block)") List<Integer> channels,
        @Doc("the deepest levels that get self- and cross-attention conditioning") int attentionLevels,
        @Doc("attention heads") int heads,
        @Doc("width of the attention MLPs over the channel width") double mlpRatio,
        @Doc("width of the text tokens the cross-attention reads (RoBERTa: 768)") int textDim,
        @Doc("text tokens per query (CLAP: 77)") int textTokens,
        @Doc("width of the CLAP text embedding the mask head reads (512)") int embeddingDim,
        @Doc("feature maps the mask head combines (32)") int maps) {

    public BiSepConfig {
        channels = List.copyOf(channels);
        int down = 1 << channels.size();
        int bins = nFft / 2 + 1;
        int frames = samples / hopLength + 1;
        if (channels.isEmpty() || nFft % 2 != 0 || bins % down != 0 || frames % down != 0 || hopLength > nFft) {
            throw new IllegalArgumentException("model.bisep: the " + bins + " bins (n_fft " + nFft + ") and " + frames
                    + " frames (samples " + samples + ", hop " + hopLength + ") must both divide by 2^" + channels.size()
                    + " = " + down + " (one halving per entry of channels), with hop <= n_fft");
        }
        if (attentionLevels < 0 || attentionLevels > channels.size()) {
            throw new IllegalArgumentException("model.bisep.attention_levels: expected 0.." + channels.size() + ", found "
                    + attentionLevels);
        }
        for (int i = channels.size() - attentionLevels; i < channels.size(); i++) {
            if (channels.get(i) % heads != 0) {
                throw new IllegalArgumentException("model.bisep: channels " + channels.get(i) + " at attention level " + (i + 1)
                        + " do not split into " + heads + " heads");
            }
        }
        if (!(mlpRatio > 0) || textDim < 1 || textTokens < 1 || embeddingDim < 1 || maps < 1 || sampleRate < 1) {
            throw new IllegalArgumentException("model.bisep: mlp_ratio, text_dim, text_tokens, embedding_dim, maps and "
                    + "sample_rate must be positive");
        }
    }

    /** The published separator over LAION-CLAP's RoBERTa tokens. */
    public static BiSepConfig full() {
        return new BiSepConfig(16000, 131070, 1022, 256, List.of(64, 128, 256, 512, 512, 512, 512), 3, 8, 2.0, 768, 77,
                512, 32);
    }

    /** CPU-sized: 1.02 s at 16 kHz on a 128×128 grid, five downsamplings 16→64, over the tiny CLAP's tokens. */
    public static BiSepConfig tiny() {
        return new BiSepConfig(16000, 16256, 254, 128, List.of(16, 32, 64, 64, 64), 3, 4, 2.0, 64, 16, 64, 16);
    }

    /** Frequency bins of the STFT (the grid's height). */
    public int bins() {
        return nFft / 2 + 1;
    }

    /** STFT frames of a clip (the grid's width). */
    public int frames() {
        return samples / hopLength + 1;
    }
}

package org.sep4j.models.clap;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.dsp.MelFilterbank;
import org.sep4j.core.dsp.MelScale;
import org.sep4j.core.dsp.StftConfig;
import org.sep4j.models.nn.Activations;
import org.sep4j.models.nn.BatchNorm;
import org.sep4j.models.nn.Conv2d;
import org.sep4j.models.nn.DiffStft;
import org.sep4j.models.nn.Embedding;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.LayerNorm;
import org.sep4j.models.nn.Linear;
import org.sep4j.models.nn.Pooling;
import org.sep4j.models.nn.TransformerBlock;

/**
 * sep4j's CLAP, both towers built into a caller's graph (BiSep builds the frozen audio tower behind
 * its separator so its contrastive loss reaches the separator through it).
 *
 * <ul>
 *   <li>Audio ({@code audio.*}): waveform {@code [B, samples]} → in-graph STFT power → Slaney mel →
 *       ln(· + 1e-6) → BatchNorm2d(1) → blocks of conv3×3 → BN → ReLU → 2×2 average pooling → mean
 *       over mel and time → Linear → unit norm.</li>
 *   <li>Text ({@code text.*}): BPE ids {@code [B, L]} → token embedding + learned positions → pre-LN
 *       transformer blocks (padding not attended) → LayerNorm = the hidden states {@code [B, L, D]}
 *       BiSep's cross-attention reads; their mean over real tokens → Linear → unit norm.</li>
 * </ul>
 */
public final class NativeClap {

    /** Placeholder names. */
    public static final String WAVEFORM = "clap_waveform";
    public static final String IDS = "clap_input_ids";
    public static final String KEEP = "clap_attention_mask";
    /** The learned temperature, as CLIP: logits = exp(logit_scale)·cos, initialised to ln(1/0.07). */
    public static final String LOGIT_SCALE = "logit_scale";

    private final ClapConfig cfg;
    private final int vocabulary;
    private final DiffStft stft;

    public NativeClap(ClapConfig cfg, int vocabulary) {
        this.cfg = cfg;
        this.vocabulary = vocabulary;
        this.stft = new DiffStft(StftConfig.of(cfg.nFft(), cfg.hopLength()));
    }

    public ClapConfig config() {
        return cfg;
    }

    /** The text tower's outputs: hidden states {@code [B, L, D]} and the unit-norm embedding {@code [B, E]}. */
    public record Text(SDVariable hidden, SDVariable embedding) {
    }

    /** Unit-norm audio embeddings {@code [B, E]} of waveforms {@code [B, samples]}. */
    public SDVariable audio(Graph g, SDVariable wave) {
        SDVariable[] reIm = stft.forward(g, wave, cfg.samples());                                 // [B, F, T]
        SDVariable power = reIm[0].mul(reIm[0]).add(reIm[1].mul(reIm[1]));
        int bins = stft.bins();
        int frames = cfg.frames();
        float[][] fb = MelFilterbank.create(cfg.sampleRate(), cfg.nFft(), cfg.nMels(), 0, cfg.sampleRate() / 2.0, MelScale.SLANEY,
                true);
        INDArray melT = Nd4j.create(fb).castTo(g.dtype());                                         // [mels, F]
        SDVariable mel = g.sd().constant(melT).mmul(power.permute(1, 0, 2).reshape(bins, -1))      // [mels, B·T]
                .reshape(cfg.nMels(), -1, frames).permute(1, 0, 2);                               // [B, mels, T]
        SDVariable x = g.sd().math().log(mel.add(1e-6)).reshape(-1, 1, cfg.nMels(), frames);
        x = BatchNorm.of("audio.bn0", 1, 4).apply(g, x);
        List<Integer> ch = cfg.audioChannels();
        int in = 1;
        int h = cfg.nMels();
        int w = frames;
        for (int i = 0; i < ch.size(); i++) {
            String p = "audio.blocks." + i;
            x = Conv2d.same(p + ".conv", in, ch.get(i), 3, false).apply(g, x);
            x = Activations.relu(g, BatchNorm.of(p + ".bn", ch.get(i), 4).apply(g, x));
            x = Pooling.avg(g, x, 2, 2);
            in = ch.get(i);
            h /= 2;
            w /= 2;
        }
        SDVariable pooled = x.reshape(-1, in, h * w).mean(2);                                    // [B, C]
        return unit(new Linear("audio.proj", in, cfg.embeddingDim()).apply(g, pooled));
    }

    /** The text tower on BPE ids {@code [B, L]} (any numeric type) and their attention mask {@code [B, L]} (1 token, 0 padding). */
    public Text text(Graph g, SDVariable ids, SDVariable keep) {
        int d = cfg.textDim();
        int l = cfg.textTokens();
        SDVariable x = new Embedding("text.token_embedding", vocabulary, d).apply(g, ids).reshape(-1, l, d);
        x = x.add(g.uniform("text.position_embedding", 0.02 * Math.sqrt(3), l, d).reshape(1, l, d));
        for (int i = 0; i < cfg.textDepth(); i++) {
            x = new TransformerBlock("text.blocks." + i, d, cfg.textHeads(), 4.0, 1e-5, true).outputs(g, x, l, keep).out();
        }
        SDVariable hidden = new LayerNorm("text.norm", d).apply(g, x);                            // [B, L, D]
        SDVariable k = keep.reshape(-1, l, 1);
        SDVariable mean = hidden.mul(k).sum(1).div(k.sum(1));                                     // [B, D]
        return new Text(hidden, unit(new Linear("text.proj", d, cfg.embeddingDim()).apply(g, mean)));
    }

    /** The placeholders of {@link #text}: ids and mask {@code [batch, L]}. */
    public Text text(Graph g, long batch) {
        return text(g, g.input(IDS, batch, cfg.textTokens()), g.input(KEEP, batch, cfg.textTokens()));
    }

    /** The audio placeholder {@code [batch, samples]} through {@link #audio}. */
    public SDVariable audio(Graph g, long batch) {
        return audio(g, g.input(WAVEFORM, batch, cfg.samples()));
    }

    /** The learned temperature's parameter. */
    public static SDVariable logitScale(Graph g) {
        return g.constant(LOGIT_SCALE, Math.log(1 / 0.07), 1);
    }

    private static SDVariable unit(SDVariable x) {
        return x.div(x.mul(x).sum(true, 1).add(1e-12).pow(0.5));
    }
}

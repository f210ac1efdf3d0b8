package org.sep4j.models.bisep;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.dsp.Spectrogram;
import org.sep4j.core.dsp.Stft;
import org.sep4j.core.dsp.StftConfig;
import org.sep4j.models.nn.Activations;
import org.sep4j.models.nn.BatchNorm;
import org.sep4j.models.nn.Conv2d;
import org.sep4j.models.nn.DiffStft;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.Interpolate;
import org.sep4j.models.nn.LayerNorm;
import org.sep4j.models.nn.Linear;
import org.sep4j.models.nn.MultiheadAttention;

/**
 * BiSep's conditional attention U-Net: a text query's ratio mask over a mixture's magnitude.
 *
 * <ul>
 *   <li>Input: BatchNorm2d(1) of log1p|X|, {@code [B, 1, F, T]} (no log-frequency warping).</li>
 *   <li>Down {@code i}: 4×4 stride-2 convolution (no bias) → BN → LeakyReLU(0.2) → residual block
 *       LeakyReLU(x + BN(conv3×3(x))).</li>
 *   <li>The deepest {@code attention_levels}: the feature map as tokens, pre-LN self-attention and
 *       MLP, then pre-LN cross-attention over the text tokens and MLP (GELU, residuals).</li>
 *   <li>Up: bilinear ×2 → residual block → conv3×3 → BN → ReLU, concatenated with the skip; the last
 *       up ends in a conv3×3 to {@code maps} feature maps (no activation).</li>
 *   <li>Mask head (Sound-of-Pixels): c = σ(Linear(ê_text)), M = σ(Σ_c scale_c·c_c·f_c + bias).</li>
 * </ul>
 * The separated magnitude is M ⊙ |X|; with the mixture's phase its inverse STFT is the estimate.
 */
public final class CondAttUNet {

    /** Graph inputs and outputs by name. */
    public static final String MAGNITUDE = "mixture_magnitude";
    public static final String TEXT = "text_hidden";
    public static final String TEXT_KEEP = "text_keep";
    public static final String EMBEDDING = "text_embedding";
    public static final String MASK = "mask";

    private static final double SLOPE = 0.2;

    private final BiSepConfig cfg;
    private final Stft stft;
    private final DiffStft diffStft;

    public CondAttUNet(BiSepConfig cfg) {
        this.cfg = cfg;
        this.stft = new Stft(StftConfig.of(cfg.nFft(), cfg.hopLength()));
        this.diffStft = new DiffStft(StftConfig.of(cfg.nFft(), cfg.hopLength()));
    }

    public BiSepConfig config() {
        return cfg;
    }

    /** The spectral view of clips {@code [B][samples]}: magnitude, and the phase's cosine and sine, each {@code [B, F, T]}. */
    public record Polar(INDArray magnitude, INDArray cos, INDArray sin) {
    }

    /** STFT magnitudes and phases of clips of {@code samples} samples (zero bins get phase 0); clips in parallel. */
    public Polar analyse(float[][] clips) {
        int f = cfg.bins();
        int t = cfg.frames();
        float[] mag = new float[clips.length * f * t];
        float[] cos = new float[mag.length];
        float[] sin = new float[mag.length];
        IntStream.range(0, clips.length).parallel().forEach(b -> {
            if (clips[b].length != cfg.samples()) {
                throw new IllegalArgumentException("model.bisep: clips of " + cfg.samples() + " samples expected, got "
                        + clips[b].length);
            }
            Spectrogram s = stft.forward(clips[b]);
            for (int k = 0; k < f; k++) {
                for (int j = 0; j < t; j++) {
                    int o = (b * f + k) * t + j;
                    float re = s.re(0, k, j);
                    float im = s.im(0, k, j);
                    float m = (float) Math.sqrt(re * re + im * im);
                    mag[o] = m;
                    cos[o] = m > 0 ? re / m : 1f;
                    sin[o] = m > 0 ? im / m : 0f;
                }
            }
        });
        long[] shape = {clips.length, f, t};
        return new Polar(Nd4j.create(mag, shape, 'c'), Nd4j.create(cos, shape, 'c'), Nd4j.create(sin, shape, 'c'));
    }

    /**
     * Builds the separator into {@code g} with placeholders {@code mixture_magnitude [B, F, T]},
     * {@code text_hidden [B, L, D_text]}, {@code text_keep [B, L]} (1 for tokens, 0 for padding) and
     * {@code text_embedding [B, E]}; returns the mask {@code [B, F, T]}, named {@code mask}.
     *
     * @param batch the batch size, or −1 for any
     */
    public SDVariable build(Graph g, long batch) {
        SDVariable mag = g.input(MAGNITUDE, batch, cfg.bins(), cfg.frames());
        SDVariable text = g.input(TEXT, batch, cfg.textTokens(), cfg.textDim());
        SDVariable keep = g.input(TEXT_KEEP, batch, cfg.textTokens());
        SDVariable embedding = g.input(EMBEDDING, batch, cfg.embeddingDim());
        return g.sd().identity(MASK, mask(g, mag, text, keep, embedding));
    }

    /** The mask for magnitudes {@code [B, F, T]} (any computed variable), text tokens, their keep mask and the text embedding. */
    public SDVariable mask(Graph g, SDVariable mag, SDVariable text, SDVariable keep, SDVariable embedding) {
        return head(g, features(g, mag, text, keep), embedding);
    }

    /** The U-Net's {@code maps} feature maps {@code [B, maps, F, T]}, before the mask head. */
    public SDVariable features(Graph g, SDVariable mag, SDVariable text, SDVariable keep) {
        int h = cfg.bins();
        int w = cfg.frames();
        SDVariable x = g.sd().math().log1p(mag).reshape(-1, 1, h, w);
        x = BatchNorm.of("bn0", 1, 4).apply(g, x);
        List<Integer> ch = cfg.channels();
        int levels = ch.size();
        List<SDVariable> skips = new ArrayList<>();
        int in = 1;
        for (int i = 0; i < levels; i++) {
            String p = "down" + (i + 1);
            int out = ch.get(i);
            x = new Conv2d(p + ".conv", in, out, new int[] {4, 4}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, false)
                    .apply(g, x);
            x = BatchNorm.of(p + ".bn", out, 4).applyLeakyRelu(g, x, null, SLOPE);
            x = residual(g, p + ".res", x, out);
            h /= 2;
            w /= 2;
            if (i >= levels - cfg.attentionLevels()) {
                x = attention(g, "att" + (i + 1), x, out, h, w, text, keep);
            }
            skips.add(x);
            in = out;
        }
        int width = ch.get(levels - 1);
        for (int i = levels - 2; i >= -1; i--) {
            String p = "up" + (i + 1);
            x = Interpolate.bilinear(g, x, width, h, w, 2 * h, 2 * w);
            h *= 2;
            w *= 2;
            x = residual(g, p + ".res", x, width);
            if (i < 0) {
                x = Conv2d.same(p + ".conv", width, cfg.maps(), 3, true).apply(g, x);
                break;
            }
            int out = ch.get(i);
            x = Conv2d.same(p + ".conv", width, out, 3, false).apply(g, x);
            x = Activations.relu(g, BatchNorm.of(p + ".bn", out, 4).apply(g, x));
            x = g.sd().concat(1, x, skips.get(i));
            width = 2 * out;
        }
        return x;
    }

    /** The mask {@code [B, F, T]} from the feature maps and the text embedding. */
    public SDVariable head(Graph g, SDVariable x, SDVariable embedding) {
        // Sound-of-Pixels: per-map weights from the text embedding, summed over the maps
        SDVariable c = Activations.sigmoid(g, new Linear("mask_head.proj", cfg.embeddingDim(), cfg.maps()).apply(g, embedding));
        SDVariable scale = g.constant("mask_head.scale", 1, cfg.maps());
        SDVariable bias = g.constant("mask_head.bias", 0, 1);
        SDVariable weights = c.mul(scale).reshape(-1, cfg.maps(), 1, 1);
        SDVariable logit = x.mul(weights).sum(1).add(bias);                                           // [B, F, T]
        return Activations.sigmoid(g, logit);
    }

    /** LeakyReLU(x + BN(conv3×3(x))). */
    private static SDVariable residual(Graph g, String p, SDVariable x, int channels) {
        SDVariable h = Conv2d.same(p + ".conv", channels, channels, 3, false).apply(g, x);
        return Activations.leakyRelu(g, x.add(BatchNorm.of(p + ".bn", channels, 4).apply(g, h)), SLOPE);
    }

    /** Pre-LN self-attention + MLP, then pre-LN cross-attention over the text + MLP, on the map's h·w tokens. */
    private SDVariable attention(Graph g, String p, SDVariable x, int c, int h, int w, SDVariable text, SDVariable keep) {
        int n = h * w;
        int hidden = (int) Math.round(c * cfg.mlpRatio());
        SDVariable t = x.reshape(-1, c, n).permute(0, 2, 1);                                          // [B, N, C]
        SDVariable a = new LayerNorm(p + ".norm1", c).apply(g, t);
        t = t.add(new MultiheadAttention(p + ".self_attn", c, cfg.heads()).apply(g, a, a, n, n));
        t = t.add(mlp(g, p + ".mlp1", new LayerNorm(p + ".norm2", c).apply(g, t), c, hidden, n));
        SDVariable q = new LayerNorm(p + ".norm3", c).apply(g, t);
        t = t.add(MultiheadAttention.cross(p + ".cross_attn", c, cfg.heads(), cfg.textDim())
                .apply(g, q, text, n, cfg.textTokens(), keep));
        t = t.add(mlp(g, p + ".mlp2", new LayerNorm(p + ".norm4", c).apply(g, t), c, hidden, n));
        return t.permute(0, 2, 1).reshape(-1, c, h, w);
    }

    private static SDVariable mlp(Graph g, String p, SDVariable x, int c, int hidden, int n) {
        SDVariable h = Activations.gelu(g, new Linear(p + ".fc1", c, hidden).apply(g, x.reshape(-1, c)));
        return new Linear(p + ".fc2", hidden, c).apply(g, h).reshape(-1, n, c);
    }

    /** The separated magnitude M ⊙ |X|. */
    public static SDVariable separate(SDVariable mask, SDVariable magnitude) {
        return mask.mul(magnitude);
    }

    /** The waveform {@code [B, samples]} of a magnitude {@code [B, F, T]} with the mixture's phase (cos, sin {@code [B, F, T]}). */
    public SDVariable waveform(Graph g, SDVariable magnitude, SDVariable cos, SDVariable sin) {
        return diffStft.inverse(g, magnitude.mul(cos), magnitude.mul(sin), cfg.samples());
    }

    /** Parameters of the separator of this size (building it once, in a throwaway graph). */
    public static long parameterCount(BiSepConfig cfg) {
        Graph g = new Graph(0);
        new CondAttUNet(cfg).build(g, -1);
        return g.parameterCount();
    }
}

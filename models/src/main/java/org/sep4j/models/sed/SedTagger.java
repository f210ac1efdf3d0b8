package org.sep4j.models.sed;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.models.nn.BatchNorm;
import org.sep4j.models.nn.Conv2d;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.Interpolate;
import org.sep4j.models.nn.LayerNorm;
import org.sep4j.models.nn.Linear;
import org.sep4j.models.nn.PositionalEncoding;
import org.sep4j.models.nn.Regularization;
import org.sep4j.models.nn.TransformerBlock;

/**
 * The M2D-style sound event tagger: normalised log-mel {@code [B, 1, mels, frames]} → square
 * patches (a strided convolution) → tokens in frequency-major order plus a CLS token, fixed 2-D
 * sin-cos positions → pre-LN transformer blocks → final LayerNorm. The frequency tokens of each
 * time step are stacked into one {@code freqPatches·dim} feature per step, as M2D does.
 *
 * <p>Heads: {@code attention} (the 2nd-place system: frame features linearly resized to
 * {@code strongFrames}, strong and weak linear maps, clip probability Σ_t σ(s_t)·softmax_t(w_t))
 * and {@code baseline} (mean over time → BatchNorm without affine → linear, sigmoid).
 *
 * <p>Backbone parameter names are M2D's ({@code patch_embed.proj.weight}, {@code pos_embed},
 * {@code cls_token}, {@code blocks.3.attn.qkv.weight}, {@code norm.weight}) under an optional
 * prefix, so exported M2D weights load by name; the head lives under {@code head.}.
 */
public final class SedTagger {

    /**
     * What the tagger computes.
     *
     * @param layers  token maps {@code [B, freqPatches·timePatches, dim]} (CLS removed, before the
     *                final norm): the patch embedding and each block's output, for embedding injection
     * @param frames  per-time-step features {@code [B, timePatches, freqPatches·dim]}
     * @param strong  strong logits {@code [B, strongFrames, classes]} (attention head; null otherwise)
     * @param weak    weak logits (attention head: {@code [B, strongFrames, classes]}; baseline: clip
     *                logits {@code [B, classes]})
     * @param clip    clip probabilities {@code [B, classes]}
     */
    public record Outputs(List<SDVariable> layers, SDVariable frames, SDVariable strong, SDVariable weak, SDVariable clip) {
    }

    private final SedConfig cfg;
    private final String prefix;
    private final int classes;
    private final int samples;
    private final int positions;

    /**
     * @param prefix  parameter name prefix ("" for a standalone tagger, "sed." inside a separator)
     * @param classes output classes
     * @param samples clip length at the tagger's sample rate (fixes the token grid)
     */
    public SedTagger(SedConfig cfg, String prefix, int classes, int samples) {
        this(cfg, prefix, classes, samples, samples);
    }

    /**
     * A tagger for clips of {@code samples} whose position table covers clips of {@code positions}
     * samples (as M2D, shorter inputs take the table's first time columns): a model trained on crops
     * keeps the parameters of the whole-clip model.
     */
    public SedTagger(SedConfig cfg, String prefix, int classes, int samples, int positions) {
        this.cfg = cfg;
        this.prefix = prefix;
        this.classes = classes;
        this.samples = samples;
        this.positions = positions;
        if (cfg.timePatches(samples) < 1) {
            throw new IllegalArgumentException("a clip of " + samples + " samples is shorter than one "
                    + cfg.patch() + "-frame patch at hop " + cfg.hopLength());
        }
        if (cfg.timePatches(positions) < cfg.timePatches(samples)) {
            throw new IllegalArgumentException("a position table for " + positions + " samples does not cover clips of "
                    + samples);
        }
    }

    public SedConfig config() {
        return cfg;
    }

    public int frames() {
        return cfg.frames(samples);
    }

    public int timePatches() {
        return cfg.timePatches(samples);
    }

    public int classes() {
        return classes;
    }

    /** A placeholder for the normalised log-mel input, {@code [B, 1, mels, frames]}. */
    public SDVariable input(Graph g, String name) {
        return g.input(name, -1, 1, cfg.nMels(), frames());
    }

    public Outputs apply(Graph g, SDVariable logmel) {
        if (cfg.sslam()) {
            return sslam(g, logmel);
        }
        int d = cfg.dim();
        int fp = cfg.freqPatches();
        int tp = timePatches();
        int n = fp * tp;
        int p = cfg.patch();
        Conv2d embed = new Conv2d(prefix + "patch_embed.proj", 1, d, new int[] {p, p}, new int[] {p, p}, new int[] {0, 0},
                new int[] {1, 1}, true);
        SDVariable grid = embed.apply(g, logmel);                                              // [B, D, Fp, Tp]
        SDVariable tokens = grid.reshape(-1, d, n).permute(0, 2, 1);                            // [B, Fp·Tp, D]
        // fixed sin-cos positions, a parameter as in M2D (frozen by the optimiser's groups), CLS row zero
        int tpos = cfg.timePatches(positions);
        INDArray pos = Nd4j.concat(0, Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, d),
                PositionalEncoding.sincos2d(fp, tpos, d)).reshape(1, (long) fp * tpos + 1, d).castTo(g.dtype());
        SDVariable posEmbed = g.param(prefix + "pos_embed", pos);
        SDVariable cls = g.constant(prefix + "cls_token", 0, 1, 1, d);
        SDVariable tokenPos = tpos == tp ? posEmbed.get(SDIndex.all(), SDIndex.interval(1, n + 1), SDIndex.all())
                : posEmbed.get(SDIndex.all(), SDIndex.interval(1, fp * tpos + 1), SDIndex.all()).reshape(1, fp, tpos, d)
                        .get(SDIndex.all(), SDIndex.all(), SDIndex.interval(0, tp), SDIndex.all()).reshape(1, n, d);
        tokens = tokens.add(tokenPos);
        List<SDVariable> layers = new ArrayList<>();
        layers.add(tokens);
        SDVariable first = tokens.get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all()).mul(0)
                .add(cls.add(posEmbed.get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all())));  // [B, 1, D]
        SDVariable x = g.sd().concat(1, first, tokens);
        for (int b = 0; b < cfg.depth(); b++) {
            x = new TransformerBlock(prefix + "blocks." + b, d, cfg.heads(), cfg.mlpRatio(), cfg.lnEps(), true).apply(g, x, n + 1L);
            layers.add(x.get(SDIndex.all(), SDIndex.interval(1, n + 1), SDIndex.all()));
        }
        SDVariable normed = new LayerNorm(prefix + "norm", d, cfg.lnEps(), true).apply(g, x)
                .get(SDIndex.all(), SDIndex.interval(1, n + 1), SDIndex.all());                  // [B, Fp·Tp, D]
        SDVariable frames = normed.reshape(-1, fp, tp, d).permute(0, 2, 1, 3).reshape(-1, tp, (long) fp * d);
        return cfg.head().equals("attention") ? attentionHead(g, layers, frames, tp, fp * d)
                : baselineHead(g, layers, frames, fp * d);
    }

    /**
     * The EAT/SSLAM encoder as the backbone: its input is the fbank frames × bins, its tokens
     * time-major; the token maps are handed on frequency-major, as M2D's are, so embedding injection
     * reads both alike, and the last block's output (EAT has no final norm) gives the frames.
     */
    private Outputs sslam(Graph g, SDVariable fbank) {
        int d = cfg.dim();
        int fp = cfg.freqPatches();
        int tp = timePatches();
        int n = fp * tp;
        org.sep4j.models.sslam.EatEncoder enc = new org.sep4j.models.sslam.EatEncoder(
                new org.sep4j.models.sslam.EatConfig(d, cfg.depth(), cfg.heads(), cfg.mlpRatio(), cfg.lnEps()), frames(), prefix);
        org.sep4j.models.sslam.EatEncoder.Outputs o = enc.encode(g, fbank.permute(0, 1, 3, 2));   // [B, 1, frames, 128]
        List<SDVariable> layers = new ArrayList<>();
        for (SDVariable m : o.layers()) {
            layers.add(m.reshape(-1, tp, fp, d).permute(0, 2, 1, 3).reshape(-1, n, d));
        }
        SDVariable frames = o.features().get(SDIndex.all(), SDIndex.interval(1, n + 1), SDIndex.all()).reshape(-1, tp, (long) fp * d);
        return cfg.head().equals("attention") ? attentionHead(g, layers, frames, tp, fp * d)
                : baselineHead(g, layers, frames, fp * d);
    }

    private Outputs attentionHead(Graph g, List<SDVariable> layers, SDVariable frames, int tp, int width) {
        int s = cfg.strongFrames();
        SDVariable resized = Interpolate.linear(g, frames.permute(0, 2, 1).reshape(-1, tp), tp, s)
                .reshape(-1, width, s).permute(0, 2, 1);                                          // [B, S, width]
        SDVariable flat = Regularization.dropout(g, resized.reshape(-1, width), cfg.dropout());
        SDVariable strong = new Linear(prefix + "head.strong", width, classes).apply(g, flat).reshape(-1, s, classes);
        SDVariable weak = new Linear(prefix + "head.weak", width, classes).apply(g, flat).reshape(-1, s, classes);
        SDVariable attention = g.sd().nn().softmax(weak, 1);
        SDVariable clip = g.sd().nn().sigmoid(strong).mul(attention).sum(1);                    // [B, classes]
        return new Outputs(layers, frames, strong, weak, clip);
    }

    private Outputs baselineHead(Graph g, List<SDVariable> layers, SDVariable frames, int width) {
        SDVariable pooled = frames.mean(1);                                                       // [B, width]
        SDVariable normed = new BatchNorm(prefix + "head.norm", width, 2, 1e-5, 0.1, false).apply(g, pooled);
        SDVariable logits = new Linear(prefix + "head.fc", width, classes)
                .apply(g, Regularization.dropout(g, normed, cfg.dropout()));
        return new Outputs(layers, frames, null, logits, g.sd().nn().sigmoid(logits));
    }
}

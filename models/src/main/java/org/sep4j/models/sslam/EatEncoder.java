package org.sep4j.models.sslam;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sep4j.models.nn.Conv2d;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.LayerNorm;
import org.sep4j.models.nn.PositionalEncoding;
import org.sep4j.models.nn.TransformerBlock;

/**
 * The EAT encoder that SSLAM pre-trains: the normalised fbank {@code [B, 1, T, 128]} → 16×16
 * patches (a strided convolution), flattened time-major (patch t·8 + f) → fixed 2-D sin-cos
 * positions (the first half of each vector encodes the frequency index, the second the time
 * index) → a learned CLS token in front (no position) → one LayerNorm over all tokens → post-LN
 * blocks ({@code x = LN1(x + attn(x)); x = LN2(x + mlp(x))}), no final norm. Features
 * {@code [B, 1 + N, D]}: CLS (the utterance) then the N patch tokens (the frames).
 *
 * <p>Parameter names are fairseq's for the data2vec 2.0 image modality, as the official EAT and
 * SSLAM checkpoints store them ({@code modality_encoders.IMAGE.local_encoder.proj.weight},
 * {@code modality_encoders.IMAGE.extra_tokens}, {@code modality_encoders.IMAGE.context_encoder.norm.weight},
 * {@code blocks.0.attn.qkv.weight}, ...), so they load by name; the fixed positions are computed,
 * not loaded.
 */
public final class EatEncoder {

    public static final String PATCH_EMBED = "modality_encoders.IMAGE.local_encoder.proj";
    public static final String CLS = "modality_encoders.IMAGE.extra_tokens";
    public static final String CONTEXT_NORM = "modality_encoders.IMAGE.context_encoder.norm";
    public static final String BLOCKS = "blocks";

    private final EatConfig cfg;
    private final int frames;
    private final String prefix;

    /** An encoder for fbanks of {@code frames} frames (a multiple of 16; 1024 for 10-s clips). */
    public EatEncoder(EatConfig cfg, int frames) {
        this(cfg, frames, "");
    }

    /** The same with its parameter names under {@code prefix} (e.g. "sed." inside a separator). */
    public EatEncoder(EatConfig cfg, int frames, String prefix) {
        this.cfg = cfg;
        this.frames = frames;
        this.prefix = prefix;
        cfg.patches(frames); // checks the frame count
    }

    public int frames() {
        return frames;
    }

    public int tokens() {
        return 1 + cfg.patches(frames);
    }

    /** A placeholder for the normalised fbank, {@code [B, 1, frames, 128]}. */
    public SDVariable input(Graph g, String name) {
        return g.input(name, -1, 1, frames, EatConfig.MEL_BINS);
    }

    /** {@code [B, 1, frames, 128]} → features {@code [B, 1 + N, D]}. */
    public SDVariable apply(Graph g, SDVariable fbank) {
        return encode(g, fbank).features();
    }

    /**
     * The features and, per block, its MLP's output before the residual add {@code [B, 1 + N, D]}:
     * what an EMA teacher's targets are made of ({@link EatTargets}); and the token maps without the
     * CLS {@code [B, N, D]}: the patch embedding (positions added) and each block's output.
     */
    public record Outputs(SDVariable features, java.util.List<SDVariable> mlp, java.util.List<SDVariable> layers) {
    }

    public Outputs encode(Graph g, SDVariable fbank) {
        return encode(g, fbank, null, cfg.patches(frames));
    }

    /**
     * The student's pass: only the visible patches enter the blocks. {@code select} {@code [B, N, V]}
     * is one-hot, column v marking the patch that is the v-th visible one (in patch order), so the
     * visible tokens are selectᵀ·patches (exact gradients, one shape per batch); positions are added
     * before. Features {@code [B, 1 + V, D]}.
     */
    public Outputs encodeVisible(Graph g, SDVariable fbank, SDVariable select, int visible) {
        return encode(g, fbank, select, visible);
    }

    private Outputs encode(Graph g, SDVariable fbank, SDVariable select, int kept) {
        int d = cfg.dim();
        int tp = frames / EatConfig.PATCH;
        int fp = EatConfig.MEL_BINS / EatConfig.PATCH;
        int n = tp * fp;
        int p = EatConfig.PATCH;
        SDVariable grid = new Conv2d(prefix + PATCH_EMBED, 1, d, new int[] {p, p}, new int[] {p, p}, new int[] {0, 0},
                new int[] {1, 1}, true).apply(g, fbank);                                      // [B, D, Tp, Fp]
        SDVariable patches = grid.reshape(-1, d, n).permute(0, 2, 1);                          // [B, Tp·Fp, D], t·8 + f
        INDArray pos = PositionalEncoding.sincos2d(tp, fp, d).reshape(1, n, d).castTo(g.dtype());
        patches = patches.add(g.sd().constant(pos));
        if (select != null) {
            patches = g.sd().mmul(select.permute(0, 2, 1), patches);                           // [B, V, D]
        }
        SDVariable cls = g.uniform(prefix + CLS, 0.02, 1, 1, d);
        SDVariable first = patches.get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all()).mul(0).add(cls); // [B, 1, D]
        SDVariable x = new LayerNorm(prefix + CONTEXT_NORM, d, cfg.lnEps(), true).apply(g, g.sd().concat(1, first, patches));
        java.util.List<SDVariable> mlp = new java.util.ArrayList<>();
        java.util.List<SDVariable> layers = new java.util.ArrayList<>();
        layers.add(patches);
        for (int b = 0; b < cfg.depth(); b++) {
            TransformerBlock.Outputs o = new TransformerBlock(prefix + BLOCKS + "." + b, d, cfg.heads(), cfg.mlpRatio(), cfg.lnEps(), false)
                    .outputs(g, x, kept + 1L);
            x = o.out();
            mlp.add(o.mlp());
            layers.add(x.get(SDIndex.all(), SDIndex.interval(1, kept + 1), SDIndex.all()));
        }
        return new Outputs(x, mlp, layers);
    }
}

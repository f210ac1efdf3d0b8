package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A transformer encoder block on {@code [B, T, D]} with timm's ViT parameter names
 * ({@code norm1, attn.qkv, attn.proj, norm2, mlp.fc1, mlp.fc2}), so M2D/EAT/SSLAM checkpoints load
 * by name. Pre-LN (ViT, M2D): x + attn(norm1(x)), then + mlp(norm2(·)); post-LN (original
 * transformer, SSLAM's data2vec-style blocks): norm1(x + attn(x)), then norm2(· + mlp(·)).
 * MLP: Linear(D, ratio·D) → exact GELU → Linear(ratio·D, D).
 */
public final class TransformerBlock extends Module {

    private final int dim;
    private final int heads;
    private final int hidden;
    private final double eps;
    private final boolean preNorm;

    public TransformerBlock(String name, int dim, int heads, double mlpRatio, double eps, boolean preNorm) {
        super(name);
        this.dim = dim;
        this.heads = heads;
        this.hidden = (int) Math.round(dim * mlpRatio);
        this.eps = eps;
        this.preNorm = preNorm;
    }

    @Override
    public SDVariable apply(Graph g, SDVariable x) {
        long[] s = x.getShape();
        if (s == null || s.length != 3 || s[1] < 0) {
            throw new IllegalArgumentException(name + ": give the sequence length: apply(g, x, tokens)");
        }
        return apply(g, x, s[1]);
    }

    /** {@code [B, tokens, D]} → {@code [B, tokens, D]}. */
    public SDVariable apply(Graph g, SDVariable x, long tokens) {
        return outputs(g, x, tokens).out();
    }

    /** The block's output and its MLP's output before the residual add (data2vec's layer targets). */
    public record Outputs(SDVariable out, SDVariable mlp) {
    }

    public Outputs outputs(Graph g, SDVariable x, long tokens) {
        return outputs(g, x, tokens, null);
    }

    /** As {@link #outputs(Graph, SDVariable, long)}, tokens where {@code keep [B, tokens]} is 0 (padding) not attended to. */
    public Outputs outputs(Graph g, SDVariable x, long tokens, SDVariable keep) {
        LayerNorm norm1 = new LayerNorm(key("norm1"), dim, eps, true);
        LayerNorm norm2 = new LayerNorm(key("norm2"), dim, eps, true);
        MultiheadAttention attn = new MultiheadAttention(key("attn"), dim, heads, MultiheadAttention.Names.TIMM);
        if (preNorm) {
            SDVariable a = norm1.apply(g, x);
            SDVariable h = x.add(attn.apply(g, a, a, tokens, tokens, keep));
            SDVariable m = mlp(g, norm2.apply(g, h), tokens);
            return new Outputs(h.add(m), m);
        }
        SDVariable h = norm1.apply(g, x.add(attn.apply(g, x, x, tokens, tokens, keep)));
        SDVariable m = mlp(g, h, tokens);
        return new Outputs(norm2.apply(g, h.add(m)), m);
    }

    private SDVariable mlp(Graph g, SDVariable x, long tokens) {
        SDVariable flat = x.reshape(-1, dim);
        SDVariable h = Activations.gelu(g, new Linear(key("mlp.fc1"), dim, hidden).apply(g, flat));
        return new Linear(key("mlp.fc2"), hidden, dim).apply(g, h).reshape(-1, tokens, dim);
    }
}

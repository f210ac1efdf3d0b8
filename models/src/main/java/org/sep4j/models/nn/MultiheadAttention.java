package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Multi-head attention as torch.nn.MultiheadAttention(embed, heads, batch_first=True), parameters
 * {@code in_proj_weight [3E, E]}, {@code in_proj_bias [3E]}, {@code out_proj.weight [E, E]},
 * {@code out_proj.bias [E]}: softmax(QKᵀ/√d)·V per head, heads concatenated and projected.
 * Query {@code [B, Tq, E]}, key/value {@code [B, Tk, E]} with lengths known when the graph is built
 * (batch may vary). Heads are folded into the batch for rank-3 products (ND4J M2.1's rank-4
 * matmul fails). With a memory of another width ({@code kdim}, torch's kdim = vdim) the projections
 * are torch's separate {@code q_proj_weight [E, E]}, {@code k_proj_weight [E, kdim]},
 * {@code v_proj_weight [E, kdim]}; a key padding mask ({@code [B, Tk]}, 1 = attend, 0 = padding)
 * keeps padded memory tokens out of the softmax.
 */
public final class MultiheadAttention extends Module {

    /** Parameter naming: torch.nn.MultiheadAttention or timm's ViT Attention (qkv, proj). */
    public enum Names {
        /** in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias */
        TORCH("in_proj_weight", "in_proj_bias", "out_proj"),
        /** qkv.weight, qkv.bias, proj.weight, proj.bias (timm, M2D, EAT, SSLAM) */
        TIMM("qkv.weight", "qkv.bias", "proj");

        final String inWeight;
        final String inBias;
        final String out;

        Names(String inWeight, String inBias, String out) {
            this.inWeight = inWeight;
            this.inBias = inBias;
            this.out = out;
        }
    }

    private final int embed;
    private final int heads;
    private final Names names;
    private final int kdim;

    public MultiheadAttention(String name, int embed, int heads) {
        this(name, embed, heads, Names.TORCH);
    }

    public MultiheadAttention(String name, int embed, int heads, Names names) {
        this(name, embed, heads, names, embed);
    }

    /** Cross-attention over a memory of width {@code kdim} (torch's kdim = vdim; torch names). */
    public static MultiheadAttention cross(String name, int embed, int heads, int kdim) {
        return new MultiheadAttention(name, embed, heads, Names.TORCH, kdim);
    }

    private MultiheadAttention(String name, int embed, int heads, Names names, int kdim) {
        super(name);
        if (embed % heads != 0) {
            throw new IllegalArgumentException(name + ": embedding " + embed + " does not split into " + heads + " heads");
        }
        this.embed = embed;
        this.heads = heads;
        this.names = names;
        this.kdim = kdim;
    }

    /** Self-attention. */
    @Override
    public SDVariable apply(Graph g, SDVariable x) {
        return apply(g, x, x);
    }

    /** Cross-attention of {@code query} over {@code memory} (lengths from their static shapes). */
    public SDVariable apply(Graph g, SDVariable query, SDVariable memory) {
        return apply(g, query, memory, length(query), length(memory));
    }

    /** Cross-attention with the query and memory lengths given (for computed inputs of unknown shape). */
    public SDVariable apply(Graph g, SDVariable query, SDVariable memory, long tq, long tk) {
        return apply(g, query, memory, tq, tk, null);
    }

    /** As {@link #apply(Graph, SDVariable, SDVariable, long, long)}, memory tokens where {@code keep [B, Tk]} is 0 left out. */
    public SDVariable apply(Graph g, SDVariable query, SDVariable memory, long tq, long tk, SDVariable keep) {
        SDVariable[] ws;
        if (kdim == embed) {
            double bound = Math.sqrt(6.0 / (embed + 3 * embed)); // xavier-uniform on [3E, E], as torch
            SDVariable w = g.uniform(key(names.inWeight), bound, 3L * embed, embed);
            // the packed [3E, E] in-projection as three [E, E] blocks: a reshape and an unstack cost no
            // arithmetic (a selection-matrix product did: 3·2·E·3E·E per pass, 98 GFLOP in a ViT-B forward)
            ws = g.sd().unstack(w.reshape(3, embed, embed), 0, 3);
        } else {
            ws = new SDVariable[] {g.uniform(key("q_proj_weight"), Math.sqrt(3.0 / embed), embed, embed),
                    g.uniform(key("k_proj_weight"), Math.sqrt(6.0 / (embed + kdim)), embed, kdim),
                    g.uniform(key("v_proj_weight"), Math.sqrt(6.0 / (embed + kdim)), embed, kdim)};
        }
        SDVariable b = g.constant(key(names.inBias), 0, 3L * embed);
        int d = embed / heads;
        SDVariable[] bs = g.sd().unstack(b.reshape(3, embed), 0, 3);
        SDVariable q = heads(project(query, ws[0], bs[0], tq, embed), tq, d);               // [B·H, Tq, d]
        SDVariable k = heads(project(memory, ws[1], bs[1], tk, kdim), tk, d);
        SDVariable v = heads(project(memory, ws[2], bs[2], tk, kdim), tk, d);
        SDVariable scores = g.sd().mmul(q, k.permute(0, 2, 1)).mul(1 / Math.sqrt(d));      // [B·H, Tq, Tk]
        if (keep != null) { // −1e9 where padded: exp underflows to 0, as torch's −inf does
            scores = scores.reshape(-1, heads, tq, tk).add(keep.sub(1.0).mul(1e9).reshape(-1, 1, 1, tk)).reshape(-1, tq, tk);
        }
        SDVariable attn = g.sd().nn().softmax(scores, 2);
        SDVariable ctx = g.sd().mmul(attn, v);                                             // [B·H, Tq, d]
        SDVariable merged = ctx.reshape(-1, heads, tq, d).permute(0, 2, 1, 3).reshape(-1, embed);   // [B·Tq, E]
        return new Linear(key(names.out), embed, embed).apply(g, merged).reshape(-1, tq, embed);
    }

    private static long length(SDVariable x) {
        long[] s = x.getShape();
        if (s == null || s.length != 3 || s[1] < 0) {
            throw new IllegalArgumentException("attention needs inputs [B, T, E] with T known when the graph is built; "
                    + "for computed inputs give the lengths: apply(g, query, memory, tq, tk)");
        }
        return s[1];
    }

    /** One block of the in-projection, {@code wp [E, width]} and {@code bp [E]}, applied to x [B, T, width]. */
    private SDVariable project(SDVariable x, SDVariable wp, SDVariable bp, long t, int width) {
        return x.reshape(-1, width).mmul(wp.permute(1, 0)).add(bp.reshape(1, embed)).reshape(-1, t, embed);
    }

    /** [B, T, E] → [B·H, T, d]. */
    private SDVariable heads(SDVariable x, long t, int d) {
        return x.reshape(-1, t, heads, d).permute(0, 2, 1, 3).reshape(-1, t, d);
    }
}

package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * torch.nn.GRU / torch.nn.LSTM with {@code batch_first=True}: input {@code [B, T, in]}, output
 * {@code [B, T, H·directions]} (the last layer's hidden states). Multi-layer, optionally
 * bidirectional, dropout between layers in training graphs. Parameter names are PyTorch's:
 * {@code weight_ih_l0 [G·H, in]}, {@code weight_hh_l0 [G·H, H]}, {@code bias_ih_l0},
 * {@code bias_hh_l0}, with {@code _reverse} for the backward direction; gate order r, z, n (GRU)
 * and i, f, g, o (LSTM); all initialised uniformly in ±1/√H. Initial states are zero.
 *
 * <p>The recursion is unrolled over time (ND4J M2.1's fused GRU cell uses a different gate
 * formula from PyTorch's, and unrolled steps differentiate with ordinary ops), so the sequence
 * length must be known when the graph is built.
 */
public final class Recurrent extends Module {

    /** The recurrent cell. */
    public enum Cell {
        GRU(3), LSTM(4);

        final int gates;

        Cell(int gates) {
            this.gates = gates;
        }
    }

    private final Cell cell;
    private final int in;
    private final int hidden;
    private final int layers;
    private final boolean bidirectional;
    private final double dropout;

    public Recurrent(String name, Cell cell, int in, int hidden, int layers, boolean bidirectional, double dropout) {
        super(name);
        if (in < 1 || hidden < 1 || layers < 1) {
            throw new IllegalArgumentException(name + ": input size, hidden size and layers must be at least 1");
        }
        this.cell = cell;
        this.in = in;
        this.hidden = hidden;
        this.layers = layers;
        this.bidirectional = bidirectional;
        this.dropout = dropout;
    }

    /** Output features per time step: hidden size × directions. */
    public int outputSize() {
        return hidden * (bidirectional ? 2 : 1);
    }

    @Override
    public SDVariable apply(Graph g, SDVariable x) {
        long[] s = x.getShape();
        if (s == null || s.length != 3 || s[1] < 1) {
            throw new IllegalArgumentException(name + ": give the sequence length: apply(g, x, length)");
        }
        return apply(g, x, (int) s[1]);
    }

    /** Input {@code [B, length, in]} → {@code [B, length, outputSize()]}. */
    public SDVariable apply(Graph g, SDVariable x, int length) {
        return apply(g, x, length, -1);
    }

    /** The same with the batch size given (dropout between layers in a training graph needs it). */
    public SDVariable apply(Graph g, SDVariable x, int length, long batch) {
        SDVariable y = x;
        int size = in;
        for (int l = 0; l < layers; l++) {
            if (l > 0) {
                y = Regularization.dropout(g, y, dropout, new long[] {batch, length, size});
            }
            SDVariable forward = direction(g, y, size, length, "_l" + l, false);
            y = bidirectional ? g.sd().concat(2, forward, direction(g, y, size, length, "_l" + l + "_reverse", true)) : forward;
            size = outputSize();
        }
        return y;
    }

    private SDVariable direction(Graph g, SDVariable x, int size, int length, String suffix, boolean reverse) {
        int gates = cell.gates;
        double bound = 1 / Math.sqrt(hidden);
        SDVariable wih = g.uniform(key("weight_ih" + suffix), bound, (long) gates * hidden, size);
        SDVariable whh = g.uniform(key("weight_hh" + suffix), bound, (long) gates * hidden, hidden);
        SDVariable bih = g.uniform(key("bias_ih" + suffix), bound, (long) gates * hidden);
        SDVariable bhh = g.uniform(key("bias_hh" + suffix), bound, (long) gates * hidden);
        // per-gate slices of the stacked weights, taken once: unstack differentiates as a stack
        SDVariable[] wi = g.sd().unstack(wih.reshape(gates, hidden, size), 0, gates);
        SDVariable[] wh = g.sd().unstack(whh.reshape(gates, hidden, hidden), 0, gates);
        SDVariable[] bi = g.sd().unstack(bih.reshape(gates, 1, hidden), 0, gates);
        SDVariable[] bh = g.sd().unstack(bhh.reshape(gates, 1, hidden), 0, gates);
        // the input projections of all time steps at once: [B·T, size] → gates × T × [B, H]
        SDVariable flat = x.reshape(-1, size);
        SDVariable[][] xs = new SDVariable[gates][];
        for (int k = 0; k < gates; k++) {
            SDVariable p = flat.mmul(wi[k].permute(1, 0)).add(bi[k]).reshape(-1, length, hidden).permute(1, 0, 2);
            xs[k] = g.sd().unstack(p, 0, length);
        }
        SDVariable[] out = new SDVariable[length];
        SDVariable h = null;
        SDVariable c = null;
        for (int i = 0; i < length; i++) {
            int t = reverse ? length - 1 - i : i;
            SDVariable[] a = new SDVariable[gates]; // hidden projections W_h·h + b_h (b_h alone from the zero state)
            for (int k = 0; k < gates; k++) {
                a[k] = h == null ? bh[k] : h.mmul(wh[k].permute(1, 0)).add(bh[k]);
            }
            if (cell == Cell.GRU) {
                SDVariable r = g.sd().nn().sigmoid(xs[0][t].add(a[0]));
                SDVariable z = g.sd().nn().sigmoid(xs[1][t].add(a[1]));
                SDVariable n = g.sd().math().tanh(xs[2][t].add(r.mul(a[2])));
                // h' = (1 − z)·n + z·h = n + z·(h − n)
                h = h == null ? n.sub(z.mul(n)) : n.add(z.mul(h.sub(n)));
            } else {
                SDVariable ig = g.sd().nn().sigmoid(xs[0][t].add(a[0]));
                SDVariable fg = g.sd().nn().sigmoid(xs[1][t].add(a[1]));
                SDVariable gg = g.sd().math().tanh(xs[2][t].add(a[2]));
                SDVariable og = g.sd().nn().sigmoid(xs[3][t].add(a[3]));
                c = c == null ? ig.mul(gg) : fg.mul(c).add(ig.mul(gg));
                h = og.mul(g.sd().math().tanh(c));
            }
            out[t] = h;
        }
        return g.sd().stack(1, out);
    }
}

package org.sep4j.models.sep;

import org.nd4j.autodiff.samediff.SDVariable;
import org.sep4j.models.nn.Conv2d;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.GroupNorm;
import org.sep4j.models.nn.Linear;
import org.sep4j.models.nn.Recurrent;
import org.sep4j.models.nn.Regularization;

/**
 * Dual-path RNN on the bottleneck {@code [B, C, T, F]}: each block runs a bidirectional GRU along
 * time (batched over frequency), a linear map back to C, GroupNorm(1, C) and a residual add; then
 * the same along frequency (batched over time). The output passes PReLU and a 1×1 conv.
 */
final class Dprnn {

    private Dprnn() {
    }

    static SDVariable apply(Graph g, String name, SDVariable x, int c, int t, int f, SeparatorConfig.Dprnn cfg, long batch) {
        SDVariable y = x;
        for (int i = 0; i < cfg.blocks(); i++) {
            String b = name + ".blocks." + i;
            // along time: sequences of length t, one per (example, frequency)
            SDVariable rows = y.permute(0, 3, 2, 1).reshape(-1, t, c);
            SDVariable r = path(g, b + ".row", rows, c, t, cfg, batch < 0 ? -1 : batch * f);
            y = y.add(norm(g, b + ".row_norm", r.reshape(-1, f, t, c).permute(0, 3, 2, 1), c));
            // along frequency: sequences of length f, one per (example, frame)
            SDVariable cols = y.permute(0, 2, 3, 1).reshape(-1, f, c);
            SDVariable q = path(g, b + ".col", cols, c, f, cfg, batch < 0 ? -1 : batch * t);
            y = y.add(norm(g, b + ".col_norm", q.reshape(-1, t, f, c).permute(0, 3, 1, 2), c));
        }
        SDVariable out = Regularization.prelu(g, name + ".output.0", y, c, 4);
        return Conv2d.pointwise(name + ".output.1", c, c, true).apply(g, out);
    }

    private static SDVariable path(Graph g, String name, SDVariable seq, int c, int length, SeparatorConfig.Dprnn cfg, long batch) {
        Recurrent rnn = new Recurrent(name + "_rnn", Recurrent.Cell.GRU, c, cfg.hidden(), cfg.layers(), true, cfg.dropout());
        SDVariable h = rnn.apply(g, seq, length, batch);                                   // [N, length, 2H]
        return new Linear(name + "_fc", rnn.outputSize(), c).apply(g, h.reshape(-1, rnn.outputSize()));
    }

    private static SDVariable norm(Graph g, String name, SDVariable x, int c) {
        return new GroupNorm(name, 1, c, 1e-8).apply(g, x);
    }
}

package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/** Dropout and PReLU with PyTorch's semantics. */
public final class Regularization {

    private Regularization() {
    }

    /**
     * Inverted dropout: in a training graph each element is kept with probability 1 − p and scaled
     * by 1/(1 − p) (torch.nn.Dropout); in an evaluation graph the identity.
     */
    public static SDVariable dropout(Graph g, SDVariable x, double p) {
        return dropout(g, x, p, x.getShape());
    }

    /** Dropout of an input whose shape SameDiff cannot infer while building (e.g. recurrent outputs). */
    public static SDVariable dropout(Graph g, SDVariable x, double p, long[] shape) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        if (!g.training() || p == 0) {
            return x;
        }
        if (shape == null || java.util.Arrays.stream(shape).anyMatch(d -> d < 0)) {
            // ND4J M2.1's dropout and random ops need a static shape (its dropout op fails on -1)
            throw new IllegalArgumentException("dropout in a training graph needs the input's full shape (a fixed batch "
                    + "size) when the graph is built, got " + java.util.Arrays.toString(shape));
        }
        SDVariable u = g.sd().random().uniform(0.0, 1.0, g.dtype(), shape);
        SDVariable keep = g.sd().math().step(u, p);                      // 1 where u > p: kept with probability 1 − p
        return x.mul(keep).div(1 - p);
    }

    /** torch.nn.PReLU(channels): max(0, x) + a·min(0, x) with one slope per channel (axis 1), init 0.25. */
    public static SDVariable prelu(Graph g, String name, SDVariable x, int channels, int rank) {
        long[] shape = new long[rank];
        java.util.Arrays.fill(shape, 1);
        shape[1] = channels;
        SDVariable a = g.constant(name + ".weight", 0.25, channels).reshape(shape);
        SDVariable pos = g.sd().nn().relu(x, 0);
        SDVariable neg = x.sub(pos);
        return pos.add(neg.mul(a));
    }
}

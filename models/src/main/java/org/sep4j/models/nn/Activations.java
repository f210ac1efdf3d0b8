package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/** Element-wise activations with PyTorch's definitions. */
public final class Activations {

    private Activations() {
    }

    /** Exact GELU: x·Φ(x) = 0.5·x·(1 + erf(x/√2)) (torch.nn.GELU default, not the tanh approximation). */
    public static SDVariable gelu(Graph g, SDVariable x) {
        return x.mul(0.5).mul(g.sd().math().erf(x.mul(1 / Math.sqrt(2))).add(1.0));
    }

    public static SDVariable relu(Graph g, SDVariable x) {
        return g.sd().nn().relu(x, 0);
    }

    /** torch.nn.LeakyReLU(negative_slope). */
    public static SDVariable leakyRelu(Graph g, SDVariable x, double slope) {
        return g.sd().nn().leakyRelu(x, slope);
    }

    public static SDVariable sigmoid(Graph g, SDVariable x) {
        return g.sd().nn().sigmoid(x);
    }

    public static SDVariable tanh(Graph g, SDVariable x) {
        return g.sd().math().tanh(x);
    }
}

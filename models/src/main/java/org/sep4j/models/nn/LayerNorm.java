package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Layer normalisation over the last axis, as torch.nn.LayerNorm(features, eps): biased variance,
 * y = (x − mean)/√(var + eps)·weight + bias; parameters {@code weight} (ones) and {@code bias} (zeros).
 */
public final class LayerNorm extends Module {

    private final int features;
    private final double eps;
    private final boolean affine;

    public LayerNorm(String name, int features, double eps, boolean affine) {
        super(name);
        this.features = features;
        this.eps = eps;
        this.affine = affine;
    }

    public LayerNorm(String name, int features) {
        this(name, features, 1e-5, true);
    }

    @Override
    public SDVariable apply(Graph g, SDVariable x) {
        // Normalise [N, features] rows and restore the input's shape: ND4J M2.1 reductions mishandle
        // negative axes for rank > 2, and the rank is not always known while the graph is built.
        SDVariable rows = x.reshape(-1, features);
        SDVariable mean = rows.mean(true, 1);
        SDVariable centred = rows.sub(mean);
        SDVariable var = centred.mul(centred).mean(true, 1);
        SDVariable y = centred.div(g.sd().math().sqrt(var.add(eps))).reshape(x.shape());
        if (!affine) {
            return y;
        }
        return y.mul(g.constant(key("weight"), 1, features)).add(g.constant(key("bias"), 0, features));
    }
}

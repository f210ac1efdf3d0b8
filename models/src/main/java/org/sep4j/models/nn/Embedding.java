package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;

/** torch.nn.Embedding(count, dim): rows of {@code weight [count, dim]} by integer index (N(0, 1) init). */
public final class Embedding extends Module {

    private final int count;
    private final int dim;

    public Embedding(String name, int count, int dim) {
        super(name);
        this.count = count;
        this.dim = dim;
    }

    /** {@code ids} (integral values, any float or int type) {@code [...]} → {@code [..., dim]}. */
    @Override
    public SDVariable apply(Graph g, SDVariable ids) {
        SDVariable w = g.uniform(key("weight"), Math.sqrt(3), count, dim); // unit variance
        return g.sd().gather(w, ids.castTo(DataType.INT64), 0);
    }
}

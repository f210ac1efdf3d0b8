package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * torch.nn.Embedding(count, dim): rows of {@code weight [count, dim]} by integer index (unit-variance
 * init). A training graph selects rows by a one-hot product (ND4J M2.1's gather gradient runs as a
 * control-flow loop that fails); an evaluation graph gathers.
 */
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
        if (!g.training()) {
            return g.sd().gather(w, ids.castTo(DataType.INT64), 0);
        }
        SDVariable flat = ids.castTo(DataType.INT64).reshape(-1);
        SDVariable rows = g.sd().oneHot(flat, count).castTo(g.dtype()).mmul(w);                   // [N, dim]
        SDVariable shape = g.sd().concat(0, ids.shape(), g.sd().constant(org.nd4j.linalg.factory.Nd4j.createFromArray((long) dim)));
        return rows.reshape(shape);
    }
}

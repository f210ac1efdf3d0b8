package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalisation as torch.nn.BatchNorm1d/2d over {@code [B, C]}, {@code [B, C, L]} or
 * {@code [B, C, H, W]} (give the rank): in a training graph, batch statistics (biased variance)
 * normalise and the running statistics follow them (unbiased variance) with {@code momentum} after
 * each step; in an evaluation graph the running statistics normalise. Parameters {@code weight},
 * {@code bias} (when affine); buffers {@code running_mean}, {@code running_var},
 * {@code num_batches_tracked}.
 */
public final class BatchNorm extends Module {

    private final int channels;
    private final int rank;
    private final double eps;
    private final double momentum;
    private final boolean affine;

    public BatchNorm(String name, int channels, int rank, double eps, double momentum, boolean affine) {
        super(name);
        if (rank < 2 || rank > 4) {
            throw new IllegalArgumentException(name + ": batch norm inputs have rank 2, 3 or 4, got " + rank);
        }
        this.channels = channels;
        this.rank = rank;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
    }

    /** torch defaults: eps 1e-5, momentum 0.1, affine. */
    public static BatchNorm of(String name, int channels, int rank) {
        return new BatchNorm(name, channels, rank, 1e-5, 0.1, true);
    }

    @Override
    public SDVariable apply(Graph g, SDVariable x) {
        long[] shape = new long[rank];
        java.util.Arrays.fill(shape, 1);
        shape[1] = channels;
        SDVariable runningMean = g.buffer(key("running_mean"), Nd4j.zeros(g.dtype(), channels));
        SDVariable runningVar = g.buffer(key("running_var"), Nd4j.ones(g.dtype(), channels));
        g.buffer(key("num_batches_tracked"), Nd4j.zeros(g.dtype(), 1));
        SDVariable mean;
        SDVariable var;
        if (g.training()) {
            // statistics over every axis but the channel one: move channels first and flatten the rest
            SDVariable flat = rank == 2 ? x.permute(1, 0) : rank == 3 ? x.permute(1, 0, 2).reshape(channels, -1)
                    : x.permute(1, 0, 2, 3).reshape(channels, -1);
            SDVariable m = flat.mean(true, 1);                                       // [C, 1]
            SDVariable centred = flat.sub(m);
            SDVariable sq = centred.mul(centred);
            SDVariable v = sq.mean(true, 1);
            SDVariable count = g.sd().sizeAt(flat, 1).castTo(g.dtype());
            SDVariable unbiased = sq.sum(true, 1).div(count.sub(1.0));
            g.updateAfterStep(key("running_mean"), g.sd().identity(key("batch_mean"), m.reshape(channels)), momentum);
            g.updateAfterStep(key("running_var"), g.sd().identity(key("batch_var"), unbiased.reshape(channels)), momentum);
            mean = m.reshape(shape);
            var = v.reshape(shape);
        } else {
            mean = runningMean.reshape(shape);
            var = runningVar.reshape(shape);
        }
        SDVariable y = x.sub(mean).div(g.sd().math().sqrt(var.add(eps)));
        if (!affine) {
            return y;
        }
        return y.mul(g.constant(key("weight"), 1, channels).reshape(shape))
                .add(g.constant(key("bias"), 0, channels).reshape(shape));
    }
}

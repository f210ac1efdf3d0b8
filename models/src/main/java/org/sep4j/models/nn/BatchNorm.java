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
    private final int axis;

    public BatchNorm(String name, int channels, int rank, double eps, double momentum, boolean affine) {
        this(name, channels, rank, eps, momentum, affine, 1);
    }

    /** @param axis the channel axis (1 as in PyTorch; e.g. 3 normalises the last axis of an image) */
    public BatchNorm(String name, int channels, int rank, double eps, double momentum, boolean affine, int axis) {
        super(name);
        if (rank < 2 || rank > 4) {
            throw new IllegalArgumentException(name + ": batch norm inputs have rank 2, 3 or 4, got " + rank);
        }
        if (axis < 1 || axis >= rank) {
            throw new IllegalArgumentException(name + ": the channel axis must be in [1, " + (rank - 1) + "], got " + axis);
        }
        this.channels = channels;
        this.rank = rank;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.axis = axis;
    }

    /** torch defaults: eps 1e-5, momentum 0.1, affine. */
    public static BatchNorm of(String name, int channels, int rank) {
        return new BatchNorm(name, channels, rank, 1e-5, 0.1, true);
    }

    @Override
    public SDVariable apply(Graph g, SDVariable x) {
        return apply(g, x, null);
    }

    /**
     * Normalises and adds {@code shift} in the same pass (anything broadcastable to the input and
     * smaller than it, e.g. a FiLM β {@code [B, C, 1, 1]} or a time-varying one {@code [B, C, T, 1]}):
     * scale and offset are formed on small tensors, so the large input sees one multiply and one
     * add (and their gradients) instead of a chain of broadcast operations.
     */
    public SDVariable apply(Graph g, SDVariable x, SDVariable shift) {
        return normalise(g, x, shift, Double.NaN);
    }

    /**
     * LeakyReLU(BN(x) + shift) with the given negative slope. A training graph under compiled plans
     * runs an image's batch norm, shift and activation as one fused op ({@link FusedBatchNorm}); the
     * numbers are those of the composition to float rounding.
     */
    public SDVariable applyLeakyRelu(Graph g, SDVariable x, SDVariable shift, double slope) {
        return normalise(g, x, shift, slope);
    }

    private SDVariable normalise(Graph g, SDVariable x, SDVariable shift, double slope) {
        long[] shape = new long[rank];
        java.util.Arrays.fill(shape, 1);
        shape[axis] = channels;
        int[] reduce = new int[rank - 1];
        for (int i = 0, k = 0; i < rank; i++) {
            if (i != axis) {
                reduce[k++] = i;
            }
        }
        SDVariable runningMean = g.buffer(key("running_mean"), Nd4j.zeros(g.dtype(), channels));
        SDVariable runningVar = g.buffer(key("running_var"), Nd4j.ones(g.dtype(), channels));
        g.buffer(key("num_batches_tracked"), Nd4j.zeros(g.dtype(), 1));
        if (g.training() && g.fusesOps() && rank == 4 && axis == 1) {
            g.requirePlans();
            SDVariable[] out = FusedBatchNorm.apply(g, x, affine ? g.constant(key("weight"), 1, channels) : null,
                    affine ? g.constant(key("bias"), 0, channels) : null, shift, eps, slope);
            g.updateAfterStep(key("running_mean"), g.sd().identity(key("batch_mean"), out[1]), momentum);
            g.updateAfterStep(key("running_var"), g.sd().identity(key("batch_var"), out[2]), momentum);
            return out[0];
        }
        SDVariable centred;
        SDVariable var;
        if (g.training()) {
            SDVariable m = x.mean(true, reduce);                                    // [1, C, 1, 1] (channel axis kept)
            centred = x.sub(m);
            SDVariable v = centred.mul(centred).mean(true, reduce);
            SDVariable count = g.sd().size(x).castTo(g.dtype()).div(channels);
            SDVariable unbiased = v.mul(count).div(count.sub(1.0));
            g.updateAfterStep(key("running_mean"), g.sd().identity(key("batch_mean"), m.reshape(channels)), momentum);
            g.updateAfterStep(key("running_var"), g.sd().identity(key("batch_var"), unbiased.reshape(channels)), momentum);
            var = v;
        } else {
            centred = x.sub(runningMean.reshape(shape));
            var = runningVar.reshape(shape);
        }
        SDVariable scale = g.sd().math().rsqrt(var.add(eps));
        SDVariable offset = null;
        if (affine) {
            scale = scale.mul(g.constant(key("weight"), 1, channels).reshape(shape));
            offset = g.constant(key("bias"), 0, channels).reshape(shape);
        }
        if (shift != null) {
            offset = offset == null ? shift : offset.add(shift);
        }
        SDVariable y = centred.mul(scale);
        y = offset == null ? y : y.add(offset);
        return Double.isNaN(slope) ? y : Activations.leakyRelu(g, y, slope);
    }
}

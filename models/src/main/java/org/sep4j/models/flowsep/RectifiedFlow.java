package org.sep4j.models.flowsep;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * FlowSep's rectified flow: a straight path from noise ε to data x₁,
 * x_t = (1 − (1 − σ_min)·t)·ε + t·x₁, whose velocity v* = x₁ − (1 − σ_min)·ε the network regresses
 * (L = mean‖v_θ(x_t, t, c) − v*‖²); sampling integrates dx/dt = v_θ from t = 0 (noise) to 1 by
 * Euler steps. Arrays are {@code [B, ...]}, t one value per item.
 */
public final class RectifiedFlow {

    /** The spec's σ_min: the path ends at x₁ with noise of this scale left. */
    public static final double SIGMA_MIN = 1e-4;

    private final double sigmaMin;

    public RectifiedFlow(double sigmaMin) {
        if (!(sigmaMin >= 0 && sigmaMin < 1)) {
            throw new IllegalArgumentException("flow sigma_min: expected 0 <= sigma_min < 1, found " + sigmaMin);
        }
        this.sigmaMin = sigmaMin;
    }

    public double sigmaMin() {
        return sigmaMin;
    }

    /** x_t for each item's t. */
    public INDArray path(INDArray x1, INDArray noise, double[] t) {
        requireSame(x1, noise);
        if (t.length != x1.size(0)) {
            throw new IllegalArgumentException("flow path: " + x1.size(0) + " items, " + t.length + " times");
        }
        long[] shape = new long[x1.rank()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = t.length;
        double[] a = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            a[i] = 1 - (1 - sigmaMin) * t[i];
        }
        INDArray ta = Nd4j.createFromArray(t).castTo(x1.dataType()).reshape(shape);
        INDArray aa = Nd4j.createFromArray(a).castTo(x1.dataType()).reshape(shape);
        return noise.mul(aa).addi(x1.mul(ta));
    }

    /** The path's velocity v* = x₁ − (1 − σ_min)·ε (the same at every t). */
    public INDArray velocity(INDArray x1, INDArray noise) {
        requireSame(x1, noise);
        return x1.sub(noise.mul(1 - sigmaMin));
    }

    /** A velocity field v(x, t). */
    public interface Field {
        INDArray at(INDArray x, double t);
    }

    /** Euler's method from {@code noise} at t = 0: x ← x + (1/N)·v(x, k/N) for k = 0 … N−1. */
    public static INDArray euler(INDArray noise, int steps, Field v) {
        if (steps < 1) {
            throw new IllegalArgumentException("flow steps: expected at least 1 Euler step, found " + steps);
        }
        INDArray x = noise.dup();
        for (int k = 0; k < steps; k++) {
            x.addi(v.at(x, (double) k / steps).mul(1.0 / steps));
        }
        return x;
    }

    private static void requireSame(INDArray a, INDArray b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("flow: data " + java.util.Arrays.toString(a.shape()) + " and noise "
                    + java.util.Arrays.toString(b.shape()) + " must have one shape");
        }
    }
}

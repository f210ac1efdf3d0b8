package org.sep4j.training.optim;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * PyTorch's update rules on ND4J arrays, one state per parameter name:
 * <ul>
 *   <li>ADAMW: p ← p·(1 − lr·wd); m, v moments; optional AMSGrad max of v; p ← p − lr/(1 − β1ᵗ)·m/(√v̂/√(1 − β2ᵗ) + ε).</li>
 *   <li>ADAM: the same with L2 decay added to the gradient instead.</li>
 *   <li>SGD: buf ← μ·buf + g (+ wd·p); p ← p − lr·buf, or with Nesterov p ← p − lr·(g + μ·buf).</li>
 * </ul>
 * Parameters are grouped by the first {@link ParamGroup} that selects them; a parameter no group
 * selects is frozen (left unchanged).
 */
public final class Optimizer {

    public enum Kind { ADAMW, ADAM, SGD }

    /**
     * @param kind     rule
     * @param beta1    Adam β1, or SGD momentum
     * @param beta2    Adam β2
     * @param eps      Adam ε
     * @param amsgrad  keep the running maximum of v
     * @param nesterov SGD Nesterov momentum
     */
    public record Settings(Kind kind, double beta1, double beta2, double eps, boolean amsgrad, boolean nesterov) {

        public static Settings adamw(boolean amsgrad) {
            return new Settings(Kind.ADAMW, 0.9, 0.999, 1e-8, amsgrad, false);
        }

        public static Settings sgd(double momentum, boolean nesterov) {
            return new Settings(Kind.SGD, momentum, 0, 0, false, nesterov);
        }
    }

    /** Per-parameter state (m, v, v_max or the momentum buffer), saved in checkpoints. */
    public static final class State {
        INDArray m;
        INDArray v;
        INDArray vmax;
        long step;

        public Map<String, INDArray> arrays() {
            Map<String, INDArray> out = new LinkedHashMap<>();
            if (m != null) {
                out.put("m", m);
            }
            if (v != null) {
                out.put("v", v);
            }
            if (vmax != null) {
                out.put("vmax", vmax);
            }
            return out;
        }

        public long step() {
            return step;
        }
    }

    private final Settings settings;
    private final List<ParamGroup> groups;
    private final Map<String, State> state = new LinkedHashMap<>();

    public Optimizer(Settings settings, List<ParamGroup> groups) {
        this.settings = settings;
        this.groups = List.copyOf(groups);
    }

    public Map<String, State> state() {
        return state;
    }

    /** Puts back a parameter's state from a checkpoint. */
    public void restore(String name, Map<String, INDArray> arrays, long step) {
        State s = new State();
        s.m = arrays.get("m");
        s.v = arrays.get("v");
        s.vmax = arrays.get("vmax");
        s.step = step;
        state.put(name, s);
    }

    /** The group a parameter belongs to, or null when frozen. */
    public ParamGroup group(String name) {
        for (ParamGroup g : groups) {
            if (g.selects().test(name)) {
                return g;
            }
        }
        return null;
    }

    /** One update of every grouped parameter with its gradient, at base learning rate {@code lr}. */
    public void step(Map<String, INDArray> params, Map<String, INDArray> grads, double lr) {
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            ParamGroup g = group(e.getKey());
            INDArray grad = grads.get(e.getKey());
            if (g == null || grad == null) {
                continue;
            }
            update(e.getKey(), e.getValue(), grad, lr * g.lrScale(), g.weightDecay());
        }
    }

    private void update(String name, INDArray p, INDArray grad, double lr, double wd) {
        State s = state.computeIfAbsent(name, k -> new State());
        s.step++;
        if (grad.dataType() == p.dataType() && java.util.Arrays.equals(grad.shape(), p.shape()) && Flat.is(p) && Flat.is(grad)
                && (s.m == null || Flat.is(s.m)) && (s.v == null || Flat.is(s.v)) && (s.vmax == null || Flat.is(s.vmax))) {
            fused(s, p, grad, lr, wd);
            return;
        }
        INDArray g = grad.castTo(p.dataType());
        Settings c = settings;
        switch (c.kind()) {
            case SGD -> {
                if (wd != 0) {
                    g = g.add(p.mul(wd));
                }
                if (c.beta1() != 0) {
                    s.m = s.m == null ? g.dup() : s.m.muli(c.beta1()).addi(g);
                    g = c.nesterov() ? g.add(s.m.mul(c.beta1())) : s.m;
                }
                p.subi(g.mul(lr));
            }
            case ADAM, ADAMW -> {
                if (c.kind() == Kind.ADAMW) {
                    p.muli(1 - lr * wd);
                } else if (wd != 0) {
                    g = g.add(p.mul(wd));
                }
                if (s.m == null) {
                    s.m = Nd4j.zerosLike(p);
                    s.v = Nd4j.zerosLike(p);
                    if (c.amsgrad()) {
                        s.vmax = Nd4j.zerosLike(p);
                    }
                }
                s.m.muli(c.beta1()).addi(g.mul(1 - c.beta1()));
                s.v.muli(c.beta2()).addi(g.mul(g).muli(1 - c.beta2()));
                double bc1 = 1 - Math.pow(c.beta1(), s.step);
                double bc2 = 1 - Math.pow(c.beta2(), s.step);
                INDArray second = s.v;
                if (c.amsgrad()) {
                    Transforms.max(s.vmax, s.v, false);
                    second = s.vmax;
                }
                INDArray denom = Transforms.sqrt(second, true).divi(Math.sqrt(bc2)).addi(c.eps());
                p.subi(s.m.div(denom).muli(lr / bc1));
            }
        }
    }

    /**
     * The same rules as {@link #update} in one pass over the elements (float32 in float arithmetic,
     * float64 in double, the same operation order as the ND4J path, so the same numbers); large
     * parameters are split across cores.
     */
    private void fused(State s, INDArray p, INDArray grad, double lr, double wd) {
        Settings c = settings;
        boolean adam = c.kind() != Kind.SGD;
        boolean firstMomentum = !adam && s.m == null; // torch's SGD starts its buffer at the first gradient
        if (s.m == null && (adam || c.beta1() != 0)) {
            s.m = Nd4j.zerosLike(p);
            if (adam) {
                s.v = Nd4j.zerosLike(p);
                if (c.amsgrad()) {
                    s.vmax = Nd4j.zerosLike(p);
                }
            }
        }
        MemorySegment ps = Flat.of(p);
        MemorySegment gs = Flat.of(grad);
        MemorySegment ms = s.m == null ? null : Flat.of(s.m);
        MemorySegment vs = s.v == null ? null : Flat.of(s.v);
        MemorySegment xs = s.vmax == null ? null : Flat.of(s.vmax);
        double bc1 = 1 - Math.pow(c.beta1(), s.step);
        double bc2 = 1 - Math.pow(c.beta2(), s.step);
        long n = p.length();
        boolean dbl = p.dataType() == DataType.DOUBLE;
        Range body = (from, to) -> {
            if (adam && dbl) {
                Kernels.adam(ps, gs, ms, vs, xs, from, to, c.kind() == Kind.ADAMW, 1 - lr * wd, wd, c.beta1(), c.beta2(),
                        1 - c.beta1(), 1 - c.beta2(), Math.sqrt(bc2), c.eps(), lr / bc1);
            } else if (adam) {
                Kernels.adam(ps, gs, ms, vs, xs, from, to, c.kind() == Kind.ADAMW, (float) (1 - lr * wd), (float) wd,
                        (float) c.beta1(), (float) c.beta2(), (float) (1 - c.beta1()), (float) (1 - c.beta2()),
                        (float) Math.sqrt(bc2), (float) c.eps(), (float) (lr / bc1));
            } else if (dbl) {
                Kernels.sgd(ps, gs, ms, from, to, wd, c.beta1(), c.nesterov(), firstMomentum, lr);
            } else {
                Kernels.sgd(ps, gs, ms, from, to, (float) wd, (float) c.beta1(), c.nesterov(), firstMomentum, (float) lr);
            }
        };
        Kernels.split(n, body);
    }

    /** A half-open element range [from, to). */
    @FunctionalInterface
    interface Range {
        void run(long from, long to);
    }

    /**
     * Scales the gradients in place so their global L2 norm is at most {@code maxNorm}
     * (torch.nn.utils.clip_grad_norm_: factor maxNorm/(norm + 1e-6) when below 1).
     *
     * @return the norm before clipping
     */
    public static double clipGlobalNorm(Map<String, INDArray> grads, double maxNorm) {
        double norm = globalNorm(grads);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            for (INDArray g : grads.values()) {
                if (Flat.is(g)) {
                    Kernels.scale(Flat.of(g), g.length(), g.dataType() == DataType.DOUBLE, coef);
                } else {
                    g.muli(coef);
                }
            }
        }
        return norm;
    }

    /** The L2 norm of all gradients together (NaN or infinite when any element is). */
    public static double globalNorm(Map<String, INDArray> grads) {
        double sq = 0;
        for (INDArray g : grads.values()) {
            if (Flat.is(g)) {
                sq += Kernels.sumOfSquares(Flat.of(g), g.length(), g.dataType() == DataType.DOUBLE);
            } else {
                double n = g.norm2Number().doubleValue();
                sq += n * n;
            }
        }
        return Math.sqrt(sq);
    }
}

package org.sep4j.models.nn;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOpDescriptor;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training-mode batch norm of an image {@code [B, C, H, W]} over its channel axis, plus a broadcast
 * shift (a FiLM β) and an optional leaky ReLU, as one op with one backward op, both run by
 * {@link Plan} as Java loops ({@link Plan.JavaOp}) over the plan's arrays. Decomposed into SameDiff
 * ops the same layer is ~7 forward and ~12 backward passes over the image (means, centring, squares,
 * scale, offset, activation, the broadcast gradients and their sums), and libnd4j's leaky ReLU and
 * its gradient are slow scalar loops; here the forward op reads the image twice (both moments in one
 * pass, then the output) and the backward op twice (both sums in one pass, then the gradient). Statistics are summed in double per
 * (batch, channel) plane and the planes combined in a fixed order, so results do not depend on the
 * number of threads. Plans only: SameDiff's executor cannot run these ops, so {@link BatchNorm}
 * builds them only for a training graph that runs under plans.
 */
public final class FusedBatchNorm {

    private static final String FORWARD = "sep4j_batch_norm";
    private static final String BACKWARD = "sep4j_batch_norm_bp";

    static {
        // SameDiff clones a graph through its FlatBuffers form to derive gradients, writing each op's
        // number from the executioner's table of libnd4j ops and finding the op's class again by its
        // name: both tables must know these two. The executioner's table is read-only, so it is
        // replaced by a copy with them added (its field is protected, in a class on the class path).
        org.nd4j.imports.converters.ImportClassMapping.getOpNameMapping().put(FORWARD, new Forward());
        org.nd4j.imports.converters.ImportClassMapping.getOpNameMapping().put(BACKWARD, new Backward());
        org.nd4j.linalg.api.ops.executioner.OpExecutioner executioner = Nd4j.getExecutioner();
        java.util.Map<String, CustomOpDescriptor> ops = new java.util.HashMap<>(executioner.getCustomOperations());
        ops.put(FORWARD, new CustomOpDescriptor(0x5e94_0000_0000_0001L, -1, -1, false, -1, -1));
        ops.put(BACKWARD, new CustomOpDescriptor(0x5e94_0000_0000_0002L, -1, -1, false, -1, -1));
        try {
            java.lang.reflect.Field f = null;
            for (Class<?> c = executioner.getClass(); c != null && f == null; c = c.getSuperclass()) {
                try {
                    f = c.getDeclaredField("customOps");
                } catch (NoSuchFieldException e) {
                    // look in the superclass
                }
            }
            if (f == null) {
                throw new NoSuchFieldException("customOps in " + executioner.getClass().getName());
            }
            f.setAccessible(true);
            f.set(executioner, java.util.Collections.unmodifiableMap(ops));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private FusedBatchNorm() {
    }

    /**
     * y = act((x − μ)·γ/√(σ² + ε) + β + shift) with batch statistics.
     *
     * @param weight γ {@code [C]} or null (no affine), then bias must be null too
     * @param shift  broadcastable to x, or null
     * @param slope  the leaky ReLU's negative slope, or NaN for no activation
     * @return y, the batch mean {@code [C]} and the unbiased batch variance {@code [C]} (for running statistics)
     */
    static SDVariable[] apply(Graph g, SDVariable x, SDVariable weight, SDVariable bias, SDVariable shift, double eps, double slope) {
        List<SDVariable> in = new ArrayList<>(List.of(x));
        if (weight != null) {
            in.add(weight);
            in.add(bias);
        }
        if (shift != null) {
            in.add(shift);
        }
        Forward op = new Forward(g.sd(), in.toArray(SDVariable[]::new), weight != null, shift != null, eps, slope);
        SDVariable[] out = op.outputVariables();
        return new SDVariable[] {out[0], out[1], out[2]};
    }

    /** The ops' settings live in their integer and float arguments, which SameDiff's clones carry. */
    private abstract static class Fused extends DynamicCustomOp implements Plan.JavaOp {
        Fused() {
        }

        Fused(SameDiff sd, SDVariable[] in, boolean affine, boolean shifted, double eps, double slope) {
            super(null, sd, in);
            addIArgument(affine ? 1 : 0, shifted ? 1 : 0);
            addTArgument(eps, slope);
        }

        boolean affine() {
            return iArgs()[0] == 1;
        }

        boolean shifted() {
            return iArgs()[1] == 1;
        }

        double eps() {
            return tArgs()[0];
        }

        double slope() {
            return tArgs()[1];
        }

        @Override
        public long opHash() {
            return Nd4j.getExecutioner().getCustomOperations().get(opName()).getHash();
        }

        @Override
        public java.util.Map<String, Object> propertiesForFunction() {
            return java.util.Map.of();
        }

        @Override
        public void setPropertiesForFunction(java.util.Map<String, Object> properties) {
        }
    }

    /** Inputs {@code [x, (γ, β), (shift)]}; outputs {@code [y, mean, unbiased var, 1/√(biased var + ε)]}. */
    public static final class Forward extends Fused {
        /** For SameDiff's deserialisation. */
        public Forward() {
        }

        Forward(SameDiff sd, SDVariable[] in, boolean affine, boolean shifted, double eps, double slope) {
            super(sd, in, affine, shifted, eps, slope);
        }

        @Override
        public String opName() {
            return FORWARD;
        }

        @Override
        public int getNumOutputs() {
            return 4;
        }

        @Override
        public List<DataType> calculateOutputDataTypes(List<DataType> in) {
            return List.of(in.get(0), in.get(0), in.get(0), in.get(0));
        }

        @Override
        public List<LongShapeDescriptor> calculateOutputShape(OpContext oc) {
            INDArray x = oc.getInputArray(0);
            LongShapeDescriptor c = perChannel(x);
            return List.of(LongShapeDescriptor.fromShape(x.shape(), x.dataType()), c, c, c);
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            // Only y carries a gradient: the statistics outputs feed the running-statistics update alone.
            SDVariable[] out = outputVariables();
            SDVariable[] args = args();
            List<SDVariable> in = new ArrayList<>(List.of(args[0], out[0], out[1], out[3], grads.get(0)));
            if (affine()) {
                in.add(args[1]);
            }
            if (shifted()) {
                in.add(args[args.length - 1]);
            }
            Backward bp = new Backward(sameDiff, in.toArray(SDVariable[]::new), affine(), shifted(), eps(), slope());
            return Arrays.asList(bp.outputVariables());
        }

        @Override
        public void run(OpContext ctx) {
            Image x = new Image(ctx.getInputArray(0));
            INDArray gamma = affine() ? ctx.getInputArray(1) : null;
            INDArray beta = affine() ? ctx.getInputArray(2) : null;
            INDArray shift = shifted() ? ctx.getInputArray(affine() ? 3 : 1) : null;
            Image y = new Image(ctx.getOutputArray(0));
            int c = x.c;
            double[][] moments = x.moments();
            double[] mean = moments[0];
            double[] var = moments[1]; // Σ (x − μ)² per channel
            double[] invStd = new double[c];
            double[] scale = new double[c];
            double[] offset = new double[c];
            for (int k = 0; k < c; k++) {
                double biased = var[k] / x.perChannel;
                invStd[k] = 1 / Math.sqrt(biased + eps());
                scale[k] = gamma == null ? invStd[k] : gamma.getDouble(k) * invStd[k];
                offset[k] = beta == null ? 0 : beta.getDouble(k);
                var[k] = x.perChannel > 1 ? var[k] / (x.perChannel - 1) : Double.NaN;
            }
            x.normalise(y, mean, scale, offset, shift == null ? null : new Shift(shift, x), slope());
            put(ctx.getOutputArray(1), mean);
            put(ctx.getOutputArray(2), var);
            put(ctx.getOutputArray(3), invStd);
        }
    }

    /**
     * Inputs {@code [x, y, mean, invStd, dy, (γ), (shift)]}; outputs {@code [dx, (dγ, dβ), (dshift)]}, the
     * forward op's inputs in order. dx = γ/σ·(dz − mean(dz) − x̂·mean(dz·x̂)) with dz the gradient at
     * the activation's input (from the sign of y) and x̂ = (x − μ)/σ.
     */
    public static final class Backward extends Fused {
        /** For SameDiff's deserialisation. */
        public Backward() {
        }

        Backward(SameDiff sd, SDVariable[] in, boolean affine, boolean shifted, double eps, double slope) {
            super(sd, in, affine, shifted, eps, slope);
        }

        @Override
        public String opName() {
            return BACKWARD;
        }

        @Override
        public int getNumOutputs() {
            return 1 + (affine() ? 2 : 0) + (shifted() ? 1 : 0);
        }

        @Override
        public List<DataType> calculateOutputDataTypes(List<DataType> in) {
            return java.util.Collections.nCopies(getNumOutputs(), in.get(0));
        }

        @Override
        public List<LongShapeDescriptor> calculateOutputShape(OpContext oc) {
            INDArray x = oc.getInputArray(0);
            List<LongShapeDescriptor> out = new ArrayList<>(List.of(LongShapeDescriptor.fromShape(x.shape(), x.dataType())));
            if (affine()) {
                out.add(perChannel(x));
                out.add(perChannel(x));
            }
            if (shifted()) {
                out.add(LongShapeDescriptor.fromShape(oc.getInputArray(oc.numInputArguments() - 1).shape(), x.dataType()));
            }
            return out;
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            throw new UnsupportedOperationException("the fused batch norm has no second derivative");
        }

        @Override
        public void run(OpContext ctx) {
            Image x = new Image(ctx.getInputArray(0));
            Image y = new Image(ctx.getInputArray(1));
            double[] mean = ctx.getInputArray(2).toDoubleVector();
            double[] invStd = ctx.getInputArray(3).toDoubleVector();
            Image dy = new Image(ctx.getInputArray(4));
            INDArray gamma = affine() ? ctx.getInputArray(5) : null;
            Image dx = new Image(ctx.getOutputArray(0));
            Shift dShift = null;
            if (shifted()) {
                INDArray ds = ctx.getOutputArray(affine() ? 3 : 1);
                ds.assign(0);
                dShift = new Shift(ds, x);
            }
            double[][] sums = x.gradientSums(mean, dy, y, slope(), dShift);
            double[] sumDz = sums[0];
            double[] sumDzX = sums[1];
            int c = x.c;
            double n = x.perChannel;
            double[] k = new double[c];
            double[] a1 = new double[c];
            double[] a2 = new double[c];
            for (int j = 0; j < c; j++) {
                double dGamma = sumDzX[j] * invStd[j];          // Σ dz·x̂
                k[j] = (gamma == null ? 1 : gamma.getDouble(j)) * invStd[j];
                a1[j] = sumDz[j] / n;
                a2[j] = dGamma * invStd[j] / n;
                sumDzX[j] = dGamma;
            }
            x.inputGradient(dx, dy, y, slope(), mean, k, a1, a2);
            if (affine()) {
                put(ctx.getOutputArray(1), sumDzX);
                put(ctx.getOutputArray(2), sumDz);
            }
        }
    }

    /** The shape of a per-channel vector of image x. */
    private static LongShapeDescriptor perChannel(INDArray x) {
        return LongShapeDescriptor.fromShape(new long[] {x.size(1)}, x.dataType());
    }

    private static void put(INDArray a, double[] v) {
        for (int i = 0; i < v.length; i++) {
            a.putScalar(i, v[i]);
        }
    }

    /** Float or double elements of a C-ordered array in native memory. */
    private static final class Values {
        final MemorySegment s;
        final boolean f32;

        Values(INDArray a) {
            if (!NativeArrays.contiguous(a)) {
                throw new IllegalStateException("fused batch norm: array of shape " + Arrays.toString(a.shape())
                        + " is not C-contiguous");
            }
            DataType t = a.dataType();
            if (t != DataType.FLOAT && t != DataType.DOUBLE) {
                throw new IllegalStateException("fused batch norm: float or double arrays, got " + t);
            }
            f32 = t == DataType.FLOAT;
            s = NativeArrays.segment(a);
        }

        double get(long i) {
            return f32 ? s.getAtIndex(JAVA_FLOAT, i) : s.getAtIndex(JAVA_DOUBLE, i);
        }

        void set(long i, double v) {
            if (f32) {
                s.setAtIndex(JAVA_FLOAT, i, (float) v);
            } else {
                s.setAtIndex(JAVA_DOUBLE, i, v);
            }
        }

        void add(long i, double v) {
            set(i, get(i) + v);
        }
    }

    /** A shift broadcast over an image: element strides per image axis, 0 along broadcast axes. */
    private static final class Shift {
        final Values v;
        final long[] stride = new long[4];
        /** Whether planes (b, c) own disjoint shift elements, so planes may accumulate its gradient in parallel. */
        final boolean perPlane;

        Shift(INDArray s, Image x) {
            if (s.rank() != 4) {
                throw new IllegalStateException("fused batch norm: the shift must have rank 4, got " + Arrays.toString(s.shape()));
            }
            v = new Values(s);
            long st = 1;
            for (int d = 3; d >= 0; d--) {
                long n = s.size(d);
                if (n != 1 && n != x.dims[d]) {
                    throw new IllegalStateException("fused batch norm: shift " + Arrays.toString(s.shape())
                            + " does not broadcast to " + Arrays.toString(x.dims));
                }
                stride[d] = n == 1 ? 0 : st;
                st *= n;
            }
            perPlane = (stride[0] != 0 || x.dims[0] == 1) && (stride[1] != 0 || x.dims[1] == 1);
        }
    }

    /** An image {@code [B, C, H, W]}; its planes (b, c) are the units of parallel work. */
    private static final class Image {
        /** Below this many elements the planes run on the calling thread. */
        private static final long PARALLEL = 1 << 15;
        final Values v;
        final long[] dims;
        final int c;
        final long plane;
        final long perChannel;

        Image(INDArray a) {
            if (a.rank() != 4) {
                throw new IllegalStateException("fused batch norm: rank-4 input, got " + Arrays.toString(a.shape()));
            }
            v = new Values(a);
            dims = a.shape();
            c = (int) dims[1];
            plane = dims[2] * dims[3];
            perChannel = dims[0] * plane;
        }

        private void forEachPlane(boolean parallel, java.util.function.IntConsumer body) {
            IntStream planes = IntStream.range(0, (int) (dims[0] * c));
            (parallel && perChannel * c >= PARALLEL ? planes.parallel() : planes).forEach(body);
        }

        /** Float rows run the specialised loops of {@link F32}: lanes of float sums, no per-element branches. */
        private boolean fast(double slope) {
            return v.f32 && (Double.isNaN(slope) || slope >= 0 && slope <= 1);
        }

        /**
         * Per channel the mean and Σ (x − μ)², in one pass: each plane sums x − p and (x − p)² about its
         * first element p (so the squares do not cancel), and the planes are combined in order by
         * Chan et al.'s pairwise formula.
         */
        double[][] moments() {
            int planes = (int) (dims[0] * c);
            double[] s1 = new double[planes];
            double[] s2 = new double[planes];
            double[] pivot = new double[planes];
            boolean fast = v.f32;
            forEachPlane(true, p -> {
                long base = (long) p * plane;
                double pv = v.get(base);
                double[] two = new double[2];
                if (fast) {
                    F32.moments(v.s, base, plane, (float) pv, two);
                } else {
                    for (long i = base; i < base + plane; i++) {
                        double d = v.get(i) - pv;
                        two[0] += d;
                        two[1] += d * d;
                    }
                }
                pivot[p] = pv;
                s1[p] = two[0];
                s2[p] = two[1];
            });
            double[] mean = new double[c];
            double[] m2 = new double[c];
            double[] count = new double[c];
            for (int p = 0; p < planes; p++) {
                int ch = p % c;
                double n = plane;
                double mp = pivot[p] + s1[p] / n;
                double m2p = Math.max(0, s2[p] - s1[p] * s1[p] / n);
                double total = count[ch] + n;
                double delta = mp - mean[ch];
                mean[ch] += delta * n / total;
                m2[ch] += m2p + delta * delta * count[ch] * n / total;
                count[ch] = total;
            }
            return new double[][] {mean, m2};
        }

        /**
         * Per channel Σ dz and Σ dz·(x − μ) in one pass, dz = dy through the activation's gradient (slope
         * NaN: none) read from y; Σ dz also goes into the shift's gradient dShift where there is one.
         * Rows are summed in double, planes in order.
         */
        double[][] gradientSums(double[] mean, Image grad, Image y, double slope, Shift dShift) {
            int planes = (int) (dims[0] * c);
            double[] s1 = new double[planes];
            double[] s2 = new double[planes];
            boolean fast = fast(slope) && (dShift == null || dShift.stride[3] == 0);
            float fs = Double.isNaN(slope) ? 1f : (float) slope;
            forEachPlane(dShift == null || dShift.perPlane, p -> {
                int ch = p % c;
                long b = p / c;
                long base = (long) p * plane;
                double m = mean[ch];
                double[] two = new double[2];
                boolean whole = dShift == null || dShift.stride[2] == 0;
                long w = whole ? plane : dims[3];
                for (long row = base; row < base + plane; row += w) {
                    double r0 = 0;
                    double r1 = 0;
                    if (fast) {
                        F32.gradients(grad.v.s, y.v.s, v.s, row, w, (float) m, fs, two);
                        r0 = two[0];
                        r1 = two[1];
                    } else {
                        for (long i = row; i < row + w; i++) {
                            double dz = dz(grad, y, i, slope);
                            r0 += dz;
                            r1 += dz * (v.get(i) - m);
                        }
                    }
                    s1[p] += r0;
                    s2[p] += r1;
                    if (dShift != null) {
                        long at = b * dShift.stride[0] + ch * dShift.stride[1] + (whole ? 0 : (row - base) / w * dShift.stride[2]);
                        if (dShift.stride[3] == 0) {
                            dShift.v.add(at, r0);
                        } else {
                            for (long j = 0; j < w; j++) {
                                dShift.v.add(at + j, dz(grad, y, row + j, slope));
                            }
                        }
                    }
                }
            });
            double[] sumDz = new double[c];
            double[] sumDzX = new double[c];
            for (int p = 0; p < planes; p++) {
                sumDz[p % c] += s1[p];
                sumDzX[p % c] += s2[p];
            }
            return new double[][] {sumDz, sumDzX};
        }

        /** The activation's gradient: 1 where y > 0, the slope where y < 0, their mean at 0 (as {@link F32} has it). */
        private static double dz(Image grad, Image y, long i, double slope) {
            double g = grad.v.get(i);
            return Double.isNaN(slope) ? g : g * (0.5 * (1 + slope) + 0.5 * (1 - slope) * Math.signum(y.v.get(i)));
        }

        /** out = act((x − μ)·scale + offset + shift). */
        void normalise(Image out, double[] mean, double[] scale, double[] offset, Shift shift, double slope) {
            boolean act = !Double.isNaN(slope);
            boolean fast = fast(slope) && (shift == null || shift.stride[3] == 0);
            forEachPlane(true, p -> {
                int ch = p % c;
                long b = p / c;
                long base = (long) p * plane;
                double m = mean[ch];
                double k = scale[ch];
                long w = dims[3];
                if (fast && (shift == null || shift.stride[2] == 0)) { // one offset for the whole plane
                    double o = offset[ch] + (shift == null ? 0 : shift.v.get(b * shift.stride[0] + ch * shift.stride[1]));
                    F32.normalise(v.s, out.v.s, base, plane, (float) m, (float) k, (float) o, act ? (float) slope : 1f);
                    return;
                }
                for (long h = 0; h < dims[2]; h++) {
                    long row = base + h * w;
                    double o = offset[ch];
                    long at = 0;
                    boolean along = false;
                    if (shift != null) {
                        at = b * shift.stride[0] + ch * shift.stride[1] + h * shift.stride[2];
                        along = shift.stride[3] != 0;
                        if (!along) {
                            o += shift.v.get(at);
                        }
                    }
                    if (fast) {
                        F32.normalise(v.s, out.v.s, row, w, (float) m, (float) k, (float) o, act ? (float) slope : 1f);
                        continue;
                    }
                    for (long i = 0; i < w; i++) {
                        double z = (v.get(row + i) - m) * k + o;
                        if (along) {
                            z += shift.v.get(at + i);
                        }
                        out.v.set(row + i, act && z < 0 ? z * slope : z);
                    }
                }
            });
        }

        /** dx = k·(dz − a1 − (x − μ)·a2), per channel constants. */
        void inputGradient(Image dx, Image dy, Image y, double slope, double[] mean, double[] k, double[] a1, double[] a2) {
            boolean fast = fast(slope);
            forEachPlane(true, p -> {
                int ch = p % c;
                long base = (long) p * plane;
                double m = mean[ch];
                if (fast) {
                    F32.inputGradient(dx.v.s, dy.v.s, y.v.s, v.s, base, plane, Double.isNaN(slope) ? 1f : (float) slope, (float) m,
                            (float) k[ch], (float) a1[ch], (float) a2[ch]);
                    return;
                }
                for (long i = base; i < base + plane; i++) {
                    double dz = dz(dy, y, i, slope);
                    dx.v.set(i, k[ch] * (dz - a1[ch] - (v.get(i) - m) * a2[ch]));
                }
            });
        }
    }

    /**
     * Float loops. A loop over two native segments is not vectorised by C2 (it cannot rule out that
     * they overlap), one over heap arrays is: each chunk is copied into per-thread arrays, computed
     * there and copied out (1.0–1.3 ms instead of 2.2 ms for the normalisation of 2 M floats in a
     * microbenchmark). Sums go to eight float lanes per chunk, then to double. The activation's gradient factor is (1 + s)/2 + (1 − s)/2·signum(y),
     * branch-free (an activation's signs defeat a branch predictor) and vectorisable; at y = 0 exactly
     * it is the mean of the two slopes.
     */
    private static final class F32 {
        private static final int CHUNK = 2048;
        private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][CHUNK]);

        private F32() {
        }

        private static void load(MemorySegment s, long from, float[] to, int n) {
            MemorySegment.copy(s, JAVA_FLOAT, from * 4, to, 0, n);
        }

        private static void store(float[] from, MemorySegment s, long at, int n) {
            MemorySegment.copy(from, 0, s, JAVA_FLOAT, at * 4, n);
        }

        private static double lanes(float[] a, int n) {
            float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
            int i = 0;
            for (; i + 7 < n; i += 8) {
                a0 += a[i];
                a1 += a[i + 1];
                a2 += a[i + 2];
                a3 += a[i + 3];
                a4 += a[i + 4];
                a5 += a[i + 5];
                a6 += a[i + 6];
                a7 += a[i + 7];
            }
            for (; i < n; i++) {
                a0 += a[i];
            }
            return (double) ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
        }

        /** Σ (x − p) and Σ (x − p)² over [from, from + n) into out. */
        static void moments(MemorySegment x, long from, long n, float p, double[] out) {
            float[][] t = SCRATCH.get();
            float[] a = t[0];
            float[] sq = t[1];
            double s1 = 0;
            double s2 = 0;
            for (long c = 0; c < n; c += CHUNK) {
                int k = (int) Math.min(CHUNK, n - c);
                load(x, from + c, a, k);
                for (int i = 0; i < k; i++) {
                    float d = a[i] - p;
                    a[i] = d;
                    sq[i] = d * d;
                }
                s1 += lanes(a, k);
                s2 += lanes(sq, k);
            }
            out[0] = s1;
            out[1] = s2;
        }

        /** Loads k elements of g, y and x from at into t[0..2], then dz = g·factor(y) into t[0]. */
        private static void loadDz(MemorySegment g, MemorySegment y, MemorySegment x, long at, int k, float h1, float h2, float[][] t) {
            load(g, at, t[0], k);
            load(y, at, t[1], k);
            load(x, at, t[2], k);
            float[] a = t[0];
            float[] b = t[1];
            for (int i = 0; i < k; i++) {
                a[i] = a[i] * (h1 + h2 * Math.signum(b[i]));
            }
        }

        /** Σ dz and Σ dz·(x − m) over [from, from + n) into out. */
        static void gradients(MemorySegment g, MemorySegment y, MemorySegment x, long from, long n, float m, float slope, double[] out) {
            float[][] t = SCRATCH.get();
            float h1 = 0.5f * (1 + slope);
            float h2 = 0.5f * (1 - slope);
            double s1 = 0;
            double s2 = 0;
            for (long c = 0; c < n; c += CHUNK) {
                int k = (int) Math.min(CHUNK, n - c);
                loadDz(g, y, x, from + c, k, h1, h2, t);
                float[] d = t[0];
                float[] xs = t[2];
                for (int i = 0; i < k; i++) {
                    xs[i] = d[i] * (xs[i] - m);
                }
                s1 += lanes(d, k);
                s2 += lanes(xs, k);
            }
            out[0] = s1;
            out[1] = s2;
        }

        /** y = max(z, slope·z) with z = (x − m)·k + o (the leaky ReLU for 0 ≤ slope ≤ 1; slope 1: none). */
        static void normalise(MemorySegment x, MemorySegment y, long from, long n, float m, float k, float o, float slope) {
            float[][] t = SCRATCH.get();
            float[] a = t[0];
            float[] b = t[1];
            for (long c = 0; c < n; c += CHUNK) {
                int len = (int) Math.min(CHUNK, n - c);
                load(x, from + c, a, len);
                for (int i = 0; i < len; i++) {
                    float z = (a[i] - m) * k + o;
                    b[i] = Math.max(z, z * slope);
                }
                store(b, y, from + c, len);
            }
        }

        /** dx = k·(dz − a1 − (x − m)·a2). */
        static void inputGradient(MemorySegment dx, MemorySegment g, MemorySegment y, MemorySegment x, long from, long n, float slope,
                float m, float k, float a1, float a2) {
            float[][] t = SCRATCH.get();
            float h1 = 0.5f * (1 + slope);
            float h2 = 0.5f * (1 - slope);
            for (long c = 0; c < n; c += CHUNK) {
                int len = (int) Math.min(CHUNK, n - c);
                loadDz(g, y, x, from + c, len, h1, h2, t);
                float[] d = t[0];
                float[] xs = t[2];
                float[] out = t[3];
                for (int i = 0; i < len; i++) {
                    out[i] = k * (d[i] - a1 - (xs[i] - m) * a2);
                }
                store(out, dx, from + c, len);
            }
        }
    }
}

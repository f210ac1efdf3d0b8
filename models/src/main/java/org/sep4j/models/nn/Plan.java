package org.sep4j.models.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BaseOp;
import org.nd4j.linalg.api.ops.BaseReduceOp;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.ReduceOp;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One SameDiff function compiled for fixed placeholder shapes: the ops the requested outputs need,
 * in dependency order, each with an {@link OpContext} built once over arrays allocated once. A run
 * is then one native call per op. SameDiff's own executor re-derives all of that on every call
 * (dependency tracking, shape inference, allocation, a context per op), which costs ~0.3 ms per op
 * and dominates small models; the kernels, and so the numbers, are the same.
 *
 * <p>Intermediate arrays share buffers by liveness (an op's output takes a free buffer of a fitting
 * size once every reader of the buffer's previous value has run), so a plan holds about what one
 * SameDiff call holds at its peak, and holds it across calls instead of allocating it anew.
 * The outputs are the plan's own arrays: valid until the next run.
 *
 * <p>Parameters, constants and placeholders are looked up by name on every run and re-bound when the
 * array behind a name changed (weights loaded, a new batch), so callers may replace them freely.
 */
final class Plan implements AutoCloseable {

    /** Ops whose output shapes depend on input values, and the control-flow ops SameDiff executes itself. */
    private static final Set<String> UNPLANNABLE = Set.of("where", "where_np", "boolean_mask", "unique",
            "unique_with_counts", "dynamic_partition", "dynamic_stitch", "non_max_suppression", "listdiff",
            "enter", "exit", "switch", "merge", "next_iteration", "loop_cond", "invoke", "create_view", "assert");

    /** Thrown at compile time when a function holds an op the plan cannot run as a fixed sequence. */
    static final class Unplannable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unplannable(String message) {
            super(message);
        }
    }

    /** An array the plan does not own: a parameter, constant or placeholder, with every place it is read. */
    private static final class External {
        final String name;
        final boolean placeholder;
        final DataType dtype;
        INDArray bound;
        final List<Use> uses = new ArrayList<>();

        External(String name, boolean placeholder, DataType dtype) {
            this.name = name;
            this.placeholder = placeholder;
            this.dtype = dtype;
        }
    }

    /** One op with its fixed context; legacy ops get their scalar or axis state re-applied before each call. */
    private static final class Step {
        final DifferentialFunction op;
        final OpContext ctx;
        INDArray scalar;
        final int[] axis;
        final boolean emptyReduce;

        Step(DifferentialFunction op, OpContext ctx, INDArray scalar, int[] axis, boolean emptyReduce) {
            this.op = op;
            this.ctx = ctx;
            this.scalar = scalar;
            this.axis = axis;
            this.emptyReduce = emptyReduce;
        }
    }

    /** Where an external array is read: a context input, or (index −1) a legacy op's scalar. */
    private record Use(Step step, int index) {
    }

    /** An op whose kernel is Java code, run on the plan's fixed arrays (SameDiff's executor cannot run it). */
    interface JavaOp {
        void run(OpContext ctx);
    }

    /** Time per op kind, summed over runs while a profile is attached. */
    static final class Profile {
        final Map<String, long[]> byOp = new TreeMap<>(); // op name -> {calls, nanoseconds}
        final boolean shapes;

        Profile(boolean shapes) {
            this.shapes = shapes;
        }

        synchronized void add(String op, long nanos) {
            long[] c = byOp.computeIfAbsent(op, k -> new long[2]);
            c[0]++;
            c[1] += nanos;
        }
    }

    /** Set by {@link Graph#profile}; null: no timing. */
    static volatile Profile profile;

    private final SameDiff fn;
    private final SameDiff owner;
    private final List<Step> steps = new ArrayList<>();
    private final List<External> externals = new ArrayList<>();
    private final Map<String, INDArray> outputs = new LinkedHashMap<>();
    private final List<DataBuffer> owned = new ArrayList<>();
    private final long[] signature;
    private long bytes;

    private Plan(SameDiff fn, SameDiff owner, long[] signature) {
        this.fn = fn;
        this.owner = owner;
        this.signature = signature;
    }

    /** The shapes of the given placeholder values, flattened: a plan serves only calls with these shapes. */
    static long[] signature(Map<String, INDArray> placeholders, List<String> names) {
        List<Long> s = new ArrayList<>();
        for (String n : names) {
            INDArray a = placeholders.get(n);
            s.add(a == null ? -1L : a.rank());
            if (a != null) {
                for (long d : a.shape()) {
                    s.add(d);
                }
            }
        }
        return s.stream().mapToLong(Long::longValue).toArray();
    }

    boolean serves(long[] sig) {
        return Arrays.equals(signature, sig);
    }

    /** Native bytes the plan's intermediate arrays take. */
    long bytes() {
        return bytes;
    }

    int size() {
        return steps.size();
    }

    /**
     * Compiles {@code fn} for the requested outputs and runs it once with {@code placeholders}
     * (the first run sizes every array); {@code owner} holds the parameter arrays (the function's
     * parent graph for a gradient function, else {@code fn} itself).
     */
    static Plan compile(SameDiff fn, SameDiff owner, Map<String, INDArray> placeholders, List<String> wanted,
            List<String> placeholderNames) {
        Plan p = new Plan(fn, owner, signature(placeholders, placeholderNames));
        try {
            p.build(placeholders, wanted);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    private void build(Map<String, INDArray> placeholders, List<String> wanted) {
        List<DifferentialFunction> order = order(wanted);
        // last step reading each array variable; requested outputs live to the end
        Map<String, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            for (String in : order.get(i).argNames()) {
                lastUse.put(in, i);
            }
        }
        for (String w : wanted) {
            lastUse.put(w, Integer.MAX_VALUE);
        }
        Map<String, INDArray> values = new HashMap<>();
        Map<String, External> ext = new LinkedHashMap<>();
        Map<String, String> root = new HashMap<>(); // a view's name -> the name whose buffer it shares
        Pool pool = new Pool();
        for (int i = 0; i < order.size(); i++) {
            DifferentialFunction df = order.get(i);
            String[] argNames = df.argNames();
            INDArray[] args = new INDArray[argNames.length];
            External[] argExt = new External[argNames.length];
            for (int k = 0; k < argNames.length; k++) {
                String a = argNames[k];
                INDArray v = values.get(a);
                if (v == null) {
                    External e = ext.computeIfAbsent(a, n -> external(n));
                    if (e.bound == null) {
                        e.bound = bind(e, placeholders);
                    }
                    argExt[k] = e;
                    v = e.bound;
                }
                args[k] = v;
            }
            String[] outs = df.outputVariablesNames();
            INDArray[] rewritten = Broadcasts.applies(df, args) ? broadcastBackward(df, args, argExt, outs, pool) : null;
            if (rewritten != null) {
                for (int o = 0; o < outs.length; o++) {
                    values.put(outs[o], rewritten[o]);
                }
                release(argNames, outs, i, lastUse, values, ext, root, pool);
                continue;
            }
            INDArray view = lastUse.containsKey(outs[0]) ? view(df, args, argExt, outs) : null;
            if (view != null) { // no step: the output is the input's buffer, which now lives as long as the view
                String src = root.getOrDefault(argNames[0], argNames[0]);
                root.put(outs[0], src);
                lastUse.put(src, Math.max(lastUse.get(src), lastUse.get(outs[0])));
                values.put(outs[0], view);
                release(argNames, outs, i, lastUse, values, ext, root, pool);
                continue;
            }
            OpContext oc = Nd4j.getExecutioner().buildContext();
            Step step;
            if (df instanceof CustomOp) {
                DynamicCustomOp c = (DynamicCustomOp) df;
                oc.setArgs(args, c.iArgs(), c.dArgs(), c.tArgs(), c.bArgs());
                List<LongShapeDescriptor> shapes = c.calculateOutputShape(oc);
                if (shapes == null || shapes.size() != outs.length) {
                    throw new Unplannable("op " + df.getOwnName() + " (" + df.opName() + "): " + (shapes == null ? 0 : shapes.size())
                            + " output shapes for " + outs.length + " outputs");
                }
                for (int o = 0; o < outs.length; o++) {
                    LongShapeDescriptor d = shapes.get(o);
                    DataType dt = fn.getVariable(outs[o]).dataType(); // shape inference may not know the dtype
                    oc.setOutputArray(o, pool.take(d.dataType() == dt ? d : d.asDataType(dt)));
                }
                step = new Step(df, oc, null, null, false);
                for (int k = 0; k < args.length; k++) {
                    if (argExt[k] != null) {
                        argExt[k].uses.add(new Use(step, k));
                    }
                }
            } else if (df instanceof Op) {
                INDArray scalar = null;
                int[] axis = null;
                boolean emptyReduce = false;
                boolean axisArg = false;
                if (df instanceof ReduceOp r && r.getOpType() != Op.Type.REDUCE3 && argNames.length == 2) {
                    INDArray a = args[1];
                    if (a.isEmpty()) {
                        emptyReduce = true;
                    } else {
                        axis = Shape.normalizeAxis(args[0].rank(), a.toIntVector());
                    }
                    axisArg = true;
                } else if (df instanceof ScalarOp && argNames.length == 2) {
                    scalar = args[1];
                }
                if (args.length > 0) {
                    oc.setInputArray(0, args[0]);
                    if (args.length == 2 && !axisArg) {
                        oc.setInputArray(1, args[1]);
                    }
                }
                step = new Step(df, oc, scalar, axis, emptyReduce);
                for (int k = 0; k < Math.min(2, args.length); k++) {
                    if (argExt[k] != null && !(k == 1 && axisArg)) {
                        argExt[k].uses.add(new Use(step, k == 1 && scalar != null ? -1 : k));
                    }
                }
                prepare(step);
                LongShapeDescriptor d = emptyReduce
                        ? LongShapeDescriptor.fromShape(args[0].shape(), args[0].dataType())
                        : ((BaseOp) df).calculateOutputShape(oc).get(0);
                oc.setOutputArray(0, pool.take(d));
            } else {
                throw new Unplannable("op " + df.getOwnName() + " of type " + df.getClass().getSimpleName() + " cannot be planned");
            }
            execute(step);
            steps.add(step);
            List<INDArray> produced = oc.getOutputArrays();
            for (int o = 0; o < outs.length; o++) {
                values.put(outs[o], produced.get(o));
            }
            release(argNames, outs, i, lastUse, values, ext, root, pool);
        }
        for (String w : wanted) {
            INDArray v = values.get(w);
            if (v == null) { // a parameter or placeholder asked for as itself
                External e = ext.computeIfAbsent(w, n -> external(n));
                if (e.bound == null) {
                    e.bound = bind(e, placeholders);
                }
                v = e.bound;
            }
            outputs.put(w, v);
        }
        externals.addAll(ext.values());
        owned.addAll(pool.all);
        bytes = pool.bytes;
    }

    /**
     * A reshape or identity of an intermediate array as a view of its buffer (null where the op must
     * copy): each was a full copy per run, ~180 of them in a separator's training step.
     */
    private INDArray view(DifferentialFunction df, INDArray[] args, External[] argExt, String[] outs) {
        String kind = df.opName();
        if (!(kind.equals("reshape") || kind.equals("identity")) || outs.length != 1 || args.length == 0 || argExt[0] != null
                || !(df instanceof DynamicCustomOp c)) {
            return null;
        }
        INDArray in = args[0];
        if (in.isEmpty() || in.ordering() != 'c' || !Shape.hasDefaultStridesForShape(in) || in.offset() != 0
                || in.dataType() != fn.getVariable(outs[0]).dataType()) {
            return null;
        }
        long[] shape;
        try (OpContext oc = Nd4j.getExecutioner().buildContext()) {
            oc.setArgs(args, c.iArgs(), c.dArgs(), c.tArgs(), c.bArgs());
            List<LongShapeDescriptor> d = c.calculateOutputShape(oc);
            if (d == null || d.size() != 1) {
                return null;
            }
            shape = d.get(0).getShape();
        } catch (Exception e) {
            return null;
        }
        if (Shape.lengthOf(shape) != in.length()) {
            return null;
        }
        return Nd4j.create(in.data(), shape, Nd4j.getStrides(shape, 'c'), 0, 'c', in.dataType());
    }

    /** Buffers whose last reader was op {@code i} (or that nobody reads) become free for later outputs. */
    private static void release(String[] argNames, String[] outs, int i, Map<String, Integer> lastUse, Map<String, INDArray> values,
            Map<String, External> ext, Map<String, String> root, Pool pool) {
        for (String arg : argNames) {
            String in = root.getOrDefault(arg, arg);
            if (lastUse.get(in) == i && values.containsKey(in) && !ext.containsKey(in)) {
                pool.give(values.get(in));
            }
        }
        for (String o : outs) {
            if (!lastUse.containsKey(o)) {
                pool.give(values.get(o));
            }
        }
    }

    /**
     * The backward pass of a broadcasting multiply/add/subtract as plain kernels: libnd4j's
     * {@code multiply_bp} reduces a broadcast operand's gradient through a slow generic path (84 ms for
     * a [4, 8, 504, 128] × [1, 8, 1, 1] product, against ~2 ms for the product and the sum), so each
     * operand's gradient is the upstream gradient (times the other operand, for multiply) summed over
     * the dimensions that operand was broadcast along. Runs once now and returns the two gradients.
     */
    private INDArray[] broadcastBackward(DifferentialFunction df, INDArray[] args, External[] argExt, String[] outs, Pool pool) {
        String kind = df.opName();
        INDArray x = args[0];
        INDArray y = args[1];
        INDArray g = args[2];
        INDArray[] grads = new INDArray[2];
        for (int side = 0; side < 2; side++) {
            INDArray self = side == 0 ? x : y;
            DataType dt = fn.getVariable(outs[side]).dataType();
            INDArray out = pool.take(LongShapeDescriptor.fromShape(self.shape(), dt));
            grads[side] = out;
            INDArray full = g; // the gradient at the broadcast shape, before summing
            Step product = null;
            boolean reduce = !Arrays.equals(self.shape(), g.shape());
            if (kind.equals("multiply_bp")) {
                int other = 1 - side;
                INDArray target = reduce ? pool.take(LongShapeDescriptor.fromShape(g.shape(), dt)) : out;
                product = add(Broadcasts.op("multiply"), new INDArray[] {g, args[other]}, target);
                bindExternal(argExt[2], product, 0);
                bindExternal(argExt[other], product, 1);
                full = target;
            }
            if (reduce) {
                int[] dims = Broadcasts.summedDims(self.shape(), g.shape());
                INDArray keep = out.reshape('c', Broadcasts.keptShape(self.shape(), g.rank()));
                Step sum = sum(full, keep, dims);
                if (full == g) {
                    bindExternal(argExt[2], sum, 0);
                }
                if (full != g) {
                    pool.give(full); // the product is read only by the sum just planned
                }
            } else if (product == null) { // add/subtract into a same-shaped operand: the gradient itself
                Step copy = add(Broadcasts.op("identity"), new INDArray[] {g}, out);
                bindExternal(argExt[2], copy, 0);
            }
            if (side == 1 && kind.equals("subtract_bp")) {
                OpContext oc = Nd4j.getExecutioner().buildContext();
                oc.setInputArray(0, out);
                oc.setOutputArray(0, out);
                Step neg = new Step(new org.nd4j.linalg.api.ops.impl.transforms.same.Negative(out, out), oc, null, null, false);
                execute(neg);
                steps.add(neg);
            }
        }
        return grads;
    }

    /** Plans and runs one native op by name on fixed arrays. */
    private Step add(DynamicCustomOp op, INDArray[] in, INDArray out) {
        OpContext oc = Nd4j.getExecutioner().buildContext();
        oc.setArgs(in, op.iArgs(), op.dArgs(), op.tArgs(), op.bArgs());
        oc.setOutputArray(0, out);
        Step s = new Step(op, oc, null, null, false);
        execute(s);
        steps.add(s);
        return s;
    }

    /**
     * Plans and runs a kept-dims sum of {@code in} over {@code dims} into {@code out}: {@link AxisSum}
     * over leading or trailing axes of float arrays, else ND4J's legacy reduction.
     */
    private Step sum(INDArray in, INDArray out, int[] dims) {
        AxisSum java = AxisSum.of(in, out, dims);
        DifferentialFunction op = java != null ? java : new org.nd4j.linalg.api.ops.impl.reduce.same.Sum(in, out, true, dims);
        OpContext oc = Nd4j.getExecutioner().buildContext();
        oc.setInputArray(0, in);
        oc.setOutputArray(0, out);
        Step s = new Step(op, oc, null, java != null ? null : dims, false);
        prepare(s);
        execute(s);
        steps.add(s);
        return s;
    }

    private static void bindExternal(External e, Step s, int index) {
        if (e != null) {
            e.uses.add(new Use(s, index));
        }
    }

    /** The ops needed for {@code wanted}, each after the ops producing its inputs (iterative depth-first). */
    private List<DifferentialFunction> order(List<String> wanted) {
        List<DifferentialFunction> order = new ArrayList<>();
        Set<String> done = new java.util.HashSet<>();
        Set<String> open = new java.util.HashSet<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        for (String w : wanted) {
            if (!fn.hasVariable(w)) {
                throw new IllegalArgumentException("no variable '" + w + "' in the graph");
            }
            DifferentialFunction root = fn.getVariableOutputOp(w);
            if (root != null) {
                stack.push(new Object[] {root, 0});
            }
            while (!stack.isEmpty()) {
                Object[] top = stack.peek();
                DifferentialFunction df = (DifferentialFunction) top[0];
                String id = df.getOwnName();
                if (done.contains(id)) {
                    stack.pop();
                    continue;
                }
                if ((int) top[1] == 0) {
                    if (UNPLANNABLE.contains(df.opName())) {
                        throw new Unplannable("op " + id + " (" + df.opName() + ") has data-dependent shapes or control flow");
                    }
                    if (!open.add(id)) {
                        throw new Unplannable("the graph has a cycle through op " + id);
                    }
                }
                String[] ins = df.argNames();
                int k = (int) top[1];
                if (k < ins.length) {
                    top[1] = k + 1;
                    DifferentialFunction producer = fn.getVariableOutputOp(ins[k]);
                    if (producer != null && !done.contains(producer.getOwnName())) {
                        stack.push(new Object[] {producer, 0});
                    }
                } else {
                    stack.pop();
                    done.add(id);
                    order.add(df);
                }
            }
        }
        return order;
    }

    private External external(String name) {
        SDVariable v = fn.getVariable(name);
        VariableType t = v.getVariableType();
        if (t == VariableType.ARRAY) {
            throw new Unplannable("array '" + name + "' has no producing op");
        }
        return new External(name, t == VariableType.PLACEHOLDER, v.dataType());
    }

    /**
     * The array the plan's contexts read for an external: the parameter or constant itself, or for a
     * placeholder an array of the plan's own that each run copies the new value into. Binding each
     * run's placeholder arrays instead would leak them: libnd4j's context keeps every array ever set
     * as an input (and so its buffer) until the context closes, ~3 MB per separator step.
     */
    private INDArray bind(External e, Map<String, INDArray> placeholders) {
        INDArray a = resolve(e, placeholders);
        if (!e.placeholder) {
            return a;
        }
        INDArray own = Nd4j.create(a.dataType(), a.shape(), 'c');
        own.assign(a);
        owned.add(own.data());
        return own;
    }

    /** The array currently behind an external name: the placeholder value, or the owner's parameter/constant. */
    private INDArray resolve(External e, Map<String, INDArray> placeholders) {
        if (e.placeholder) {
            INDArray a = placeholders.get(e.name);
            if (a == null) {
                throw new IllegalArgumentException("no value given for placeholder '" + e.name + "'");
            }
            return a.dataType() == e.dtype ? a : a.castTo(e.dtype);
        }
        INDArray a = owner != fn && owner.hasVariable(e.name) ? owner.getArrForVarName(e.name) : null;
        if (a == null) {
            a = fn.getArrForVarName(e.name);
        }
        if (a == null) {
            throw new IllegalStateException("variable '" + e.name + "' has no array");
        }
        return a;
    }

    /** The requested outputs of the run {@link #compile} made. */
    Map<String, INDArray> outputsAfterCompile() {
        return outputs;
    }

    /** Runs every op; returns the requested outputs (the plan's arrays, overwritten by the next run). */
    Map<String, INDArray> run(Map<String, INDArray> placeholders) {
        for (External e : externals) {
            INDArray now = resolve(e, placeholders);
            if (!Arrays.equals(now.shape(), e.bound.shape())) {
                throw new IllegalArgumentException("'" + e.name + "' changed shape from " + Arrays.toString(e.bound.shape())
                        + " to " + Arrays.toString(now.shape()) + " under a compiled plan");
            }
            if (e.placeholder) {
                e.bound.assign(now);
            } else if (now != e.bound) { // a parameter replaced (a checkpoint loaded): rare, so re-binding is fine
                e.bound = now;
                for (Use u : e.uses) {
                    if (u.index() < 0) {
                        u.step().scalar = now;
                    } else {
                        u.step().ctx.setInputArray(u.index(), now);
                    }
                }
                if (outputs.containsKey(e.name)) {
                    outputs.put(e.name, now);
                }
            }
        }
        Profile prof = profile;
        for (Step s : steps) {
            long t0 = prof == null ? 0 : System.nanoTime();
            prepare(s);
            execute(s);
            if (prof != null) {
                prof.add(prof.shapes ? s.op.opName() + " " + shapes(s.ctx) : s.op.opName(), System.nanoTime() - t0);
            }
        }
        return outputs;
    }

    private static String shapes(OpContext oc) {
        StringBuilder b = new StringBuilder();
        for (INDArray a : oc.getInputArrays()) {
            b.append(Arrays.toString(a.shape()));
        }
        return b.toString();
    }

    /** Legacy ops read their scalar and axis from the op object, which SameDiff's executor may also touch. */
    private static void prepare(Step s) {
        if (s.scalar != null) {
            ((ScalarOp) s.op).setScalar(s.scalar);
        }
        if (s.op instanceof BaseReduceOp r && (s.axis != null || s.emptyReduce)) {
            s.op.setDimensions(s.axis);
            r.setEmptyReduce(s.emptyReduce);
        }
    }

    private static void execute(Step s) {
        if (s.op instanceof JavaOp j) {
            j.run(s.ctx);
        } else if (s.op instanceof CustomOp c) {
            Nd4j.getExecutioner().exec(c, s.ctx);
        } else {
            Nd4j.getExecutioner().exec((Op) s.op, s.ctx);
        }
    }

    /** Frees the plan's own buffers; the plan must not run again. */
    @Override
    public void close() {
        for (Step s : steps) {
            try {
                s.ctx.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the context of op " + s.op.getOwnName(), e);
            }
        }
        steps.clear();
        for (DataBuffer b : owned) {
            if (b.closeable()) {
                b.close();
            }
        }
        owned.clear();
        outputs.clear();
    }

    /**
     * Free buffers by dtype and element capacity; an output takes the smallest free buffer that holds
     * it (at most twice its size, so a small array never pins a large one), else a new one.
     */
    private static final class Pool {
        final Map<DataType, TreeMap<Long, ArrayDeque<DataBuffer>>> free = new HashMap<>();
        final Map<INDArray, DataBuffer> of = new java.util.IdentityHashMap<>();
        final List<DataBuffer> all = new ArrayList<>();
        long bytes;

        INDArray take(LongShapeDescriptor d) {
            if (d.isEmpty()) {
                return Nd4j.create(d);
            }
            long n = Math.max(1, Shape.lengthOf(d.getShape()));
            DataType dt = d.dataType();
            TreeMap<Long, ArrayDeque<DataBuffer>> bySize = free.computeIfAbsent(dt, k -> new TreeMap<>());
            Map.Entry<Long, ArrayDeque<DataBuffer>> e = bySize.ceilingEntry(n);
            DataBuffer buf;
            if (e != null && e.getKey() <= 2 * n) {
                buf = e.getValue().pop();
                if (e.getValue().isEmpty()) {
                    bySize.remove(e.getKey());
                }
            } else {
                buf = Nd4j.createBufferDetached(new long[] {n}, dt);
                all.add(buf);
                bytes += n * dt.width();
            }
            long[] shape = d.getShape();
            char order = d.getOrder() == 'f' ? 'f' : 'c';
            INDArray a = Nd4j.create(buf, shape, Nd4j.getStrides(shape, order), 0, order, dt);
            of.put(a, buf);
            return a;
        }

        void give(INDArray a) {
            DataBuffer buf = of.remove(a);
            if (buf != null) {
                free.computeIfAbsent(buf.dataType(), k -> new TreeMap<>()).computeIfAbsent(buf.length(), k -> new ArrayDeque<>())
                        .push(buf);
            }
        }
    }
}

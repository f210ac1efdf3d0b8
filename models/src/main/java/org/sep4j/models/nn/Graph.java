package org.sep4j.models.nn;

import java.io.PrintStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A SameDiff graph with named, trainable parameters (in creation order), non-trainable buffers
 * (running statistics) and a mode. Parameter names are PyTorch state_dict keys.
 */
public final class Graph {

    /** The name SameDiff gives the gradient function it derives from a graph. */
    private static final String GRAD_FUNCTION = "grad";

    private final SameDiff sd = SameDiff.create();
    private final Map<String, SDVariable> params = new LinkedHashMap<>();
    private final Map<String, INDArray> buffers = new LinkedHashMap<>();
    private final java.util.SplittableRandom init;
    private final DataType dtype;
    private boolean training = true;

    /** A float32 graph; {@code seed} seeds every parameter initialisation. */
    public Graph(long seed) {
        this(seed, DataType.FLOAT);
    }

    /** A graph of the given precision (DOUBLE for gradient checks). */
    public Graph(long seed, DataType dtype) {
        this.init = new java.util.SplittableRandom(seed);
        this.dtype = dtype;
    }

    public DataType dtype() {
        return dtype;
    }

    public SameDiff sd() {
        return sd;
    }

    public boolean training() {
        return training;
    }

    public void train(boolean on) {
        training = on;
    }

    /** A placeholder of the graph's precision; use -1 for dimensions known only at run time. */
    public SDVariable input(String name, long... shape) {
        return sd.placeHolder(name, dtype, shape);
    }

    /** A trainable parameter initialised uniformly in [−bound, bound] (PyTorch's kaiming-uniform default). */
    public SDVariable uniform(String name, double bound, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (dtype == DataType.FLOAT) { // large models: no double copy
            float[] f = new float[Math.toIntExact(n)];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) ((init.nextDouble() * 2 - 1) * bound);
            }
            return param(name, Nd4j.create(f, shape, DataType.FLOAT));
        }
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (init.nextDouble() * 2 - 1) * bound;
        }
        return param(name, Nd4j.create(v, shape, DataType.DOUBLE).castTo(dtype));
    }

    public SDVariable constant(String name, double value, long... shape) {
        return param(name, Nd4j.valueArrayOf(shape, value, dtype));
    }

    public SDVariable param(String name, INDArray value) {
        if (params.containsKey(name)) {
            throw new IllegalArgumentException("parameter '" + name + "' is defined twice");
        }
        SDVariable v = sd.var(name, value);
        params.put(name, v);
        return v;
    }

    /**
     * A non-trainable tensor kept with the model (e.g. BatchNorm running_mean), readable by the graph
     * as a variable the optimiser never sees; updates to the array are seen by the graph.
     */
    public SDVariable buffer(String name, INDArray value) {
        if (buffers.containsKey(name) || params.containsKey(name)) {
            throw new IllegalArgumentException("'" + name + "' is defined twice");
        }
        buffers.put(name, value);
        return sd.var(name, value);
    }

    /** A running-average update the trainer applies after each step: buffer ← (1 − m)·buffer + m·output. */
    public record BufferUpdate(String buffer, String output, double momentum) {
    }

    private final List<BufferUpdate> updates = new ArrayList<>();

    public void updateAfterStep(String buffer, SDVariable output, double momentum) {
        updates.add(new BufferUpdate(buffer, output.name(), momentum));
    }

    public List<BufferUpdate> bufferUpdates() {
        return Collections.unmodifiableList(updates);
    }

    /** Applies the running-average updates from the outputs of a training forward pass. */
    public void applyBufferUpdates(Map<String, INDArray> outputs) {
        for (BufferUpdate u : updates) {
            INDArray b = buffers.get(u.buffer());
            INDArray batch = outputs.get(u.output());
            if (batch == null) {
                throw new IllegalStateException("buffer update needs output '" + u.output() + "'");
            }
            b.muli(1 - u.momentum()).addi(batch.reshape(b.shape()).castTo(b.dataType()).mul(u.momentum()));
        }
    }

    /** Copies parameter and buffer values from another graph with the same names (e.g. train → eval). */
    public void copyWeightsFrom(Graph other) {
        params.forEach((n, v) -> {
            SDVariable o = other.params.get(n);
            if (o == null) {
                throw new IllegalArgumentException("the other graph has no parameter '" + n + "'");
            }
            v.getArr().assign(o.getArr());
        });
        buffers.forEach((n, b) -> {
            INDArray o = other.buffers.get(n);
            if (o == null) {
                throw new IllegalArgumentException("the other graph has no buffer '" + n + "'");
            }
            b.assign(o);
        });
    }

    public Map<String, SDVariable> params() {
        return Collections.unmodifiableMap(params);
    }

    public Map<String, INDArray> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    public List<String> paramNames() {
        return new ArrayList<>(params.keySet());
    }

    /** Number of trainable scalars. */
    public long parameterCount() {
        long n = 0;
        for (SDVariable v : params.values()) {
            n += v.getArr().length();
        }
        return n;
    }

    /**
     * Which executor runs a graph: {@code plan} (default) compiles each function once per input shape
     * into a fixed sequence of native op calls ({@link Plan}); {@code samediff} is SameDiff's own
     * executor, kept for comparison (system property {@code sep4j.engine} or {@code SEP4J_ENGINE}).
     */
    public static final boolean PLANNED = !"samediff".equals(
            System.getProperty("sep4j.engine", System.getenv().getOrDefault("SEP4J_ENGINE", "plan")));

    private boolean usePlans = PLANNED;

    /** Whether this graph runs through compiled plans (else SameDiff's executor). */
    public boolean usesPlans() {
        return usePlans;
    }

    /** Chooses the executor for this graph (benchmarks compare both) before it is built; drops compiled plans. */
    public void usePlans(boolean on) {
        if (!on && plansRequired) {
            throw new IllegalStateException("this graph holds fused ops that only compiled plans run: choose SameDiff's executor"
                    + " before building the graph");
        }
        release();
        usePlans = on;
    }

    /** Set by a layer that built an op only plans can run (e.g. {@link FusedBatchNorm}). */
    private boolean plansRequired;
    private boolean fuse = true;

    /**
     * Whether layers built from now on may use fused ops ({@link FusedBatchNorm}); they do only under
     * plans. Off, a layer builds its SameDiff composition (benchmarks compare both).
     */
    public void fuseOps(boolean on) {
        fuse = on;
    }

    /** Whether a layer built now may use fused ops: plans on, fusion not turned off. */
    public boolean fusesOps() {
        return usePlans && fuse;
    }

    void requirePlans() {
        plansRequired = true;
    }

    /** Compiled plans by function and outputs, most recent last; a few shapes at a time (validation batches). */
    private final LinkedHashMap<String, Plan> plans = new LinkedHashMap<>(8, 0.75f, true);
    private static final int MAX_PLANS = 4;
    private final java.util.Set<String> unplannable = new java.util.HashSet<>();

    /**
     * Starts (true) or stops (false) timing every op that plans run, process-wide; returns the op
     * kinds seen since the start as {@code name -> {calls, nanoseconds}} when stopping.
     */
    public static Map<String, long[]> profile(boolean on) {
        return profile(on, false);
    }

    /** As {@link #profile(boolean)}; with {@code byShape}, op kinds are split by their input shapes. */
    public static Map<String, long[]> profile(boolean on, boolean byShape) {
        Plan.Profile p = Plan.profile;
        Plan.profile = on ? new Plan.Profile(byShape) : null;
        return on || p == null ? Map.of() : p.byOp;
    }

    /** Forward pass: the named outputs for the given placeholder values (arrays of the caller's own). */
    public Map<String, INDArray> output(Map<String, INDArray> inputs, String... outputs) {
        Map<String, INDArray> planned = planned(sd, "", inputs, List.of(outputs));
        if (planned == null) {
            return sd.output(inputs, outputs);
        }
        Map<String, INDArray> copy = new LinkedHashMap<>();
        planned.forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }

    /**
     * Runs {@code fn}'s plan for these outputs and input shapes, compiling it on first use; null when
     * plans are off or the function holds an op a plan cannot run (SameDiff's executor runs it then).
     */
    private synchronized Map<String, INDArray> planned(SameDiff fn, String fnName, Map<String, INDArray> inputs,
            List<String> outputs) {
        String key = fnName + "|" + String.join(",", outputs);
        if (!usePlans || unplannable.contains(key)) {
            return null;
        }
        List<String> phs = new ArrayList<>(inputs.keySet());
        java.util.Collections.sort(phs);
        long[] sig = Plan.signature(inputs, phs);
        String full = key + "|" + java.util.Arrays.toString(sig);
        Plan p = plans.get(full);
        if (p == null) {
            try {
                p = Plan.compile(fn, sd, inputs, outputs, phs);
            } catch (Plan.Unplannable e) {
                if (plansRequired) {
                    throw new IllegalStateException("a graph with fused ops cannot fall back to SameDiff's executor: " + e.getMessage(), e);
                }
                unplannable.add(key);
                System.err.println("sep4j: " + e.getMessage() + "; this function runs in SameDiff's executor");
                return null;
            }
            plans.put(full, p);
            if (plans.size() > MAX_PLANS) {
                var eldest = plans.entrySet().iterator().next();
                eldest.getValue().close();
                plans.remove(eldest.getKey());
            }
            return p.outputsAfterCompile();
        }
        return p.run(inputs);
    }

    /** Gradients of the loss variables with respect to the named parameters (arrays of the caller's own). */
    public Map<String, INDArray> gradients(Map<String, INDArray> inputs, List<String> wrt) {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        gradientsAndOutputs(inputs, List.of(), wrt).getGradients().forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }

    /**
     * Gradients and the named outputs of one forward pass (no second forward pass for the loss).
     * Under a plan the arrays are the plan's own, overwritten by the next call: use or copy them first.
     */
    public org.nd4j.autodiff.samediff.api.OutAndGrad gradientsAndOutputs(Map<String, INDArray> inputs, List<String> outputs,
            List<String> wrt) {
        deriveGradients();
        if (usePlans) {
            SameDiff grad = sd.getFunction(GRAD_FUNCTION);
            List<String> wanted = new ArrayList<>(outputs);
            Map<String, String> gradOf = new LinkedHashMap<>();
            for (String w : wrt) {
                SDVariable g = sd.getVariable(w).getGradient();
                if (g != null) {
                    gradOf.put(w, g.name());
                    wanted.add(g.name());
                }
            }
            Map<String, INDArray> r = planned(grad, GRAD_FUNCTION, inputs, wanted);
            if (r != null) {
                Map<String, INDArray> outs = new LinkedHashMap<>();
                outputs.forEach(o -> outs.put(o, r.get(o)));
                Map<String, INDArray> grads = new LinkedHashMap<>();
                gradOf.forEach((w, g) -> grads.put(w, r.get(g)));
                return new org.nd4j.autodiff.samediff.api.OutAndGrad(outs, grads);
            }
        }
        return sd.calculateGradientsAndOutputs(inputs, outputs, wrt);
    }

    /**
     * Builds the gradient function once. SameDiff announces every op it differentiates on standard
     * output while doing so; that chatter is swallowed here, under a lock because standard output is
     * global (graphs trained on other threads meanwhile keep theirs).
     */
    private void deriveGradients() {
        if (sd.getFunction(GRAD_FUNCTION) != null) {
            return;
        }
        synchronized (Graph.class) {
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                if (sd.getFunction(GRAD_FUNCTION) == null) {
                    sd.createGradFunction();
                }
            } finally {
                System.setOut(out);
            }
        }
    }

    /**
     * Drops the executors' per-thread sessions. A SameDiff session keeps the arrays of its last run
     * (and a cache of released ones) until the next run replaces them, so without this a training
     * step allocates its activations while the previous step's are still held: twice the memory.
     */
    public synchronized void release() {
        plans.values().forEach(Plan::close);
        plans.clear();
        sd.getSessions().clear();
        SameDiff grad = sd.getFunction(GRAD_FUNCTION);
        if (grad != null) {
            grad.getSessions().clear();
        }
    }
}

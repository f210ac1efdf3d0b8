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

    /** Forward pass: the named outputs for the given placeholder values. */
    public Map<String, INDArray> output(Map<String, INDArray> inputs, String... outputs) {
        return sd.output(inputs, outputs);
    }

    /** Gradients of the loss variables with respect to the named parameters. */
    public Map<String, INDArray> gradients(Map<String, INDArray> inputs, List<String> wrt) {
        return gradientsAndOutputs(inputs, List.of(), wrt).getGradients();
    }

    /** Gradients and the named outputs of one forward pass (no second forward pass for the loss). */
    public org.nd4j.autodiff.samediff.api.OutAndGrad gradientsAndOutputs(Map<String, INDArray> inputs, List<String> outputs,
            List<String> wrt) {
        deriveGradients();
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
    public void release() {
        sd.getSessions().clear();
        SameDiff grad = sd.getFunction(GRAD_FUNCTION);
        if (grad != null) {
            grad.getSessions().clear();
        }
    }
}

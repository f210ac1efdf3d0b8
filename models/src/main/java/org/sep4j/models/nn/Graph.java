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
        INDArray a = Nd4j.create(dtype, shape);
        long n = a.length();
        for (long i = 0; i < n; i++) {
            a.putScalar(i, (init.nextDouble() * 2 - 1) * bound);
        }
        return param(name, a);
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

    /** A non-trainable tensor kept with the model (e.g. BatchNorm running_mean). */
    public INDArray buffer(String name, INDArray value) {
        buffers.put(name, value);
        return value;
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

    /**
     * Gradients of the loss variables with respect to the named parameters. SameDiff announces every
     * op it differentiates on standard output the first time; that chatter is swallowed here.
     */
    public Map<String, INDArray> gradients(Map<String, INDArray> inputs, List<String> wrt) {
        PrintStream out = System.out;
        synchronized (Graph.class) {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                return sd.calculateGradients(inputs, wrt);
            } finally {
                System.setOut(out);
            }
        }
    }
}

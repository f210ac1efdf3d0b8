package org.sep4j.models.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BaseOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.shade.protobuf.ByteString;
import org.sep4j.core.io.AtomicFiles;
import org.sep4j.models.nn.Graph;

/**
 * Writes the part of a sep4j graph that computes the named outputs from its placeholders as an ONNX
 * model (opset 13), with the parameters as initializers. Each SameDiff op maps to one or a few
 * ONNX nodes; an op without a mapping is an error that names it, never a silent gap. Placeholder
 * axes declared free (−1) stay free in the ONNX model.
 */
public final class OnnxExporter {

    public static final int OPSET = 13;
    private static final long IR_VERSION = 7;

    private final SameDiff sd;
    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private final Set<String> initialised = new LinkedHashSet<>();
    private int fresh;

    private OnnxExporter(SameDiff sd) {
        this.sd = sd;
    }

    /** Exports the subgraph of {@code g} computing {@code outputs} to {@code file} (written atomically). */
    public static void export(Graph g, List<String> outputs, Path file) throws IOException {
        byte[] bytes = model(g, outputs).toByteArray();
        AtomicFiles.write(file, tmp -> java.nio.file.Files.write(tmp, bytes));
    }

    /** The ONNX model of the subgraph of {@code g} computing {@code outputs}. */
    public static Onnx.ModelProto model(Graph g, List<String> outputs) {
        OnnxExporter e = new OnnxExporter(g.sd());
        e.graph.setName("sep4j");
        for (SameDiffOp op : e.opsFor(outputs)) {
            e.node(op);
        }
        for (String o : outputs) {
            e.graph.addOutput(e.valueInfo(o, null));
        }
        return Onnx.ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("sep4j")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(e.graph).build();
    }

    /** The ops the outputs depend on, in the order SameDiff holds them (the order they were built: topological). */
    private List<SameDiffOp> opsFor(List<String> outputs) {
        Set<String> needed = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (String o : outputs) {
            if (sd.getVariable(o) == null) {
                throw new IllegalArgumentException("no variable '" + o + "' in the graph");
            }
            todo.add(o);
        }
        Set<String> seen = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            String v = todo.poll();
            if (!seen.add(v)) {
                continue;
            }
            SDVariable var = sd.getVariable(v);
            switch (var.getVariableType()) {
                case PLACEHOLDER -> graph.addInput(valueInfo(v, var.getShape()));
                case VARIABLE, CONSTANT -> initializer(v, var.getArr());
                default -> {
                    DifferentialFunction f = sd.getVariableOutputOp(v);
                    if (f == null) {
                        throw new IllegalArgumentException("variable '" + v + "' has no producing op");
                    }
                    if (needed.add(f.getOwnName())) {
                        todo.addAll(sd.getOps().get(f.getOwnName()).getInputsToOp());
                    }
                }
            }
        }
        return sd.getOps().values().stream().filter(op -> needed.contains(op.getName())).toList();
    }

    private Onnx.ValueInfoProto valueInfo(String name, long[] shape) {
        SDVariable v = sd.getVariable(name);
        Onnx.TypeProto.Tensor.Builder t = Onnx.TypeProto.Tensor.newBuilder().setElemType(type(v.dataType()));
        if (shape != null) {
            Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder();
            for (int i = 0; i < shape.length; i++) {
                s.addDim(shape[i] < 0 ? Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(name + "_" + i)
                        : Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(shape[i]));
            }
            t.setShape(s);
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(t)).build();
    }

    private static int type(DataType d) {
        return switch (d) {
            case FLOAT -> Onnx.TensorProto.DataType.FLOAT_VALUE;
            case DOUBLE -> Onnx.TensorProto.DataType.DOUBLE_VALUE;
            case LONG -> Onnx.TensorProto.DataType.INT64_VALUE;
            case INT -> Onnx.TensorProto.DataType.INT32_VALUE;
            case BOOL -> Onnx.TensorProto.DataType.BOOL_VALUE;
            default -> throw new IllegalArgumentException("no ONNX export for data type " + d);
        };
    }

    private void initializer(String name, INDArray a) {
        if (initialised.add(name)) {
            graph.addInitializer(tensor(name, a));
        }
    }

    private static Onnx.TensorProto tensor(String name, INDArray a) {
        INDArray c = a.dup('c');
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(type(c.dataType()));
        for (long d : c.shape()) {
            t.addDims(d);
        }
        ByteBuffer b = ByteBuffer.allocate((int) (c.length() * c.dataType().width())).order(ByteOrder.LITTLE_ENDIAN);
        switch (c.dataType()) {
            case FLOAT -> b.asFloatBuffer().put(c.data().asFloat());
            case DOUBLE -> b.asDoubleBuffer().put(c.data().asDouble());
            case LONG -> b.asLongBuffer().put(c.data().asLong());
            case INT -> b.asIntBuffer().put(c.data().asInt());
            case BOOL -> {
                for (int v : c.data().asInt()) {
                    b.put((byte) (v != 0 ? 1 : 0));
                }
            }
            default -> throw new IllegalArgumentException("no ONNX export for data type " + c.dataType());
        }
        return t.setRawData(ByteString.copyFrom(b.array())).build();
    }

    /** A new initializer holding int64 values (shapes, axes, slice bounds). */
    private String longs(long... v) {
        String name = "onnx_const_" + fresh++;
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(Onnx.TensorProto.DataType.INT64_VALUE)
                .addDims(v.length);
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(v);
        graph.addInitializer(t.setRawData(ByteString.copyFrom(b.array())));
        return name;
    }

    /** A new rank-0 initializer of the given float type holding {@code value}. */
    private String scalar(double value, DataType type) {
        String name = "onnx_const_" + fresh++;
        INDArray s = org.nd4j.linalg.factory.Nd4j.scalar(type, value);
        graph.addInitializer(tensor(name, s));
        return name;
    }

    private String emit(String opType, List<String> in, String out, Onnx.AttributeProto... attrs) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(opType).setName(out + "_" + opType).addAllInput(in).addOutput(out);
        for (Onnx.AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return out;
    }

    private String temp() {
        return "onnx_tmp_" + fresh++;
    }

    private static Onnx.AttributeProto ints(String name, long... v) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    private static Onnx.AttributeProto intAttr(String name, long v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static Onnx.AttributeProto floatAttr(String name, double v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT).setF((float) v).build();
    }

    private static Onnx.AttributeProto stringAttr(String name, String v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(v)).build();
    }

    private IllegalArgumentException unsupported(DifferentialFunction f, String why) {
        return new IllegalArgumentException("ONNX export: op '" + f.getOwnName() + "' (" + f.opName() + ", "
                + f.getClass().getSimpleName() + ") " + why);
    }

    private static long[] iArgs(DifferentialFunction f) {
        return f instanceof DynamicCustomOp d ? d.iArgs() : new long[0];
    }

    private static long[] dims(DifferentialFunction f) {
        if (f instanceof BaseOp b && b.dimensions() != null) {
            return b.dimensions().toLongVector();
        }
        return new long[0];
    }

    private static Object prop(DifferentialFunction f, String key) {
        Map<String, Object> p = f.propertiesForFunction();
        return p == null ? null : p.get(key);
    }

    private static long number(Object o, String what, DifferentialFunction f) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException("ONNX export: op '" + f.getOwnName() + "' has no " + what);
    }

    private void node(SameDiffOp op) {
        DifferentialFunction f = op.getOp();
        List<String> in = op.getInputsToOp();
        List<String> outs = op.getOutputsOfOp();
        String out = outs.get(0);
        String name = f.opName();
        switch (name) {
            case "add", "subtract", "multiply", "divide" -> emit(switch (name) {
                case "add" -> "Add";
                case "subtract" -> "Sub";
                case "multiply" -> "Mul";
                default -> "Div";
            }, in, out);
            case "rsubtract" -> emit("Sub", List.of(in.get(1), in.get(0)), out);
            case "rdivide" -> emit("Div", List.of(in.get(1), in.get(0)), out);
            case "add_scalar", "sub_scalar", "mul_scalar", "div_scalar", "rsub_scalar", "rdiv_scalar", "pow_scalar" -> {
                double s = ((ScalarOp) f).scalar().getDouble(0);
                String c = scalar(s, sd.getVariable(in.get(0)).dataType());
                switch (name) {
                    case "add_scalar" -> emit("Add", List.of(in.get(0), c), out);
                    case "sub_scalar" -> emit("Sub", List.of(in.get(0), c), out);
                    case "mul_scalar" -> emit("Mul", List.of(in.get(0), c), out);
                    case "div_scalar" -> emit("Div", List.of(in.get(0), c), out);
                    case "rsub_scalar" -> emit("Sub", List.of(c, in.get(0)), out);
                    case "rdiv_scalar" -> emit("Div", List.of(c, in.get(0)), out);
                    default -> emit("Pow", List.of(in.get(0), c), out);
                }
            }
            case "sqrt", "erf", "sigmoid", "tanh", "exp", "log", "abs", "neg", "identity" -> emit(switch (name) {
                case "sqrt" -> "Sqrt";
                case "erf" -> "Erf";
                case "sigmoid" -> "Sigmoid";
                case "tanh" -> "Tanh";
                case "exp" -> "Exp";
                case "log" -> "Log";
                case "abs" -> "Abs";
                case "neg" -> "Neg";
                default -> "Identity";
            }, List.of(in.get(0)), out);
            case "rsqrt" -> emit("Reciprocal", List.of(emit("Sqrt", List.of(in.get(0)), temp())), out);
            case "relu" -> {
                if (f instanceof ScalarOp s && s.scalar().getDouble(0) != 0) {
                    throw unsupported(f, "has a non-zero cutoff");
                }
                emit("Relu", List.of(in.get(0)), out);
            }
            case "leakyrelu" -> {
                double alpha = f instanceof ScalarOp s ? s.scalar().getDouble(0)
                        : ((DynamicCustomOp) f).tArgs().length > 0 ? ((DynamicCustomOp) f).tArgs()[0] : 0.01;
                emit("LeakyRelu", List.of(in.get(0)), out, floatAttr("alpha", alpha));
            }
            case "softmax" -> emit("Softmax", List.of(in.get(0)), out, intAttr("axis", number(prop(f, "dimension"), "dimension", f)));
            case "concat" -> {
                if (Boolean.TRUE.equals(prop(f, "isDynamicAxis"))) {
                    throw unsupported(f, "has a dynamic axis");
                }
                emit("Concat", in, out, intAttr("axis", number(prop(f, "concatDimension"), "concatDimension", f)));
            }
            case "shape_of" -> emit("Shape", List.of(in.get(0)), out);
            case "permute" -> {
                if (in.size() > 1) {
                    throw unsupported(f, "takes its permutation as an array");
                }
                emit("Transpose", List.of(in.get(0)), out, ints("perm", iArgs(f)));
            }
            case "reshape" -> reshape(f, in, out);
            case "matmul" -> matmul(f, in, out);
            case "reduce_mean", "reduce_sum", "reduce_max", "reduce_min" -> reduce(f, in, out);
            case "strided_slice" -> stridedSlice(f, in, out);
            case "conv2d" -> conv2d(f, in, out);
            case "avgpool2d", "maxpool2d" -> pool(f, in, out);
            case "pad" -> pad(f, in, out);
            case "slice" -> slice(f, in, out);
            case "unstack" -> unstack(f, in, outs);
            case "stack" -> {
                long axis = iArgs(f).length > 0 ? iArgs(f)[0] : number(prop(f, "jaxis"), "axis", f);
                String axes = longs(axis);
                List<String> parts = new ArrayList<>();
                for (String x : in) {
                    parts.add(emit("Unsqueeze", List.of(x, axes), temp()));
                }
                emit("Concat", parts, out, intAttr("axis", axis));
            }
            case "expand_dims" -> emit("Unsqueeze", List.of(in.get(0), longs(axesOf(f, in))), out);
            case "squeeze" -> emit("Squeeze", List.of(in.get(0), longs(axesOf(f, in))), out);
            case "maximum", "minimum", "pow" -> emit(switch (name) {
                case "maximum" -> "Max";
                case "minimum" -> "Min";
                default -> "Pow";
            }, in, out);
            case "gather" -> {
                if (in.size() < 2) {
                    throw unsupported(f, "takes its indices as arguments");
                }
                emit("Gather", List.of(in.get(0), in.get(1)), out, intAttr("axis", iArgs(f).length > 0 ? iArgs(f)[0] : 0));
            }
            case "reverse" -> {
                long[] axes = axesOf(f, in);
                long[] starts = new long[axes.length];
                long[] ends = new long[axes.length];
                long[] steps = new long[axes.length];
                Arrays.fill(starts, -1);
                Arrays.fill(ends, Long.MIN_VALUE);
                Arrays.fill(steps, -1);
                emit("Slice", List.of(in.get(0), longs(starts), longs(ends), longs(axes), longs(steps)), out);
            }
            default -> throw unsupported(f, "has no ONNX mapping yet");
        }
    }

    private void reshape(DifferentialFunction f, List<String> in, String out) {
        if (in.size() == 2) {
            String shape = in.get(1);
            if (sd.getVariable(shape).dataType() != DataType.LONG) {
                shape = emit("Cast", List.of(shape), temp(), intAttr("to", Onnx.TensorProto.DataType.INT64_VALUE));
            }
            emit("Reshape", List.of(in.get(0), shape), out);
            return;
        }
        long[] a = iArgs(f);
        int from = 0;
        if (a.length > 0 && (a[0] == -'c' || a[0] == -'f')) {
            if (a[0] == -'f') {
                throw unsupported(f, "reshapes in Fortran order");
            }
            from = 1;
        }
        long[] shape = Arrays.copyOfRange(a, from, a.length);
        for (long d : shape) {
            if (d == 0) {
                throw unsupported(f, "has a zero-size axis (ONNX Reshape reads 0 as 'keep')");
            }
        }
        emit("Reshape", List.of(in.get(0), longs(shape)), out);
    }

    private void matmul(DifferentialFunction f, List<String> in, String out) {
        if (f instanceof DynamicCustomOp d && d.tArgs().length >= 2 && (d.tArgs()[0] != 1.0 || d.tArgs()[1] != 0.0)) {
            throw unsupported(f, "scales its product (alpha " + d.tArgs()[0] + ", beta " + d.tArgs()[1] + ")");
        }
        if (Boolean.TRUE.equals(prop(f, "transposeResult"))) {
            throw unsupported(f, "transposes its result");
        }
        String a = in.get(0);
        String b = in.get(1);
        if (Boolean.TRUE.equals(prop(f, "transposeA"))) {
            a = emit("Transpose", List.of(a), temp(), ints("perm", lastTwoSwapped(sd.getVariable(a))));
        }
        if (Boolean.TRUE.equals(prop(f, "transposeB"))) {
            b = emit("Transpose", List.of(b), temp(), ints("perm", lastTwoSwapped(sd.getVariable(b))));
        }
        emit("MatMul", List.of(a, b), out);
    }

    private long[] lastTwoSwapped(SDVariable v) {
        long[] shape = v.getShape();
        if (shape == null) {
            throw new IllegalArgumentException("ONNX export: '" + v.name() + "' is transposed but its rank is unknown");
        }
        long[] perm = new long[shape.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        perm[perm.length - 1] = perm.length - 2;
        perm[perm.length - 2] = perm.length - 1;
        return perm;
    }

    private void reduce(DifferentialFunction f, List<String> in, String out) {
        if (in.size() > 1) {
            throw unsupported(f, "takes its axes as an array");
        }
        long[] axes = dims(f);
        boolean keep = Boolean.TRUE.equals(prop(f, "keepDims"));
        String type = switch (f.opName()) {
            case "reduce_mean" -> "ReduceMean";
            case "reduce_sum" -> "ReduceSum";
            case "reduce_max" -> "ReduceMax";
            default -> "ReduceMin";
        };
        if (type.equals("ReduceSum")) { // opset 13 takes ReduceSum's axes as an input, the others as an attribute
            List<String> args = axes.length == 0 ? List.of(in.get(0)) : List.of(in.get(0), longs(axes));
            emit(type, args, out, intAttr("keepdims", keep ? 1 : 0));
        } else if (axes.length == 0) {
            emit(type, List.of(in.get(0)), out, intAttr("keepdims", keep ? 1 : 0));
        } else {
            emit(type, List.of(in.get(0)), out, ints("axes", axes), intAttr("keepdims", keep ? 1 : 0));
        }
    }

    /** TensorFlow-style strided slice (begin/end masks, shrink and new axes) as Slice + Squeeze/Unsqueeze. */
    private void stridedSlice(DifferentialFunction f, List<String> in, String out) {
        if (in.size() > 1) {
            throw unsupported(f, "takes its bounds as arrays");
        }
        long[] a = iArgs(f);
        long beginMask = a[0];
        long ellipsis = a[1];
        long endMask = a[2];
        long newAxis = a[3];
        long shrink = a[4];
        if (ellipsis != 0 || newAxis != 0) {
            throw unsupported(f, "uses an ellipsis or new-axis mask");
        }
        int n = (a.length - 5) / 3;
        long[] starts = new long[n];
        long[] ends = new long[n];
        long[] axes = new long[n];
        long[] steps = new long[n];
        List<Long> squeeze = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long begin = a[5 + i];
            long end = a[5 + n + i];
            long stride = a[5 + 2 * n + i];
            axes[i] = i;
            steps[i] = stride;
            if ((shrink >> i & 1) != 0) {
                starts[i] = begin;
                ends[i] = begin == -1 ? Long.MAX_VALUE : begin + 1;
                steps[i] = 1;
                squeeze.add((long) i);
                continue;
            }
            starts[i] = (beginMask >> i & 1) != 0 ? (stride > 0 ? 0 : Long.MAX_VALUE) : begin;
            ends[i] = (endMask >> i & 1) != 0 ? (stride > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : end;
        }
        String sliced = squeeze.isEmpty() ? out : temp();
        emit("Slice", List.of(in.get(0), longs(starts), longs(ends), longs(axes), longs(steps)), sliced);
        if (!squeeze.isEmpty()) {
            emit("Squeeze", List.of(sliced, longs(squeeze.stream().mapToLong(Long::longValue).toArray())), out);
        }
    }

    private void conv2d(DifferentialFunction f, List<String> in, String out) {
        long[] a = iArgs(f);
        if (a.length < 9) {
            throw unsupported(f, "has unexpected arguments " + Arrays.toString(a));
        }
        if (a.length > 9 && a[9] != 0) {
            throw unsupported(f, "is in NHWC layout");
        }
        long weightFormat = a.length > 10 ? a[10] : 0;
        String w = in.get(1);
        // to ONNX's [out, in, kH, kW]: from ND4J's [kH, kW, in, out] (0), [out, in, kH, kW] (1) or [out, kH, kW, in] (2)
        if (weightFormat == 0) {
            w = emit("Transpose", List.of(w), temp(), ints("perm", 3, 2, 0, 1));
        } else if (weightFormat == 2) {
            w = emit("Transpose", List.of(w), temp(), ints("perm", 0, 3, 1, 2));
        }
        List<String> args = new ArrayList<>(List.of(in.get(0), w));
        if (in.size() > 2) {
            args.add(in.get(2));
        }
        List<Onnx.AttributeProto> attrs = new ArrayList<>(List.of(ints("kernel_shape", a[0], a[1]), ints("strides", a[2], a[3]),
                ints("dilations", a[6], a[7])));
        attrs.add(a[8] == 1 ? stringAttr("auto_pad", "SAME_UPPER") : ints("pads", a[4], a[5], a[4], a[5]));
        emit("Conv", args, out, attrs.toArray(Onnx.AttributeProto[]::new));
    }

    /** Axes given as integer arguments, a dimensions property or a constant second input. */
    private long[] axesOf(DifferentialFunction f, List<String> in) {
        if (in.size() > 1) {
            SDVariable a = sd.getVariable(in.get(1));
            if (a.getVariableType() != VariableType.CONSTANT || a.getArr() == null) {
                throw unsupported(f, "takes computed axes");
            }
            return a.getArr().toLongVector();
        }
        if (iArgs(f).length > 0) {
            return iArgs(f);
        }
        long[] d = dims(f);
        if (d.length > 0) {
            return d;
        }
        throw unsupported(f, "names no axes");
    }

    private void pool(DifferentialFunction f, List<String> in, String out) {
        long[] a = iArgs(f);
        if (Boolean.TRUE.equals(prop(f, "isNHWC")) || (a.length > 10 && a[10] != 0)) {
            throw unsupported(f, "is in NHWC layout");
        }
        if (a[6] != 1 || a[7] != 1) {
            throw unsupported(f, "is dilated");
        }
        List<Onnx.AttributeProto> attrs = new ArrayList<>(List.of(ints("kernel_shape", a[0], a[1]), ints("strides", a[2], a[3])));
        attrs.add(a[8] == 1 ? stringAttr("auto_pad", "SAME_UPPER") : ints("pads", a[4], a[5], a[4], a[5]));
        if (f.opName().equals("avgpool2d") && (a[4] != 0 || a[5] != 0 || a[8] == 1)) {
            // ND4J's divisor mode for padded windows (iArgs[9]) is not mapped: only unpadded average pooling
            throw unsupported(f, "averages over padding");
        }
        emit(f.opName().equals("avgpool2d") ? "AveragePool" : "MaxPool", List.of(in.get(0)), out,
                attrs.toArray(Onnx.AttributeProto[]::new));
    }

    private void pad(DifferentialFunction f, List<String> in, String out) {
        INDArray p = sd.getVariable(in.get(1)).getArr();
        if (sd.getVariable(in.get(1)).getVariableType() != VariableType.CONSTANT || p == null) {
            throw unsupported(f, "takes computed paddings");
        }
        long mode = iArgs(f).length > 0 ? iArgs(f)[0] : 0;
        if (mode != 0 && mode != 1) {
            throw unsupported(f, "pads in mode " + mode + " (only constant and reflect map)");
        }
        long[][] pp = p.toLongMatrix();
        long[] pads = new long[2 * pp.length];
        for (int i = 0; i < pp.length; i++) {
            pads[i] = pp[i][0];
            pads[pp.length + i] = pp[i][1];
        }
        double value = f instanceof DynamicCustomOp d && d.tArgs().length > 0 ? d.tArgs()[0] : 0;
        emit("Pad", List.of(in.get(0), longs(pads), scalar(value, sd.getVariable(in.get(0)).dataType())), out,
                stringAttr("mode", mode == 0 ? "constant" : "reflect"));
    }

    /** Begin and size per axis (size −1: to the end). */
    private void slice(DifferentialFunction f, List<String> in, String out) {
        if (in.size() > 1) {
            throw unsupported(f, "takes its bounds as arrays");
        }
        long[] a = iArgs(f);
        int n = a.length / 2;
        long[] starts = Arrays.copyOfRange(a, 0, n);
        long[] ends = new long[n];
        long[] axes = new long[n];
        for (int i = 0; i < n; i++) {
            ends[i] = a[n + i] < 0 ? Long.MAX_VALUE : starts[i] + a[n + i];
            axes[i] = i;
        }
        emit("Slice", List.of(in.get(0), longs(starts), longs(ends), longs(axes)), out);
    }

    /** Unstack along an axis: equal Split, then each piece loses the axis. */
    private void unstack(DifferentialFunction f, List<String> in, List<String> outs) {
        long axis = number(prop(f, "dimensions"), "axis", f);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) {
            parts.add(temp());
        }
        Onnx.NodeProto.Builder split = Onnx.NodeProto.newBuilder().setOpType("Split").setName(outs.get(0) + "_Split")
                .addInput(in.get(0)).addAllOutput(parts).addAttribute(intAttr("axis", axis));
        graph.addNode(split);
        String axes = longs(axis);
        for (int i = 0; i < outs.size(); i++) {
            emit("Squeeze", List.of(parts.get(i), axes), outs.get(i));
        }
    }
}

package org.sep4j.models.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.models.nn.Graph;

/**
 * A {@code .onnx} model in an ONNX Runtime session. Inputs and outputs are ND4J arrays; a float,
 * C-ordered, non-view input is handed to the runtime as its own native buffer (no copy).
 * {@link #run} is thread-safe (ONNX Runtime sessions are).
 *
 * <pre>{@code
 * try (OrtModel m = OrtModel.open(Path.of("m2d.onnx"), OrtModel.Options.defaults().provider("auto"))) {
 *     INDArray logits = m.run(Map.of("logmel", x)).get("logits");
 * }
 * }</pre>
 */
public final class OrtModel implements AutoCloseable {

    /** One input or output: its name, shape (−1 for a free axis) and element type. */
    public record Port(String name, long[] shape, String type) {
        @Override
        public String toString() {
            return name + " " + type + Arrays.toString(shape);
        }
    }

    /**
     * How to run.
     *
     * @param provider     {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} (CUDA when usable, else CPU)
     * @param intraThreads threads inside an operator (0: the runtime's choice)
     * @param interThreads threads across operators (0: the runtime's choice)
     * @param optimization graph optimisation: {@code none}, {@code basic}, {@code extended} or {@code all}
     */
    public record Options(String provider, int intraThreads, int interThreads, String optimization) {

        public Options {
            provider = provider.toLowerCase(Locale.ROOT).strip();
            if (!provider.equals("cpu") && !provider.equals("auto") && !provider.matches("cuda(:\\d+)?")) {
                throw new IllegalArgumentException("onnx provider: expected cpu, cuda, cuda:N or auto, found '" + provider + "'");
            }
            optimization = optimization.toLowerCase(Locale.ROOT);
            if (!List.of("none", "basic", "extended", "all").contains(optimization)) {
                throw new IllegalArgumentException("onnx optimization: expected none, basic, extended or all, found '"
                        + optimization + "'");
            }
            if (intraThreads < 0 || interThreads < 0) {
                throw new IllegalArgumentException("onnx threads must be >= 0");
            }
        }

        public static Options defaults() {
            return new Options("cpu", 0, 0, "all");
        }

        public Options provider(String p) {
            return new Options(p, intraThreads, interThreads, optimization);
        }

        public Options threads(int intra, int inter) {
            return new Options(provider, intra, inter, optimization);
        }

        int device() {
            int colon = provider.indexOf(':');
            return colon < 0 ? 0 : Integer.parseInt(provider.substring(colon + 1));
        }
    }

    private final Path file;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String provider;
    private final List<Port> inputs;
    private final List<Port> outputs;

    private OrtModel(Path file, OrtEnvironment env, OrtSession session, String provider) throws OrtException {
        this.file = file;
        this.env = env;
        this.session = session;
        this.provider = provider;
        this.inputs = ports(session.getInputInfo());
        this.outputs = ports(session.getOutputInfo());
    }

    private static OrtEnvironment environment() {
        // FATAL only: a failed CUDA probe otherwise prints a C++ stack of errors; we report it ourselves.
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "sep4j");
    }

    /**
     * Opens a model and hands it to an adapter's constructor, which checks the model's contract; a
     * model the adapter refuses is closed before its error propagates.
     */
    static <T> T openAs(Path file, Options options, java.util.function.Function<OrtModel, T> adapter) throws IOException {
        OrtModel m = open(file, options);
        try {
            return adapter.apply(m);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** Opens a model; a CUDA provider that cannot be used is an error naming why (and what is missing). */
    public static OrtModel open(Path file, Options options) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": ONNX model not found");
        }
        return open(file, options, (env, so) -> env.createSession(file.toString(), so));
    }

    /**
     * A graph's subgraph computing {@code outputs}, exported to ONNX in memory (no file) and opened:
     * how inference runs a trained sep4j model in ONNX Runtime. {@code origin} (e.g. the checkpoint)
     * names the model in messages. Export errors (an op the exporter does not map) propagate.
     */
    public static OrtModel of(Graph g, List<String> outputs, Path origin, Options options)
            throws IOException {
        byte[] model = OnnxExporter.model(g, outputs).toByteArray();
        return open(origin, options, (env, so) -> env.createSession(model, so));
    }

    /** How a session is made from the environment and its options (from a file or from bytes). */
    @FunctionalInterface
    private interface SessionSource {
        OrtSession create(OrtEnvironment env, OrtSession.SessionOptions options) throws OrtException;
    }

    private static OrtModel open(Path file, Options options, SessionSource source) throws IOException {
        OrtEnvironment env = environment();
        String used = "cpu";
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(switch (options.optimization()) {
                case "none" -> OrtSession.SessionOptions.OptLevel.NO_OPT;
                case "basic" -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
                case "extended" -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
                default -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
            });
            if (options.intraThreads() > 0) {
                so.setIntraOpNumThreads(options.intraThreads());
            }
            if (options.interThreads() > 0) {
                so.setInterOpNumThreads(options.interThreads());
            }
            if (!options.provider().equals("cpu")) {
                // auto without the CUDA libraries on disk: CPU at once (the provider's own probe takes ~2.5 s to fail)
                String problem = options.provider().equals("auto") && !missingCudaLibraries().isEmpty()
                        ? "CUDA libraries missing" : addCuda(so, options.device());
                if (problem == null) {
                    used = "cuda:" + options.device();
                } else if (!options.provider().equals("auto")) {
                    List<String> missing = missingCudaLibraries();
                    throw new IllegalStateException("onnx provider " + options.provider() + " requested but the CUDA execution "
                            + "provider cannot be used: " + problem + (missing.isEmpty() ? "" : "; missing libraries: "
                            + String.join(", ", missing)) + "; use provider cpu (or auto to fall back to it)");
                }
            }
            OrtSession session = source.create(env, so);
            return new OrtModel(file, env, session, used);
        } catch (OrtException e) {
            throw new IOException(file + ": ONNX Runtime could not load the model: " + e.getMessage(), e);
        }
    }

    /** Null when the CUDA provider could be added to the options, else why not. */
    private static String addCuda(OrtSession.SessionOptions so, int device) {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return "this ONNX Runtime build has no CUDA provider";
        }
        try {
            so.addCUDA(device);
            return null;
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            String msg = String.valueOf(e.getMessage()).strip();
            int nl = msg.indexOf('\n');
            return nl < 0 ? msg : msg.substring(0, nl) + " ...";
        }
    }

    /** Null when a session with the CUDA provider (device 0) can be configured here, else why not. */
    public static String cudaProblem() {
        environment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            return addCuda(so, 0);
        }
    }

    /** Shared libraries the CUDA 12 provider of ONNX Runtime 1.23 links against that are not found. */
    public static List<String> missingCudaLibraries() {
        List<Path> dirs = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String d : ld.split(":")) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        for (String d : List.of("/usr/local/cuda/lib64", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib/x86_64-linux-gnu")) {
            dirs.add(Path.of(d));
        }
        List<String> missing = new ArrayList<>();
        for (String lib : List.of("libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12", "libcufft.so.11", "libcudnn.so.9")) {
            if (dirs.stream().noneMatch(d -> Files.exists(d.resolve(lib)))) {
                missing.add(lib);
            }
        }
        return missing;
    }

    private static List<Port> ports(Map<String, NodeInfo> info) {
        List<Port> out = new ArrayList<>();
        info.forEach((name, n) -> {
            if (n.getInfo() instanceof TensorInfo t) {
                out.add(new Port(name, t.getShape(), t.type.toString().toLowerCase(Locale.ROOT)));
            } else {
                out.add(new Port(name, new long[0], n.getInfo().toString()));
            }
        });
        return List.copyOf(out);
    }

    public Path file() {
        return file;
    }

    /** The execution provider in use: {@code cpu} or {@code cuda:N}. */
    public String provider() {
        return provider;
    }

    public List<Port> inputs() {
        return inputs;
    }

    public List<Port> outputs() {
        return outputs;
    }

    /**
     * Runs the model on named inputs (float; int64 inputs such as token ids take any ND4J array and
     * are cast); returns every float output by name.
     */
    public Map<String, INDArray> run(Map<String, INDArray> in) {
        for (String name : in.keySet()) {
            if (inputs.stream().noneMatch(p -> p.name().equals(name))) {
                throw new IllegalArgumentException(file + ": no input named '" + name + "'; the model takes " + inputs);
            }
        }
        for (Port p : inputs) {
            if (!in.containsKey(p.name())) {
                throw new IllegalArgumentException(file + ": input '" + p.name() + "' missing; the model takes " + inputs);
            }
            check(p, in.get(p.name()));
        }
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            for (Port p : inputs) {
                INDArray a = in.get(p.name());
                tensors.put(p.name(), p.type().equals("int64") ? longTensor(a) : tensor(a));
            }
            Map<String, INDArray> out = new LinkedHashMap<>();
            try (OrtSession.Result r = session.run(tensors)) {
                for (Map.Entry<String, OnnxValue> e : r) {
                    if (e.getValue() instanceof OnnxTensor t && t.getInfo().type == ai.onnxruntime.OnnxJavaType.FLOAT) {
                        FloatBuffer fb = t.getFloatBuffer();
                        float[] v = new float[fb.remaining()];
                        fb.get(v);
                        out.put(e.getKey(), Nd4j.create(v, t.getInfo().getShape(), 'c'));
                    }
                }
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException(file + ": ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    /** Rank and fixed axes must agree before the runtime sees the array (its own message names no input). */
    private void check(Port p, INDArray a) {
        long[] want = p.shape();
        long[] got = a.shape();
        boolean ok = want.length == got.length;
        for (int i = 0; ok && i < want.length; i++) {
            ok = want[i] < 0 || want[i] == got[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(file + ": input '" + p.name() + "' expects shape " + Arrays.toString(want)
                    + " (-1: any), found " + Arrays.toString(got));
        }
    }

    /** The array's own native buffer when it is float, C-ordered and not a view; else a compact copy. */
    private OnnxTensor tensor(INDArray a) throws OrtException {
        INDArray c = a.dataType() == DataType.FLOAT && a.ordering() == 'c' && !a.isView() && a.length() == a.data().length()
                ? a : a.castTo(DataType.FLOAT).dup('c');
        FloatBuffer fb = c.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        return OnnxTensor.createTensor(env, fb, c.shape());
    }

    private OnnxTensor longTensor(INDArray a) throws OrtException {
        long[] v = a.castTo(DataType.LONG).dup('c').data().asLong();
        return OnnxTensor.createTensor(env, LongBuffer.wrap(v), a.shape());
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(file + ": closing the ONNX Runtime session failed", e);
        }
    }

    /**
     * Open models by file and options, so components that name the same {@code .onnx} share one
     * session; a file changed on disk (size or modification time) is opened again.
     */
    public static final class Cache implements AutoCloseable {

        private record Key(Path file, long size, long modified, Options options) {
        }

        private final Map<Key, OrtModel> open = new ConcurrentHashMap<>();

        public OrtModel get(Path file, Options options) throws IOException {
            Path abs = file.toAbsolutePath().normalize();
            if (!Files.isRegularFile(abs)) {
                throw new IOException(file + ": ONNX model not found");
            }
            Key k = new Key(abs, Files.size(abs), Files.getLastModifiedTime(abs).toMillis(), options);
            OrtModel m = open.get(k);
            if (m == null) {
                synchronized (this) {
                    m = open.get(k);
                    if (m == null) {
                        m = OrtModel.open(abs, options);
                        open.put(k, m);
                    }
                }
            }
            return m;
        }

        public int size() {
            return open.size();
        }

        @Override
        public synchronized void close() {
            open.values().forEach(OrtModel::close);
            open.clear();
        }
    }
}

package org.sep4j.benchmarks.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.AdamW;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The stronger speed reference of {@link ModelTrainingBenchmark}: the same training step of the same
 * PyTorch replicas (tools/bench/torch_training.py), run by a current libtorch (2.7.1, DJL's
 * pytorch-engine with the offline {@code pytorch-native-cpu} jar) instead of Debian's torch 1.13.
 * The replicas come traced in training mode as TorchScript with their example inputs:
 * {@code tools/bench/torch_training.py --export results/bench/torchscript} writes them (Debian's
 * python3-torch; no download). A step is forward and loss (mean square of the output) in the traced
 * module, backward, global-norm clipping at 5 (torch's clip_grad_norm_: no host round trip) and
 * AdamW (DJL's, one fused libtorch call per parameter), on {@code threads} intra-op threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true", "-Xmx4g"})
public class LibtorchTrainingBenchmark {

    /** Where {@code torch_training.py --export} writes the traced replicas by default. */
    public static final String SCRIPTS = "results/bench/torchscript";

    @Param({"tagger", "baseline", "audiosep-sed"})
    public String model;

    @Param({"tiny"})
    public String size;

    @Param({"4"})
    public int batch;

    @Param({"2"})
    public int threads;

    @Param({SCRIPTS})
    public String scripts;

    private NDManager manager;
    private ZooModel<NDList, NDList> zoo;
    private Block block;
    private NDList inputs;
    private List<Pair<String, NDArray>> weights;
    private AdamW adamw;
    private final ParameterStore store = new ParameterStore();
    private float firstLoss = Float.NaN;
    private float lastLoss;
    private long steps;

    @Setup
    public void setup() throws Exception {
        int b = size.equals("full") ? 1 : batch;
        Path pt = Path.of(scripts, model + "-" + size + "-b" + b + ".pt");
        Path npz = Path.of(scripts, model + "-" + size + "-b" + b + ".npz");
        if (!Files.isRegularFile(pt) || !Files.isRegularFile(npz)) {
            throw new IllegalStateException(pt + " or its .npz is missing: export the replicas first with"
                    + " tools/bench/torch_training.py --export " + scripts + (size.equals("full") ? " --size full --batch 1" : ""));
        }
        JniUtils.setNumThreads(threads);
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(pt)
                .optEngine("PyTorch").optDevice(Device.cpu()).optOption("trainParam", "true").build();
        zoo = criteria.loadModel();
        block = zoo.getBlock();
        manager = zoo.getNDManager().newSubManager();
        inputs = NDList.decode(manager, Files.readAllBytes(npz));
        weights = new ArrayList<>();
        long count = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray w = p.getValue().getArray();
            weights.add(new Pair<>(p.getKey(), w));
            count += w.size();
        }
        adamw = AdamW.builder().optLearningRateTracker(Tracker.fixed(1e-3f)).optWeightDecays(0.01f).build();
        System.out.printf(java.util.Locale.ROOT, "%n%s %s: %,d parameters in %d tensors, libtorch %s, %d threads%n", model, size,
                count, weights.size(), Engine.getEngine("PyTorch").getVersion(), JniUtils.getNumThreads());
    }

    @TearDown
    public void close() {
        // that the step trains: the loss (mean square of the output) falls under AdamW
        System.out.printf(java.util.Locale.ROOT, "%n%s: loss %.5g after the first step, %.5g after %d%n", model, firstLoss, lastLoss, steps);
        manager.close();
        zoo.close();
    }

    @Benchmark
    public float trainingStep() {
        try (NDManager step = manager.newSubManager()) {
            inputs.tempAttach(step); // the step's intermediates follow their inputs' manager and go with it
            NDArray loss;
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                loss = block.forward(store, inputs, true).singletonOrThrow();
                collector.backward(loss);
            }
            List<NDArray> grads = new ArrayList<>(weights.size());
            NDList norms = new NDList(weights.size());
            for (Pair<String, NDArray> w : weights) {
                NDArray g = w.getValue().getGradient();
                g.attach(step);
                grads.add(g);
                norms.add(g.norm());
            }
            NDArray total = NDArrays.stack(norms).norm();
            NDArray coef = total.add(1e-6f).pow(-1f).mul(5f).clip(0f, 1f);
            for (int i = 0; i < grads.size(); i++) {
                grads.get(i).muli(coef);
                adamw.update(weights.get(i).getKey(), weights.get(i).getValue(), grads.get(i));
                JniUtils.zeroGrad((PtNDArray) weights.get(i).getValue());
            }
            lastLoss = loss.getFloat();
            if (steps++ == 0) {
                firstLoss = lastLoss;
            }
            return lastLoss;
        }
    }
}

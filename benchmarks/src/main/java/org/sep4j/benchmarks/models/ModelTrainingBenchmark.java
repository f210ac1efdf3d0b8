package org.sep4j.benchmarks.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sep4j.models.nn.Flops;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.sed.SedTagger;
import org.sep4j.models.sep.ResUNet;
import org.sep4j.models.sep.SeparatorConfig;
import org.sep4j.training.optim.Optimizer;
import org.sep4j.training.optim.ParamGroup;

/**
 * A training step as the Trainer takes it (forward, backward of every parameter, global-norm
 * clipping at 5, AdamW) of the tagger, the baseline separator (class FiLM) and the AudioSep-SED
 * separator (Time-FiLM + Soundbeam with a trainable SED), on compiled plans ({@code engine=plan})
 * or SameDiff's executor ({@code engine=samediff}); {@code tools/bench/torch_training.py} times the
 * same shapes in PyTorch.
 * {@code tiny}: batch 4 (or {@code batch}), 4-s clips at 16 kHz, tiny preset. {@code full}: batch 1 at the published
 * sizes, M2D ViT-B on 10 s at 16 kHz and ResUNet30 on 1 s at 32 kHz (a full 10-s separator step
 * needs a GPU-class memory budget). The setup prints the step's multiply-accumulate FLOPs
 * (3 × forward, {@link Flops}), so GFLOP/s = that / the step time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx8g"})
public class ModelTrainingBenchmark {

    @Param({"tagger", "baseline", "audiosep-sed"})
    public String model;

    @Param({"tiny"})
    public String size;

    @Param({"4"})
    public int batch;

    @Param({"plan", "samediff"})
    public String engine;

    /** Separators: train on crops of this many seconds of the 4-s tiny scenes (0: whole scenes). */
    @Param({"0"})
    public String crop;

    private Graph graph;
    private Map<String, INDArray> in;
    private String loss;
    private List<String> names;
    private Optimizer optimizer;

    @Setup(Level.Trial)
    public void setup() {
        int classes = 18;
        boolean full = size.equals("full");
        int batch = full ? 1 : this.batch;
        Nd4j.getRandom().setSeed(7);
        int whole = full ? (model.equals("tagger") ? 160_000 : 32_000) : 64_000;
        double cropSeconds = Double.parseDouble(crop);
        int samples = model.equals("tagger") || cropSeconds == 0 ? whole : (int) Math.round(cropSeconds * (full ? 32_000 : 16_000));
        int sedSamples = full && !model.equals("tagger") ? samples / 2 : samples;
        SedTagger sed = new SedTagger(ModelZooBenchmark.sed(full), model.equals("tagger") ? "" : "sed.", classes, sedSamples,
                full && !model.equals("tagger") ? whole / 2 : whole);
        graph = new Graph(1);
        graph.usePlans(engine.equals("plan")); // before building: under plans, batch norms are fused ops
        SDVariable out;
        if (model.equals("tagger")) {
            out = sed.apply(graph, sed.input(graph, "logmel")).clip();
            in = Map.of("logmel", Nd4j.rand(DataType.FLOAT, batch, 1, sed.config().nMels(), sed.frames()));
        } else {
            SeparatorConfig base = ModelZooBenchmark.separator(full);
            SeparatorConfig cfg = model.equals("baseline") ? new SeparatorConfig(base.nFft(), base.hopLength(), 4, base.channels(),
                    base.poolTime(), base.poolFreq(), 1, base.conditionDim(), new SeparatorConfig.TimeFilm(false, "additive"),
                    new SeparatorConfig.Soundbeam(false, true, "add"), base.dprnn(), base.iterations(), null) : base;
            ResUNet net = new ResUNet(cfg, cfg.needsSed() ? sed : null, classes, samples);
            out = net.build(graph, batch).estimate();
            in = ModelZooBenchmark.inputs(net, cfg.needsSed() ? sed : null, batch, samples, classes);
        }
        graph.sd().identity("bench_out", out);
        System.out.printf(java.util.Locale.ROOT, "%n%s %s: %.2f GFLOP per training step (3 x forward multiply-accumulates)%n",
                model, size, 3 * Flops.forward(graph, in) / 1e9);
        SDVariable l = out.mul(out).mean();
        graph.sd().setLossVariables(l);
        loss = l.name();
        names = graph.paramNames();
        optimizer = new Optimizer(Optimizer.Settings.adamw(false), List.of(ParamGroup.all(0.01)));
        System.out.printf(java.util.Locale.ROOT, "%s %s: %,d parameters%n", model, size, graph.parameterCount());
    }

    /** SameDiff's step arrays are released only when their handles are collected (as the Trainer does). */
    @TearDown(Level.Invocation)
    public void collect() {
        if (!graph.usesPlans()) {
            graph.release();
            System.gc();
        }
    }

    @Benchmark
    public double trainingStep() {
        OutAndGrad og = graph.gradientsAndOutputs(in, List.of(loss), names);
        Map<String, INDArray> grads = og.getGradients();
        double norm = Optimizer.clipGlobalNorm(grads, 5.0);
        Map<String, INDArray> params = new LinkedHashMap<>();
        for (String n : names) {
            params.put(n, graph.params().get(n).getArr());
        }
        optimizer.step(params, grads, 1e-3);
        return norm;
    }
}

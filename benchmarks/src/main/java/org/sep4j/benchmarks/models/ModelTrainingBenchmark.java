package org.sep4j.benchmarks.models;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.autodiff.samediff.SDVariable;
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
import org.sep4j.models.nn.Graph;
import org.sep4j.models.sed.SedTagger;
import org.sep4j.models.sep.ResUNet;
import org.sep4j.models.sep.SeparatorConfig;

/**
 * A training step (forward + backward of every parameter, batch 4, 4-s clips at 16 kHz, tiny
 * preset) of the tagger, the baseline separator (class FiLM) and the AudioSep-SED separator
 * (Time-FiLM + Soundbeam with a trainable SED). Full-size steps need a GPU-class memory budget.
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

    private Graph graph;
    private Map<String, INDArray> in;

    @Setup(Level.Trial)
    public void setup() {
        int classes = 18;
        int samples = 64_000;
        SedTagger sed = new SedTagger(ModelZooBenchmark.sed(false), model.equals("tagger") ? "" : "sed.", classes, samples);
        graph = new Graph(1);
        SDVariable out;
        if (model.equals("tagger")) {
            out = sed.apply(graph, sed.input(graph, "logmel")).clip();
            in = Map.of("logmel", Nd4j.rand(DataType.FLOAT, 4, 1, sed.config().nMels(), sed.frames()));
        } else {
            SeparatorConfig cfg = model.equals("baseline") ? SeparatorConfig.defaults() : ModelZooBenchmark.separator(false);
            ResUNet net = new ResUNet(cfg, cfg.needsSed() ? sed : null, classes, samples);
            out = net.build(graph, 4).estimate();
            in = ModelZooBenchmark.inputs(net, cfg.needsSed() ? sed : null, 4, samples, classes);
        }
        graph.sd().setLossVariables(out.mul(out).mean());
    }

    /** Native step memory is released only when its handles are collected (as the Trainer does). */
    @TearDown(Level.Invocation)
    public void collect() {
        System.gc();
    }

    @Benchmark
    public Object trainingStep() {
        return graph.gradients(in, graph.paramNames());
    }
}

package org.sep4j.benchmarks.models;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
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

/**
 * The same model run by SameDiff and, exported by {@link org.sep4j.models.onnx.OnnxExporter}, by ONNX Runtime's CPU
 * provider: the DCASE 2025 Task 4 tagger and the AudioSep-SED separator at the sizes of
 * {@link ModelZooBenchmark}, batch 1 and 8. The CUDA provider has its own benchmark,
 * {@link OnnxCudaBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx8g"})
public class OnnxVsSameDiffBenchmark {

    @Param({"tagger", "separator"})
    public String model;

    @Param({"tiny", "full"})
    public String size;

    @Param({"1", "8"})
    public int batch;

    @Param({"cpu"})
    public String provider;

    private ExportedModel subject;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        subject = new ExportedModel(model, size, batch, provider);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        subject.close();
    }

    @Benchmark
    public Object sameDiff() {
        return subject.graph.output(subject.inputs, subject.output);
    }

    @Benchmark
    public Object onnxRuntime() {
        return subject.ort.run(subject.inputs);
    }
}

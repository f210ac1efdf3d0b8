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
 * The exported tagger and separator of {@link OnnxVsSameDiffBenchmark} under ONNX Runtime's CUDA
 * provider (device 0), to read against its CPU figures. On a machine where the CUDA provider cannot
 * start, {@code ./sep4j bench} leaves this benchmark out and says why ({@link org.sep4j.benchmarks.BenchMain}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx8g"})
public class OnnxCudaBenchmark {

    @Param({"tagger", "separator"})
    public String model;

    @Param({"tiny", "full"})
    public String size;

    @Param({"1", "8"})
    public int batch;

    private ExportedModel subject;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        subject = new ExportedModel(model, size, batch, "cuda:0");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        subject.close();
    }

    @Benchmark
    public Object onnxRuntimeCuda() {
        return subject.ort.run(subject.inputs);
    }
}

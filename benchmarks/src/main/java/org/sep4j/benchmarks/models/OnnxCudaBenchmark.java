package org.sep4j.benchmarks.models;

import org.openjdk.jmh.annotations.Benchmark;

/**
 * The exports of {@link OnnxVsSameDiffBenchmark} under ONNX Runtime's CUDA provider (device 0), to
 * read against its CPU figures. Where the CUDA provider cannot start, {@code ./sep4j bench} leaves
 * this benchmark out and says why ({@link org.sep4j.benchmarks.BenchMain}).
 */
public class OnnxCudaBenchmark extends ExportedModel {

    @Override
    String provider() {
        return "cuda:0";
    }

    @Benchmark
    public Object onnxRuntimeCuda() {
        return ort.run(inputs);
    }
}

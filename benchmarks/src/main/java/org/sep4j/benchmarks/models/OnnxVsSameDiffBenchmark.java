package org.sep4j.benchmarks.models;

import org.openjdk.jmh.annotations.Benchmark;

/**
 * The same model run by SameDiff and, exported by {@link org.sep4j.models.onnx.OnnxExporter}, by
 * ONNX Runtime's CPU provider ({@link ExportedModel}: tagger and separator, tiny and full, batch 1
 * and 8). The CUDA provider has its own benchmark, {@link OnnxCudaBenchmark}.
 */
public class OnnxVsSameDiffBenchmark extends ExportedModel {

    @Override
    String provider() {
        return "cpu";
    }

    @Benchmark
    public Object sameDiff() {
        return graph.output(inputs, output);
    }

    @Benchmark
    public Object onnxRuntime() {
        return ort.run(inputs);
    }
}

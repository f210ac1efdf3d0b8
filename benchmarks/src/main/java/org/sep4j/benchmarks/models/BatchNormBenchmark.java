package org.sep4j.benchmarks.models;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import org.openjdk.jmh.annotations.Warmup;
import org.sep4j.models.nn.BatchNorm;
import org.sep4j.models.nn.Graph;

/**
 * Forward + backward of one ResUNet normalisation, LeakyReLU(BN(x) + β) with a FiLM shift β
 * {@code [B, C, 1, 1]}, in training mode under plans: the fused op ({@code fused=true}) against the
 * SameDiff composition of the same layer ({@code false}). Shapes: the tiny separator's first and a
 * deeper encoder block at batch 4. The fused op reads image-sized arrays 3 times forward (x: mean,
 * variance, output) and 8 times backward (dy and y for Σdz; dy, y and x for Σdz·x̂ and for dx) and
 * writes one in each direction.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class BatchNormBenchmark {

    @Param({"true", "false"})
    public boolean fused;

    /** B,C,H,W. */
    @Param({"4,8,504,128", "4,32,126,32"})
    public String shape;

    private Graph graph;
    private Map<String, INDArray> in;
    private List<String> wrt;

    @Setup
    public void setup() {
        long[] s = java.util.Arrays.stream(shape.split(",")).mapToLong(Long::parseLong).toArray();
        graph = new Graph(1);
        graph.fuseOps(fused);
        SDVariable x = graph.input("x", -1, s[1], s[2], s[3]);
        SDVariable beta = graph.input("beta", -1, s[1], 1, 1);
        SDVariable y = BatchNorm.of("bn", (int) s[1], 4).applyLeakyRelu(graph, x, beta, 0.01);
        SDVariable w = graph.input("w", -1, s[1], s[2], s[3]);
        graph.sd().setLossVariables(y.mul(w).sum());
        in = Map.of("x", Nd4j.rand(DataType.FLOAT, s).subi(0.5), "beta", Nd4j.rand(DataType.FLOAT, s[0], s[1], 1, 1),
                "w", Nd4j.rand(DataType.FLOAT, s));
        wrt = List.of("x", "beta", "bn.weight", "bn.bias");
    }

    @Benchmark
    public Object forwardBackward() {
        return graph.gradientsAndOutputs(in, List.of(), wrt).getGradients();
    }
}

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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sep4j.models.nn.Activations;
import org.sep4j.models.nn.BatchNorm;
import org.sep4j.models.nn.Conv2d;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.LayerNorm;
import org.sep4j.models.nn.Linear;
import org.sep4j.models.nn.MultiheadAttention;

/**
 * Forward + backward of (a) a ResUNet-style conv stack — 4 × [BatchNorm → LeakyReLU → 3×3 conv],
 * 32 channels on [4, 32, 64, 64]: 4·2·(32·32·9)·(4·64·64) ≈ 1.21 GFLOP forward, ~3.6 GFLOP with the
 * backward pass — and (b) a pre-LN transformer block (dim 128, 4 heads, MLP 512) on [4, 62, 128].
 * Divide the FLOPs by the time for GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class EngineBenchmark {

    private Graph conv;
    private Map<String, INDArray> convIn;
    private List<String> convParams;
    private Graph block;
    private Map<String, INDArray> blockIn;
    private List<String> blockParams;

    @Setup
    public void setup() {
        conv = new Graph(1);
        SDVariable x = conv.input("x", -1, 32, 64, 64);
        SDVariable h = x;
        for (int i = 0; i < 4; i++) {
            h = BatchNorm.of("blocks." + i + ".bn", 32, 4).apply(conv, h);
            h = Activations.leakyRelu(conv, h, 0.01);
            h = Conv2d.same("blocks." + i + ".conv", 32, 32, 3).apply(conv, h);
        }
        conv.sd().setLossVariables(h.mul(h).mean());
        convIn = Map.of("x", Nd4j.rand(DataType.FLOAT, 4, 32, 64, 64));
        convParams = conv.paramNames();

        block = new Graph(2);
        SDVariable t = block.input("t", -1, 62, 128);
        SDVariable normed = new LayerNorm("norm1", 128).apply(block, t);
        SDVariable a = new MultiheadAttention("attn", 128, 4).apply(block, normed, normed, 62, 62);
        SDVariable r = t.add(a);
        SDVariable flat = new LayerNorm("norm2", 128).apply(block, r).reshape(-1, 128);
        SDVariable m = new Linear("mlp.fc2", 512, 128).apply(block,
                Activations.gelu(block, new Linear("mlp.fc1", 128, 512).apply(block, flat)));
        SDVariable out = r.add(m.reshape(-1, 62, 128));
        block.sd().setLossVariables(out.mul(out).mean());
        blockIn = Map.of("t", Nd4j.rand(DataType.FLOAT, 4, 62, 128));
        blockParams = block.paramNames();
    }

    @Benchmark
    public Map<String, INDArray> convStackForwardBackward() {
        return conv.gradients(convIn, convParams);
    }

    @Benchmark
    public Map<String, INDArray> transformerBlockForwardBackward() {
        return block.gradients(blockIn, blockParams);
    }
}

package org.sep4j.benchmarks.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
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
import org.sep4j.models.nn.Flops;
import org.sep4j.models.sslam.EatConfig;
import org.sep4j.training.optim.Optimizer;
import org.sep4j.training.optim.ParamGroup;
import org.sep4j.training.sslam.EatPretraining;
import org.sep4j.training.sslam.InverseBlockMask;

/**
 * One EAT / SSLAM pre-training step as {@code sep4j train experiment=sslam/pretrain} takes it: the
 * teacher's targets and the inverse block masks ({@link EatPretraining#batch}), the student's
 * forward and backward over the visible patches and the decoder, clipping at 4, AdamW, the EMA
 * update. {@code tiny}: the experiment's encoder (dim 64, depth 2) on 3.84-s clips, batch 4 × 8
 * clones; {@code full}: ViT-B on 10-s clips, batch 1 × 2 clones (EAT's is 12 × 16 per GPU). With
 * {@code stage=2} the batch's mixtures and the source-retention targets are added. The setup prints
 * the step's multiply-accumulate FLOPs (3 × the student's forward + the teachers'), so GFLOP/s is
 * that / the step time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx8g"})
public class SslamPretrainingBenchmark {

    @Param({"tiny"})
    public String size;

    @Param({"1", "2"})
    public int stage;

    private EatPretraining method;
    private INDArray fbank;
    private List<String> names;
    private Optimizer optimizer;
    private long step;

    @Setup
    public void setup() {
        boolean full = size.equals("full");
        EatConfig cfg = full ? EatConfig.base() : EatConfig.tiny();
        int frames = full ? 1024 : 384;
        int batch = full ? 1 : 4;
        int clones = full ? 2 : 8;
        EatPretraining.Settings s = new EatPretraining.Settings(new InverseBlockMask(0.8, 5, 0.07), clones, 0.01, 1.0, 0.9998,
                0.99999, 100_000, 6, 16);
        EatPretraining.Mixing mixing = stage == 2 ? new EatPretraining.Mixing(full ? 240 : 96, 2.0, true) : null;
        method = new EatPretraining(cfg, frames, s, mixing, 1);
        Nd4j.getRandom().setSeed(7);
        fbank = Nd4j.randn(DataType.FLOAT, batch, 1, frames, EatConfig.MEL_BINS).muli(0.5);
        Map<String, INDArray> in = method.batch(fbank, new SplittableRandom(1));
        // the teacher sees each clip (and each mixture) once; the partner-alone pass of stage 2 is left out of the count
        long teacherMacs = Flops.forward(method.ema().teacher(), Map.of("fbank", stage == 2 ? Nd4j.concat(0, fbank, fbank) : fbank));
        System.out.printf(java.util.Locale.ROOT, "%nEAT pre-training %s stage %d: %.2f GFLOP per step (3 x student forward + teacher)"
                + ", %,d student parameters%n", size, stage, (3.0 * Flops.forward(method.student(), in) + teacherMacs) / 1e9,
                method.student().parameterCount());
        names = method.student().paramNames();
        optimizer = new Optimizer(new Optimizer.Settings(Optimizer.Kind.ADAMW, 0.9, 0.95, 1e-8, false, false),
                List.of(ParamGroup.all(0.05)));
    }

    @Benchmark
    public double pretrainingStep() {
        Map<String, INDArray> in = method.batch(fbank, new SplittableRandom(step));
        OutAndGrad og = method.student().gradientsAndOutputs(in, List.of(EatPretraining.LOSS), names);
        Map<String, INDArray> grads = og.getGradients();
        double norm = Optimizer.clipGlobalNorm(grads, 4.0);
        Map<String, INDArray> params = new LinkedHashMap<>();
        for (String n : names) {
            params.put(n, method.student().params().get(n).getArr());
        }
        optimizer.step(params, grads, 5e-4);
        method.ema().update(step++);
        return norm;
    }
}

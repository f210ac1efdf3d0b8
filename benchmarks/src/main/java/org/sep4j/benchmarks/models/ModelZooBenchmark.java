package org.sep4j.benchmarks.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.sed.SedConfig;
import org.sep4j.models.sed.SedTagger;
import org.sep4j.models.sep.ResUNet;
import org.sep4j.models.sep.SeparatorConfig;

/**
 * Inference of one clip (batch 1; real-time factor = time / clip length) for the DCASE 2025 Task 4
 * tagger and the AudioSep-SED separator (Time-FiLM + Soundbeam). {@code tiny}: the tiny preset on
 * 4-s clips at 16 kHz. {@code full}: M2D ViT-B on 10 s at 16 kHz and ResUNet30 (+ its SED) on 1 s
 * at 32 kHz. Training steps: {@link ModelTrainingBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx8g"})
public class ModelZooBenchmark {

    @Param({"tiny", "full"})
    public String size;

    private Graph taggerEval;
    private Map<String, INDArray> taggerOne;
    private String clip;
    private Graph sepEval;
    private Map<String, INDArray> sepOne;

    static SedConfig sed(boolean full) {
        SedConfig t = SedConfig.defaults();
        return full ? new SedConfig(16000, 400, 400, 160, 80, 50, 8000, "slaney", -7.1, 4.2, 16, 768, 12, 12, 4, 1e-6, "attention", 250, 0, null, "m2d") : t;
    }

    static SeparatorConfig separator(boolean full) {
        SeparatorConfig t = SeparatorConfig.defaults();
        return new SeparatorConfig(full ? 2048 : t.nFft(), full ? 160 : t.hopLength(), 4,
                full ? List.of(32, 64, 128, 256, 384, 384) : t.channels(), full ? List.of(2, 2, 2, 2, 2, 1) : t.poolTime(),
                full ? List.of(2, 2, 2, 2, 2, 2) : t.poolFreq(), 1, full ? 512 : t.conditionDim(),
                new SeparatorConfig.TimeFilm(true, "additive"), new SeparatorConfig.Soundbeam(true, true, "add"),
                t.dprnn(), t.iterations(), null);
    }

    @Setup(Level.Trial)
    public void setup() {
        boolean full = size.equals("full");
        int classes = 18;
        int sedSamples = full ? 160_000 : 64_000;
        SedTagger tagger = new SedTagger(sed(full), "", classes, sedSamples);
        taggerEval = new Graph(1);
        taggerEval.train(false);
        clip = tagger.apply(taggerEval, tagger.input(taggerEval, "logmel")).clip().name();
        taggerOne = Map.of("logmel", Nd4j.rand(DataType.FLOAT, 1, 1, sed(full).nMels(), tagger.frames()));
        int rate = full ? 32_000 : 16_000;
        int samples = full ? rate : 64_000;
        int sedOfClip = full ? 16_000 : samples;
        SedTagger stage2 = new SedTagger(sed(full), "sed.", classes, sedOfClip);
        ResUNet net = new ResUNet(separator(full), stage2, classes, samples);
        sepEval = new Graph(2);
        sepEval.train(false);
        net.build(sepEval, -1);
        sepOne = inputs(net, stage2, 1, samples, classes);
    }

    static Map<String, INDArray> inputs(ResUNet net, SedTagger sed, int batch, int samples, int classes) {
        SplittableRandom r = new SplittableRandom(3);
        float[][][] mix = new float[batch][4][samples];
        for (float[][] m : mix) {
            for (float[] c : m) {
                for (int i = 0; i < samples; i++) {
                    c[i] = (float) (r.nextDouble() - 0.5);
                }
            }
        }
        Map<String, INDArray> in = new LinkedHashMap<>(net.analyse(mix));
        INDArray q = Nd4j.zeros(DataType.FLOAT, batch, classes);
        for (int b = 0; b < batch; b++) {
            q.putScalar(b, b % classes, 1);
        }
        in.put(ResUNet.QUERY, q);
        in.put(ResUNet.ACTIVE, Nd4j.ones(DataType.FLOAT, batch, 1));
        if (sed != null) {
            in.put(ResUNet.LOGMEL, Nd4j.rand(DataType.FLOAT, batch, 1, sed.config().nMels(), sed.frames()));
        }
        return in;
    }

    @Benchmark
    public Object taggerInference() {
        return taggerEval.output(taggerOne, clip);
    }

    @Benchmark
    public Object separatorInference() {
        return sepEval.output(sepOne, ResUNet.ESTIMATE);
    }
}

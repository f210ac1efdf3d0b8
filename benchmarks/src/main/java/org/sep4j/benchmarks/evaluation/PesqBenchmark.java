package org.sep4j.benchmarks.evaluation;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.sep4j.evaluation.metrics.Pesq;

/**
 * PESQ on one core: 8 s of speech-like signal (voiced syllables of 120–250 ms with a falling
 * pitch and three formant peaks, separated by 80–400 ms pauses) against a copy 23 ms late with
 * white noise at 20 dB SNR. Real time factor = 8 s / the time per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PesqBenchmark {

    static final double SECONDS = 8;

    /** nb8: narrowband at 8 kHz; nb16: narrowband at 16 kHz; wb16: wideband at 16 kHz. */
    @Param({"nb8", "nb16", "wb16"})
    String mode;

    private Pesq pesq;
    private int rate;
    private float[] ref;
    private float[] deg;

    @Setup
    public void setup() {
        // One core: JTransforms would otherwise split the long level-alignment FFTs over threads.
        org.visnow.jlargearrays.ConcurrencyUtils.setNumberOfThreads(1);
        rate = mode.endsWith("16") ? 16000 : 8000;
        pesq = new Pesq(mode.startsWith("wb") ? Pesq.Mode.WB : Pesq.Mode.NB);
        ref = speechLike(rate, SECONDS, new SplittableRandom(5));
        deg = new float[ref.length];
        int delay = (int) (0.023 * rate);
        double power = 0;
        for (float v : ref) {
            power += v * v;
        }
        double sigma = Math.sqrt(power / ref.length / 100);
        SplittableRandom r = new SplittableRandom(6);
        for (int i = 0; i < deg.length; i++) {
            double gauss = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
            deg[i] = (float) ((i >= delay ? ref[i - delay] : 0) + sigma * gauss);
        }
    }

    /** Syllables: harmonics of a gliding pitch under three resonances, Hann-enveloped, with pauses. */
    static float[] speechLike(int rate, double seconds, SplittableRandom r) {
        float[] x = new float[(int) (seconds * rate)];
        double[] formants = {700, 1200, 2600};
        int t = (int) (0.3 * rate);
        while (t < x.length - rate / 4) {
            int len = (int) ((0.12 + 0.13 * r.nextDouble()) * rate);
            double f0 = 110 + 90 * r.nextDouble();
            double shift = 0.8 + 0.4 * r.nextDouble();
            for (int i = 0; i < len && t + i < x.length; i++) {
                double pitch = f0 * (1 - 0.2 * i / len);
                double env = 0.5 * (1 - Math.cos(2 * Math.PI * i / len));
                double s = 0;
                for (int h = 1; pitch * h < rate / 2.0 - 200; h++) {
                    double f = pitch * h;
                    double gain = 0;
                    for (double fm : formants) {
                        double d = (f - fm * shift) / 150;
                        gain += 1 / (1 + d * d);
                    }
                    s += gain / h * Math.sin(2 * Math.PI * f * (t + i) / rate);
                }
                x[t + i] = (float) (0.1 * env * s);
            }
            t += len + (int) ((0.08 + 0.32 * r.nextDouble()) * rate);
        }
        return x;
    }

    @Benchmark
    public double score8Seconds() {
        return pesq.score(ref, deg, rate).mos();
    }
}

package org.sep4j.benchmarks.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.sep4j.evaluation.metrics.BssEval;
import org.sep4j.evaluation.metrics.CaSdri;
import org.sep4j.evaluation.metrics.SiSdr;

/**
 * BSS Eval v3 (sources, with permutation) on 2 and 4 sources × 10 s at 16 kHz — the case of
 * tools/bench/mir_eval_bss.py — SI-SDR on 10 s, and CA-SDRi over 1,000 three-target mixtures of 4 s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MetricsBenchmark {

    @Param({"2", "4"})
    int sources;

    private float[][] refs;
    private float[][] ests;
    private List<Map<String, float[]>> caRefs;
    private List<Map<String, float[]>> caEsts;
    private float[] caMix;

    private static float[] noise(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(1);
        refs = new float[sources][];
        for (int j = 0; j < sources; j++) {
            refs[j] = noise(r, 160_000);
        }
        ests = new float[sources][160_000];
        for (int j = 0; j < sources; j++) {
            for (int t = 0; t < 160_000; t++) {
                float leak = 0;
                for (float[] ref : refs) {
                    leak += ref[t];
                }
                ests[j][t] = 0.8f * refs[j][t] + 0.2f / sources * leak + 0.1f * (float) (r.nextDouble() - 0.5);
            }
        }
        // CA-SDRi: 1,000 mixtures drawn from a small pool of 4 s signals
        String[] labels = {"Speech", "Dog", "Bell", "Cough", "Typing"};
        List<float[]> pool = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pool.add(noise(r, 64_000));
        }
        caMix = noise(r, 64_000);
        caRefs = new ArrayList<>();
        caEsts = new ArrayList<>();
        for (int m = 0; m < 1000; m++) {
            Map<String, float[]> ref = new LinkedHashMap<>();
            Map<String, float[]> est = new LinkedHashMap<>();
            for (int k = 0; k < 3; k++) {
                String label = labels[(m + k) % labels.length];
                ref.put(label, pool.get((m + k) % pool.size()));
                est.put(k == 2 && m % 3 == 0 ? "silence" : label, pool.get((m + 2 * k + 1) % pool.size()));
            }
            caRefs.add(ref);
            caEsts.add(est);
        }
    }

    @Benchmark
    public BssEval.Sources bssEvalSources10s16k() {
        return BssEval.sources(refs, ests, true);
    }

    @Benchmark
    public double siSdr10s16k() {
        return SiSdr.siSdr(ests[0], refs[0]);
    }

    @Benchmark
    public double caSdri1000Mixtures() {
        List<CaSdri.Mixture> out = new ArrayList<>(1000);
        for (int m = 0; m < 1000; m++) {
            out.add(CaSdri.mixture(caRefs.get(m), caEsts.get(m), caMix));
        }
        return CaSdri.mean(out);
    }
}

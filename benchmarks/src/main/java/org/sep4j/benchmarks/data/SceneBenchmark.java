package org.sep4j.benchmarks.data;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sep4j.data.library.ProceduralLibrary;
import org.sep4j.data.scene.Scene;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.data.scene.SceneSpec;

/**
 * S5 mixtures per second on both cores (8 items per invocation in parallel): {@code tiny} (16 kHz,
 * 4 s) and {@code full} (32 kHz, 10 s, events up to 10 s, 0.5 s RIRs). Target: full-preset
 * generation fast enough to feed training, ≥ 10 mixtures/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(1)
public class SceneBenchmark {

    private static final int BATCH = 8;

    @Param({"tiny", "full"})
    String preset;

    private SceneGenerator gen;
    private final AtomicLong next = new AtomicLong();

    @Setup
    public void setup() {
        SceneSpec d = SceneSpec.defaults();
        SceneSpec spec = preset.equals("tiny") ? d
                : new SceneSpec(32000, 10.0, 10.0, 0, d.refDb(), d.snrRange(), d.neventRange(), d.interferenceSnrRange(),
                        d.ninterferenceRange(), d.maxEventOverlap(), d.overlapGrid(), d.spatializeDirectPathTimeMs(),
                        d.refChannel(), d.nSources(), d.labelVectorMode(), d.frameHop(), d.maxAttempts(),
                        new SceneSpec.Room(List.of(3.0, 3.0, 2.5), List.of(10.0, 8.0, 4.0), List.of(0.2, 1.0), 8, 0.5, 0.042, null, null));
        gen = new SceneGenerator(spec, new ProceduralLibrary(spec.sampleRate(), 0), ProceduralLibrary.TARGETS,
                ProceduralLibrary.INTERFERENCE, ProceduralLibrary.BACKGROUNDS);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long mixtures() {
        long base = next.getAndAdd(BATCH);
        return LongStream.range(base, base + BATCH).parallel().mapToObj(gen::generate).mapToLong(Scene::samples).sum();
    }
}

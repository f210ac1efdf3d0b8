package org.sep4j.benchmarks.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.sep4j.sim.room.Directivity;
import org.sep4j.sim.room.ImageSourceRir;
import org.sep4j.sim.room.MicArray;
import org.sep4j.sim.room.ShoeboxRoom;
import org.sep4j.sim.room.Vec3;

/**
 * 4-channel (tetrahedral) RIRs of 0.5 s at 16 kHz, image order 8 and 12, 64 source positions per
 * batch spread over both cores; the score is RIRs per second. (A plain numpy ISM does ~1,100 mono
 * order-8 RIRs/s on one core.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RirBenchmark {

    private static final int BATCH = 64;

    @Param({"8", "12"})
    int order;

    private ImageSourceRir ism;
    private List<Vec3> sources;
    private MicArray array;
    private Vec3 centre;

    @Setup
    public void setup() {
        ShoeboxRoom room = ShoeboxRoom.withRt60(new Vec3(6, 5, 3), 0.5, ShoeboxRoom.Rt60Model.EYRING, 16000);
        ism = new ImageSourceRir(room, new ImageSourceRir.Options(order, 8000, false, 1));
        array = MicArray.tetrahedral(MicArray.TETRA_RADIUS, Directivity.OMNI);
        centre = new Vec3(3, 2.5, 1.5);
        SplittableRandom r = new SplittableRandom(1);
        sources = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            sources.add(new Vec3(0.5 + 5 * r.nextDouble(), 0.5 + 4 * r.nextDouble(), 0.5 + 2 * r.nextDouble()));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<float[][]> rirs4chHalfSecond16k() {
        return ism.batch(sources, centre, array);
    }
}

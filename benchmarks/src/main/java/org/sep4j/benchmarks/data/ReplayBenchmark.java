package org.sep4j.benchmarks.data;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.WavEncoding;
import org.sep4j.core.audio.WavWriter;
import org.sep4j.core.io.Folders;
import org.sep4j.core.io.Json;
import org.sep4j.data.dcase.MetadataScenes;
import org.sep4j.data.library.ProceduralLibrary;
import org.sep4j.data.scene.Scene;
import org.sep4j.sim.room.Directivity;
import org.sep4j.sim.room.ImageSourceRir;
import org.sep4j.sim.room.MicArray;
import org.sep4j.sim.room.ShoeboxRoom;
import org.sep4j.sim.room.Vec3;

/**
 * Official validation soundscapes replayed per second on both cores (8 per invocation in parallel),
 * at the official size: 10 s at 32 kHz, two targets and one interference event of 4 s, a 4-channel
 * background, a SOFA room of 8 measured positions with 0.5-s responses (written here with jhdf from
 * the image-source simulator). Clips are read from disk on every scene, as in a validation pass.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(1)
public class ReplayBenchmark {

    private static final int BATCH = 8;
    private static final int RATE = 32000;
    private static final int SCENES = 16;

    private Path dir;
    private MetadataScenes scenes;
    private final AtomicLong next = new AtomicLong();

    @Setup
    public void setup() throws IOException {
        dir = Files.createTempDirectory("sep4j-replay");
        Path dev = dir.resolve("dev_set");
        ProceduralLibrary lib = new ProceduralLibrary(RATE, 0);
        List<String> targets = ProceduralLibrary.TARGETS.subList(0, 6);
        for (String c : targets) {
            wav(dev.resolve("sound_event/valid/" + c + "/" + c + ".wav"), new float[][] {lib.clip(c, 0)});
        }
        wav(dev.resolve("interference/valid/Siren/siren.wav"), new float[][] {lib.clip("Siren", 0)});
        float[][] bg = new float[4][];
        for (int c = 0; c < 4; c++) {
            bg[c] = java.util.Arrays.copyOf(lib.clip("PinkRoomTone", c), 12 * RATE);
        }
        wav(dev.resolve("noise/valid/room_bg.wav"), bg);

        ShoeboxRoom room = ShoeboxRoom.withRt60(new Vec3(6, 5, 3), 0.5, ShoeboxRoom.Rt60Model.EYRING, RATE);
        ImageSourceRir ism = new ImageSourceRir(room, new ImageSourceRir.Options(8, RATE / 2, true, 1));
        Vec3 centre = new Vec3(3, 2.5, 1.5);
        double[][][] ir = new double[8][4][];
        double[][] pos = new double[8][];
        for (int m = 0; m < 8; m++) {
            double a = 2 * Math.PI * m / 8;
            Vec3 p = new Vec3(3 + 2 * Math.cos(a), 2.5 + 1.8 * Math.sin(a), 1.2 + 0.1 * m);
            pos[m] = new double[] {p.x() - 3, p.y() - 2.5, p.z() - 1.5};
            float[][] h = ism.compute(p, centre, MicArray.tetrahedral(0.042, Directivity.OMNI));
            for (int r = 0; r < 4; r++) {
                ir[m][r] = new double[h[r].length];
                for (int n = 0; n < h[r].length; n++) {
                    ir[m][r][n] = h[r][n];
                }
            }
        }
        Files.createDirectories(dev.resolve("room_ir/valid"));
        try (WritableHdfFile f = HdfFile.write(dev.resolve("room_ir/valid/room.sofa"))) {
            f.putDataset("Data.IR", ir);
            f.putDataset("Data.SamplingRate", new double[] {RATE});
            f.putDataset("SourcePosition", pos);
        }

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("duration", 10.0);
        config.put("sr", RATE);
        config.put("ref_db", -50);
        config.put("spatialize_direct_path_time_ms", List.of(6, 50));
        config.put("foreground_dir", "data/dev_set/sound_event/valid");
        config.put("interference_dir", "data/dev_set/interference/valid");
        config.put("background_dir", "data/dev_set/noise/valid");
        config.put("rir_dir", "data/dev_set/room_ir/valid");
        SplittableRandom r = new SplittableRandom(3);
        List<Object> index = new ArrayList<>();
        Files.createDirectories(dev.resolve("metadata/valid"));
        for (int k = 0; k < SCENES; k++) {
            String a = targets.get(r.nextInt(3));
            String b = targets.get(3 + r.nextInt(3));
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("config", config);
            meta.put("fg_events", List.of(event(a, a + "/" + a + ".wav", r, pos), event(b, b + "/" + b + ".wav", r, pos)));
            meta.put("int_events", List.of(event("Siren", "Siren/siren.wav", r, pos)));
            Map<String, Object> back = new LinkedHashMap<>();
            back.put("source_file", "room_bg.wav");
            back.put("source_time", r.nextInt(2));
            back.put("event_duration", 10.0);
            back.put("snr", 0);
            meta.put("bg_events", List.of(back));
            meta.put("room", "room.sofa");
            Files.writeString(dev.resolve("metadata/valid/s" + k + ".json"), Json.write(meta));
            index.add(Map.of("metadata_path", "valid/s" + k + ".json", "ref_event", List.of(a, b)));
        }
        Path list = dev.resolve("metadata/valid.json");
        Files.writeString(list, Json.write(index));
        scenes = MetadataScenes.open(list, dir, RATE, null);
    }

    private static Map<String, Object> event(String label, String file, SplittableRandom r, double[][] pos) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("label", label);
        e.put("source_file", file);
        e.put("source_time", 0);
        e.put("event_time", r.nextDouble() * 6);
        e.put("event_duration", 4.0);
        e.put("snr", 5 + 10 * r.nextDouble());
        double[] p = pos[r.nextInt(pos.length)];
        e.put("event_position", List.of(List.of(p[0], p[1], p[2])));
        return e;
    }

    private static void wav(Path p, float[][] x) throws IOException {
        Files.createDirectories(p.getParent());
        WavWriter.write(p, new Audio(x, RATE), WavEncoding.PCM_16);
    }

    @TearDown
    public void tearDown() throws IOException {
        Folders.deleteTree(dir);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long soundscapes() {
        long base = next.getAndAdd(BATCH);
        return LongStream.range(base, base + BATCH).parallel().mapToObj(i -> scenes.scene((int) (i % SCENES)))
                .mapToLong(Scene::samples).sum();
    }
}

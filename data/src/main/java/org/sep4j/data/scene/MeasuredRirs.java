package org.sep4j.data.scene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.Resampler;
import org.sep4j.core.audio.WavReader;

/**
 * Measured room impulse responses: {@code <root>/<room>/*.wav}, each a 4-channel response of one
 * source position to the array (as the S5 data uses). Responses at another sample rate are
 * resampled once and cached.
 */
public final class MeasuredRirs {

    private final Path root;
    private final int sampleRate;
    private final Map<String, List<Path>> rooms = new LinkedHashMap<>();
    private final Map<Path, float[][]> cache = new ConcurrentHashMap<>();

    public MeasuredRirs(Path root, int sampleRate) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": measured RIR folder not found (expected <root>/<room>/*.wav, 4 channels each)");
        }
        this.root = root;
        this.sampleRate = sampleRate;
        try (Stream<Path> s = Files.list(root)) {
            for (Path dir : s.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> f = Files.list(dir)) {
                    List<Path> wavs = f.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
                            .sorted().toList();
                    if (!wavs.isEmpty()) {
                        rooms.put(dir.getFileName().toString(), wavs);
                    }
                }
            }
        }
        if (rooms.isEmpty()) {
            throw new IOException(root + ": no room folders with .wav impulse responses");
        }
    }

    public List<String> rooms() {
        return new ArrayList<>(rooms.keySet());
    }

    public int count(String room) {
        return rooms.get(room).size();
    }

    /** Response {@code index} of a room, {@code [4][samples]} (a fresh copy). */
    public float[][] rir(String room, int index) {
        Path p = rooms.get(room).get(Math.floorMod(index, rooms.get(room).size()));
        float[][] h = cache.computeIfAbsent(p, this::load);
        float[][] copy = new float[h.length][];
        for (int c = 0; c < h.length; c++) {
            copy[c] = h[c].clone();
        }
        return copy;
    }

    private float[][] load(Path p) {
        try {
            Audio a = WavReader.read(p);
            if (a.channels() != 4) {
                throw new IOException(p + ": expected a 4-channel impulse response, found " + a.channels() + " channels");
            }
            return (a.sampleRate() == sampleRate ? a : Resampler.resample(a, sampleRate)).samples();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "MeasuredRirs[" + root + ", " + rooms.size() + " rooms]";
    }
}

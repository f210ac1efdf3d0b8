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
import org.sep4j.core.audio.AudioFiles;

/**
 * Measured rooms, each a set of 4-channel impulse responses (one per source position), in either
 * layout: {@code <root>/<room>.sofa} (SOFA, as the DCASE 2025 Task 4 data ships them) or
 * {@code <root>/<room>/*.wav}. Optionally each room has background recordings, 4-channel WAVs under
 * a noise folder whose names start with the room's name (the S5 rule that a scene's background is
 * recorded in its room). Responses and recordings at another sample rate are resampled once and cached.
 */
public final class MeasuredRirs {

    private static final int CHANNELS = 4;

    /** A room's responses: SOFA measurements or WAV files. */
    private interface Responses {
        int count();

        Audio read(int i) throws IOException;
    }

    private final Path root;
    private final int sampleRate;
    private final Map<String, Responses> rooms = new LinkedHashMap<>();
    private final Map<String, List<Path>> noise = new LinkedHashMap<>();
    private final Map<Object, float[][]> cache = new ConcurrentHashMap<>();

    public MeasuredRirs(Path root, int sampleRate) throws IOException {
        this(root, null, sampleRate);
    }

    /** Rooms under {@code root}; with {@code noiseRoot} (may be null) every room needs a recording there. */
    public MeasuredRirs(Path root, Path noiseRoot, int sampleRate) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": measured RIR folder not found (expected <root>/<room>.sofa or <root>/<room>/*.wav, "
                    + "4 channels each)");
        }
        this.root = root;
        this.sampleRate = sampleRate;
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p)) {
                    List<Path> wavs = AudioFiles.list(p, false);
                    if (!wavs.isEmpty()) {
                        rooms.put(name, wavRoom(wavs));
                    }
                } else if (name.toLowerCase(Locale.ROOT).endsWith(".sofa")) {
                    rooms.put(name.substring(0, name.length() - ".sofa".length()), sofaRoom(new SofaRoom(p)));
                }
            }
        }
        if (rooms.isEmpty()) {
            throw new IOException(root + ": no rooms (neither <room>.sofa files nor <room>/ folders of .wav responses)");
        }
        if (noiseRoot != null) {
            if (!Files.isDirectory(noiseRoot)) {
                throw new IOException(noiseRoot + ": background recording folder not found");
            }
            List<Path> all = AudioFiles.list(noiseRoot, true);
            for (String room : rooms.keySet()) {
                List<Path> mine = all.stream().filter(p -> p.getFileName().toString().startsWith(room)).toList();
                if (mine.isEmpty()) {
                    throw new IOException(noiseRoot + ": no background recording for room '" + room + "' (expected a 4-channel "
                            + room + "*.wav)");
                }
                noise.put(room, mine);
            }
        }
    }

    private static Responses wavRoom(List<Path> wavs) {
        return new Responses() {
            public int count() {
                return wavs.size();
            }

            public Audio read(int i) throws IOException {
                return AudioFiles.read(wavs.get(i));
            }

            public String toString() {
                return wavs.get(0).getParent().toString();
            }
        };
    }

    private static Responses sofaRoom(SofaRoom sofa) throws IOException {
        if (sofa.receivers() != CHANNELS) {
            throw new IOException(sofa + ": expected " + CHANNELS + " receivers (the array's channels), found " + sofa.receivers());
        }
        return new Responses() {
            public int count() {
                return sofa.measurements();
            }

            public Audio read(int i) throws IOException {
                return new Audio(sofa.read(i), (int) Math.round(sofa.sampleRate()));
            }

            public String toString() {
                return sofa.toString();
            }
        };
    }

    public List<String> rooms() {
        return new ArrayList<>(rooms.keySet());
    }

    public int count(String room) {
        return rooms.get(room).count();
    }

    /** Response {@code index} of a room, {@code [4][samples]} (a fresh copy). */
    public float[][] rir(String room, int index) {
        Responses r = rooms.get(room);
        int i = Math.floorMod(index, r.count());
        return copy(cache.computeIfAbsent(List.of(room, i), k -> load(() -> r.read(i), r + " response " + i)));
    }

    /** Whether rooms come with background recordings. */
    public boolean hasNoise() {
        return !noise.isEmpty();
    }

    /** How many background recordings a room has. */
    public int noiseCount(String room) {
        return noise.get(room).size();
    }

    /** Background recording {@code index} of a room, {@code [4][samples]} (a fresh copy). */
    public float[][] noise(String room, int index) {
        List<Path> files = noise.get(room);
        Path p = files.get(Math.floorMod(index, files.size()));
        return copy(cache.computeIfAbsent(p, k -> load(() -> AudioFiles.read(p), p.toString())));
    }

    private interface Read {
        Audio get() throws IOException;
    }

    private float[][] load(Read read, String what) {
        try {
            Audio a = read.get();
            if (a.channels() != CHANNELS) {
                throw new IOException(what + ": expected " + CHANNELS + " channels, found " + a.channels());
            }
            return Resampler.resample(a, sampleRate).samples();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[][] copy(float[][] h) {
        float[][] out = new float[h.length][];
        for (int c = 0; c < h.length; c++) {
            out[c] = h[c].clone();
        }
        return out;
    }

    @Override
    public String toString() {
        return "MeasuredRirs[" + root + ", " + rooms.size() + " rooms" + (noise.isEmpty() ? "" : ", with backgrounds") + "]";
    }
}

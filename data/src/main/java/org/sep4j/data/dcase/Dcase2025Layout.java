package org.sep4j.data.dcase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.WavEncoding;
import org.sep4j.core.audio.AudioFiles;
import org.sep4j.core.audio.WavWriter;
import org.sep4j.core.io.AtomicFiles;
import org.sep4j.core.io.Json;
import org.sep4j.data.scene.Scene;

/**
 * Reads and writes datasets in the S5 layout. Writing is per item and atomic; the metadata file is
 * written last, so an item counts as complete exactly when its metadata exists (an interrupted
 * {@code generate} resumes at the first incomplete item).
 */
public final class Dcase2025Layout {

    public static final String SOUNDSCAPE = "soundscape";
    public static final String ORACLE = "oracle_target";
    public static final String METADATA = "metadata";

    /** One soundscape as read back: the mixture and its reference targets by label. */
    public record Item(String name, Audio mixture, Map<String, float[]> targets) {
    }

    private final Path root;

    /**
     * @param root a folder holding {@code soundscape/} (and {@code oracle_target/}); the official
     *             {@code dev_set} root works too, its {@code test/} folder is used then
     */
    public Dcase2025Layout(Path root) {
        this.root = !Files.isDirectory(root.resolve(SOUNDSCAPE)) && Files.isDirectory(root.resolve("test").resolve(SOUNDSCAPE))
                ? root.resolve("test") : root;
    }

    public Path root() {
        return root;
    }

    /** The soundscape name of generated item i: soundscape_000123. */
    public static String name(long index) {
        return String.format(Locale.ROOT, "soundscape_%06d", index);
    }

    public boolean complete(String name) {
        return Files.isRegularFile(root.resolve(METADATA).resolve(name + ".json"));
    }

    /** Writes a scene's mixture, dry targets and metadata (float32 WAV keeps every bit of the data). */
    public void write(String name, Scene scene) throws IOException {
        WavWriter.write(root.resolve(SOUNDSCAPE).resolve(name + ".wav"), new Audio(scene.mixture(), scene.sampleRate()),
                WavEncoding.FLOAT_32);
        for (Scene.Event e : scene.targets()) {
            WavWriter.write(root.resolve(ORACLE).resolve(name + "_" + e.label() + ".wav"),
                    Audio.mono(e.dry(), scene.sampleRate()), WavEncoding.FLOAT_32);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("soundscape", name);
        meta.put("index", scene.index());
        meta.put("sample_rate", (long) scene.sampleRate());
        meta.put("samples", (long) scene.samples());
        meta.put("rt60", scene.rt60());
        meta.put("background", scene.background());
        meta.put("targets", events(scene.targets()));
        meta.put("interferences", events(scene.interferences()));
        AtomicFiles.writeString(root.resolve(METADATA).resolve(name + ".json"), Json.pretty(meta));
    }

    private static List<Object> events(List<Scene.Event> events) {
        List<Object> out = new ArrayList<>();
        for (Scene.Event e : events) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", e.label());
            m.put("onset", (long) e.onset());
            m.put("offset", (long) e.offset());
            m.put("snr_db", e.snrDb());
            out.add(m);
        }
        return out;
    }

    /** Soundscape names found in {@code soundscape/}, sorted. */
    public List<String> names() throws IOException {
        Path dir = root.resolve(SOUNDSCAPE);
        if (!Files.isDirectory(dir)) {
            throw new IOException(root + ": not a DCASE 2025 Task 4 dataset (no " + SOUNDSCAPE + "/ folder; expected "
                    + SOUNDSCAPE + "/ and " + ORACLE + "/ as in the official dev and test sets)");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.toLowerCase(Locale.ROOT).endsWith(".wav"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
    }

    /** Reads one soundscape and its oracle targets ({@code silence} files are skipped). */
    public Item read(String name) throws IOException {
        Audio mix = AudioFiles.read(root.resolve(SOUNDSCAPE).resolve(name + ".wav"));
        Map<String, float[]> targets = new TreeMap<>();
        Path oracle = root.resolve(ORACLE);
        if (Files.isDirectory(oracle)) {
            try (Stream<Path> s = Files.list(oracle)) {
                for (Path p : s.sorted().toList()) {
                    String f = p.getFileName().toString();
                    if (!f.startsWith(name + "_") || !f.endsWith(".wav")) {
                        continue;
                    }
                    String label = f.substring(name.length() + 1, f.length() - 4);
                    if (label.contains("_") || label.equals("silence")) {
                        continue; // another soundscape whose name extends this one, or an unused slot
                    }
                    Audio a = AudioFiles.read(p);
                    if (a.channels() != 1 || a.sampleRate() != mix.sampleRate() || a.length() != mix.length()) {
                        throw new IOException(p + ": expected a mono " + mix.sampleRate() + " Hz target of "
                                + mix.length() + " samples like its mixture, found " + a);
                    }
                    targets.put(label, a.channel(0));
                }
            }
        }
        return new Item(name, mix, targets);
    }

    /**
     * Soundscape {@code name} as a scene numbered {@code index}: its mixture and oracle targets, each
     * target's onset and offset where its reference is non-zero (SNRs and interference are unknown).
     */
    public Scene scene(long index, String name) throws IOException {
        Item item = read(name);
        List<Scene.Event> targets = new ArrayList<>();
        item.targets().forEach((label, dry) -> {
            int on = 0;
            int off = dry.length;
            while (on < off && dry[on] == 0f) {
                on++;
            }
            while (off > on && dry[off - 1] == 0f) {
                off--;
            }
            targets.add(new Scene.Event(label, on, off, Double.NaN, dry));
        });
        targets.sort(java.util.Comparator.comparingInt(Scene.Event::onset));
        return new Scene(index, item.mixture().sampleRate(), item.mixture().samples(), List.copyOf(targets), List.of(), "unknown",
                Double.NaN);
    }
}

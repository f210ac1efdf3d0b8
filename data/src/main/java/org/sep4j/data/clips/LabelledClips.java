package org.sep4j.data.clips;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.AudioFiles;
import org.sep4j.core.audio.Resampler;

/**
 * Audio files with their classes: {@code <root>/<class>/*.wav|flac} (one class each) or a CSV
 * listing a file and its labels per row (AudioSet's segment lists included). Clips are read on
 * demand as mono (channels averaged) at the asked rate; the classes are sorted by name.
 */
public final class LabelledClips {

    /** One clip: its file and the classes it holds. */
    public record Clip(Path file, List<String> labels) {
    }

    private final String where;
    private final List<String> classes;
    private final List<Clip> clips;

    private LabelledClips(String where, List<String> classes, List<Clip> clips) {
        this.where = where;
        this.classes = classes;
        this.clips = clips;
    }

    /** A class folder ({@code <root>/<class>/*.wav}) or a {@code .csv} list. */
    public static LabelledClips open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return folder(path);
        }
        if (Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
            return ClipCsv.read(path);
        }
        throw new IOException(path + ": expected a folder of class folders (<class>/*.wav) or a .csv of files and labels, "
                + (Files.exists(path) ? "found a file that is neither" : "found nothing there"));
    }

    static LabelledClips of(String where, List<Clip> clips) throws IOException {
        if (clips.isEmpty()) {
            throw new IOException(where + ": no labelled clips");
        }
        TreeSet<String> names = new TreeSet<>();
        clips.forEach(c -> names.addAll(c.labels()));
        return new LabelledClips(where, List.copyOf(names), List.copyOf(clips));
    }

    private static LabelledClips folder(Path root) throws IOException {
        List<Clip> clips = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            for (Path dir : s.filter(Files::isDirectory).sorted().toList()) {
                List<Path> files = AudioFiles.list(dir, false);
                if (files.isEmpty()) {
                    throw new IOException(dir + ": class folder '" + dir.getFileName() + "' holds no .wav or .flac files");
                }
                files.forEach(f -> clips.add(new Clip(f, List.of(dir.getFileName().toString()))));
            }
        }
        if (clips.isEmpty()) {
            throw new IOException(root + ": no class folders (expected <root>/<class>/*.wav)");
        }
        return of(root.toString(), clips);
    }

    /** Where these clips come from (a folder or a CSV). */
    public String where() {
        return where;
    }

    public List<String> classes() {
        return classes;
    }

    public int size() {
        return clips.size();
    }

    public Clip clip(int i) {
        return clips.get(i);
    }

    /** The clip's multi-hot labels over {@code over} (classes it holds that are not in {@code over} are dropped). */
    public float[] multiHot(int i, List<String> over) {
        float[] v = new float[over.size()];
        for (String l : clips.get(i).labels()) {
            int k = over.indexOf(l);
            if (k >= 0) {
                v[k] = 1;
            }
        }
        return v;
    }

    /** Clip {@code i}, mono at {@code sampleRate}. */
    public float[] wave(int i, int sampleRate) {
        Path f = clips.get(i).file();
        try {
            Audio a = AudioFiles.read(f);
            if (a.sampleRate() != sampleRate) {
                a = Resampler.resample(a, sampleRate);
            }
            return a.channels() == 1 ? a.channel(0) : a.downmix();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A held-out split: every {@code k}-th clip of each class set (in listing order) is validation,
     * the rest training; both keep this set's classes.
     */
    public LabelledClips[] split(int k) {
        if (k < 2) {
            throw new IllegalArgumentException("split: every k-th clip with k at least 2, got " + k);
        }
        Map<List<String>, Integer> seen = new LinkedHashMap<>();
        List<Clip> train = new ArrayList<>();
        List<Clip> validation = new ArrayList<>();
        for (Clip c : clips) {
            int n = seen.merge(c.labels(), 1, Integer::sum);
            (n % k == 0 ? validation : train).add(c);
        }
        return new LabelledClips[] {new LabelledClips(where + " (training split)", classes, train),
            new LabelledClips(where + " (every " + k + "th clip)", classes, validation)};
    }
}

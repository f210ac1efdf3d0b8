package org.sep4j.data.library;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clips from {@code <root>/<class>/*.wav}, sorted by name. Multichannel files are downmixed, files
 * at another rate are resampled once (with a log line) and cached in memory.
 */
public final class FolderLibrary implements SoundLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(FolderLibrary.class);

    private final Path root;
    private final int sampleRate;
    private final Map<String, List<Path>> files = new LinkedHashMap<>();
    private final Map<Path, float[]> cache = new ConcurrentHashMap<>();

    public FolderLibrary(Path root, int sampleRate) throws IOException {
        this(root, sampleRate, null);
    }

    /** Only the listed classes (all sub-folders when null); each must exist and hold WAV files. */
    public FolderLibrary(Path root, int sampleRate, List<String> classes) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": sound library folder not found (expected <root>/<class>/*.wav)");
        }
        this.root = root;
        this.sampleRate = sampleRate;
        List<String> wanted = classes;
        if (wanted == null) {
            try (Stream<Path> s = Files.list(root)) {
                wanted = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            }
        }
        for (String c : wanted) {
            Path dir = root.resolve(c);
            if (!Files.isDirectory(dir)) {
                throw new IOException(dir + ": no folder for class '" + c + "'");
            }
            List<Path> wavs;
            try (Stream<Path> s = Files.list(dir)) {
                wavs = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav")).sorted().toList();
            }
            if (wavs.isEmpty()) {
                throw new IOException(dir + ": class '" + c + "' has no .wav files");
            }
            files.put(c, wavs);
        }
        if (files.isEmpty()) {
            throw new IOException(root + ": no class folders");
        }
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public List<String> classes() {
        return new ArrayList<>(files.keySet());
    }

    @Override
    public int size(String cls) {
        return list(cls).size();
    }

    @Override
    public float[] clip(String cls, int index) {
        List<Path> l = list(cls);
        Path p = l.get(Math.floorMod(index, l.size()));
        return cache.computeIfAbsent(p, this::load).clone();
    }

    private List<Path> list(String cls) {
        List<Path> l = files.get(cls);
        if (l == null) {
            throw new IllegalArgumentException("library " + root + " has no class '" + cls + "' (have " + files.keySet() + ")");
        }
        return l;
    }

    private float[] load(Path p) {
        try {
            Audio a = WavReader.read(p);
            if (a.sampleRate() != sampleRate) {
                LOG.info("resampling {} from {} Hz to {} Hz (once; cached)", p, a.sampleRate(), sampleRate);
                a = Resampler.resample(a, sampleRate);
            }
            return Synth.normalize(a.channels() == 1 ? a.channel(0) : a.downmix());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

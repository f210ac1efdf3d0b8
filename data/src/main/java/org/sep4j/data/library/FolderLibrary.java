package org.sep4j.data.library;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.Resampler;
import org.sep4j.core.audio.AudioFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clips from {@code <root>/<class>/*.wav}, sorted by name (a class folder may also come from another
 * root: {@link #union}). Multichannel files are downmixed, files at another rate are resampled
 * (with a log line); decoded clips are kept in a least-recently-used cache of bounded size, so a
 * library of any size streams from disk.
 */
public final class FolderLibrary implements SoundLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(FolderLibrary.class);

    /** Decoded clips kept in memory (bytes of float samples). */
    static final long CACHE_BYTES = 512L << 20;

    private final String where;
    private final int sampleRate;
    private final Map<String, List<Path>> files = new LinkedHashMap<>();
    private final Map<Path, float[]> cache = new LinkedHashMap<>(64, 0.75f, true);
    private long cached;

    public FolderLibrary(Path root, int sampleRate) throws IOException {
        this(root, sampleRate, null);
    }

    /** Only the listed classes (all sub-folders when null); each must exist and hold WAV files. */
    public FolderLibrary(Path root, int sampleRate, List<String> classes) throws IOException {
        this(classFolders(root, classes), sampleRate, root.toString());
    }

    private FolderLibrary(Map<String, Path> classDirs, int sampleRate, String where) throws IOException {
        this.where = where;
        this.sampleRate = sampleRate;
        for (Map.Entry<String, Path> e : classDirs.entrySet()) {
            Path dir = e.getValue();
            List<Path> wavs = AudioFiles.list(dir, false);
            if (wavs.isEmpty()) {
                throw new IOException(dir + ": class '" + e.getKey() + "' has no .wav files");
            }
            files.put(e.getKey(), wavs);
        }
        if (files.isEmpty()) {
            throw new IOException(where + ": no class folders");
        }
    }

    /** The classes of several roots in one library ({@code <root>/<class>/*.wav} each; names must not repeat). */
    public static FolderLibrary union(int sampleRate, Map<Path, List<String>> roots) throws IOException {
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (Map.Entry<Path, List<String>> e : roots.entrySet()) {
            for (Map.Entry<String, Path> c : classFolders(e.getKey(), e.getValue()).entrySet()) {
                if (dirs.put(c.getKey(), c.getValue()) != null) {
                    throw new IOException("class '" + c.getKey() + "' is in more than one of " + roots.keySet());
                }
            }
        }
        return new FolderLibrary(dirs, sampleRate, roots.keySet().toString());
    }

    /** {@code <root>/<class>} for the listed classes (all sub-folders when null), each checked to exist. */
    static Map<String, Path> classFolders(Path root, List<String> classes) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": sound library folder not found (expected <root>/<class>/*.wav)");
        }
        List<String> wanted = classes;
        if (wanted == null) {
            try (Stream<Path> s = Files.list(root)) {
                wanted = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            }
        }
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (String c : wanted) {
            Path dir = root.resolve(c);
            if (!Files.isDirectory(dir)) {
                throw new IOException(dir + ": no folder for class '" + c + "'");
            }
            dirs.put(c, dir);
        }
        return dirs;
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
        float[] clip;
        synchronized (cache) {
            clip = cache.get(p);
        }
        if (clip == null) { // decoded outside the lock: workers read different files in parallel
            clip = load(p);
            synchronized (cache) {
                if (cache.put(p, clip) == null) {
                    cached += 4L * clip.length;
                }
                var it = cache.entrySet().iterator();
                while (cached > CACHE_BYTES && it.hasNext()) {
                    float[] old = it.next().getValue();
                    if (old != clip) {
                        cached -= 4L * old.length;
                        it.remove();
                    }
                }
            }
        }
        return clip.clone();
    }

    private List<Path> list(String cls) {
        List<Path> l = files.get(cls);
        if (l == null) {
            throw new IllegalArgumentException("library " + where + " has no class '" + cls + "' (have " + files.keySet() + ")");
        }
        return l;
    }

    private float[] load(Path p) {
        try {
            Audio a = AudioFiles.read(p);
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

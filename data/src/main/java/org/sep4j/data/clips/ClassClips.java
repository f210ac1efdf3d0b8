package org.sep4j.data.clips;

import java.util.List;
import java.util.SplittableRandom;
import org.sep4j.data.library.SoundLibrary;

/**
 * Fixed-length single-class clips from a sound library, split into training and held-out clips:
 * an embedded (procedural) class has endless clips, held-out ones from indices 2^30 on; a folder
 * class holds out every 5th file. A clip is cut around its loudest stretch (jittered by a quarter
 * of the length, so crops vary but hold the sound) or zero-padded at a random offset when shorter.
 */
public final class ClassClips {

    /** Where held-out clips of an endless class start. */
    public static final long HELD_OUT = 1L << 30;

    private final SoundLibrary library;
    private final List<String> classes;
    private final int samples;

    public ClassClips(SoundLibrary library, List<String> classes, int samples) {
        if (classes.size() < 2) {
            throw new IllegalArgumentException("language-queried clips need at least 2 classes, got " + classes);
        }
        for (String c : classes) {
            if (!library.classes().contains(c)) {
                throw new IllegalArgumentException("class '" + c + "' is not in the sound library (has " + library.classes() + ")");
            }
            if (library.size(c) < 5 && library.size(c) != Integer.MAX_VALUE) {
                throw new IllegalArgumentException("class '" + c + "' has " + library.size(c) + " clips; at least 5 are needed "
                        + "(every 5th is held out)");
            }
        }
        this.library = library;
        this.classes = List.copyOf(classes);
        this.samples = samples;
    }

    public List<String> classes() {
        return classes;
    }

    public int samples() {
        return samples;
    }

    public int sampleRate() {
        return library.sampleRate();
    }

    /** Clip {@code index} of a class's training or held-out clips, {@code samples} long, cut as {@code r} draws. */
    public float[] clip(String cls, long index, boolean heldOut, SplittableRandom r) {
        int n = library.size(cls);
        int file;
        if (n == Integer.MAX_VALUE) {
            file = (int) ((heldOut ? HELD_OUT : 0) + Math.floorMod(index, HELD_OUT));
        } else {
            int held = n / 5;                       // files 4, 9, 14, ... are held out
            int k = (int) Math.floorMod(index, heldOut ? held : n - held);
            file = heldOut ? 5 * k + 4 : k + Math.min(k / 4, held);
        }
        return fit(library.clip(cls, file), r);
    }

    private float[] fit(float[] x, SplittableRandom r) {
        float[] out = new float[samples];
        if (x.length <= samples) {
            System.arraycopy(x, 0, out, r.nextInt(samples - x.length + 1), x.length);
            return out;
        }
        // the loudest window (prefix sums of energy), then a jitter of up to a quarter of the length
        double[] cum = new double[x.length + 1];
        for (int i = 0; i < x.length; i++) {
            cum[i + 1] = cum[i] + (double) x[i] * x[i];
        }
        int best = 0;
        for (int s = 0; s + samples <= x.length; s += 64) {
            if (cum[s + samples] - cum[s] > cum[best + samples] - cum[best]) {
                best = s;
            }
        }
        int jitter = samples / 4;
        int start = Math.max(0, Math.min(x.length - samples, best + r.nextInt(2 * jitter + 1) - jitter));
        System.arraycopy(x, start, out, 0, samples);
        return out;
    }
}

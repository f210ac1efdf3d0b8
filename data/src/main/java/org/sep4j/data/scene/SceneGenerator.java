package org.sep4j.data.scene;

import org.sep4j.core.cache.ByteBudgetMemo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.sep4j.core.dsp.FftConvolver;
import org.sep4j.data.library.SoundLibrary;
import org.sep4j.sim.room.Directivity;
import org.sep4j.sim.room.ImageSourceRir;
import org.sep4j.sim.room.MicArray;
import org.sep4j.sim.room.ShoeboxRoom;
import org.sep4j.sim.room.Vec3;

/**
 * The S5 recipe, item by item:
 * <ol>
 *   <li>a room (size and RT60 drawn from the spec) with a tetrahedral array and a static source
 *       position per event — or, with {@code room.measured_root}, a measured room and one of its
 *       4-channel responses per event;</li>
 *   <li>1–3 targets of distinct classes and 1–2 interference events (classes with replacement), each
 *       a random clip (cut at a random offset when longer than {@code max_event_duration}), onset uniform in
 *       [0, duration − length], placed so that at most {@code max_event_overlap} events sound in
 *       any cell of the overlap grid (up to {@code max_attempts} tries per event, then the whole scene
 *       is drawn again from a derived seed, up to 20 times, then a clear error);</li>
 *   <li>levels ({@link S5Recipe}): clips are peak-normalised, impulse responses energy-normalised over
 *       all channels, each wet event scaled to ref_db + SNR where level = 10·log10(mean square over
 *       channels and all samples of the whole convolution, as the baseline measures it, before the
 *       scene cuts it); the background (4 decorrelated clips of one class, or a room recording) sits
 *       at ref_db;</li>
 *   <li>the dry reference of a target is its clip through the reference channel's impulse response
 *       kept over [peak − 6 ms, peak + 50 ms), at the event's gain.</li>
 * </ol>
 * Item i depends only on (spec.seed, i) — not on threads, order of calls or machine.
 */
public final class SceneGenerator {

    private static final int CHANNELS = 4;

    private final SceneSpec spec;
    private final SoundLibrary library;
    private final List<String> targetClasses;
    private final List<String> interferenceClasses;
    private final List<String> backgroundClasses;
    private final MeasuredRirs measured;
    private final SceneSet validation;
    private final Memo memo;

    /** Generated validation scenes start here (far beyond any training index). */
    public static final long VALIDATION_OFFSET = 1L << 40;

    public SceneGenerator(SceneSpec spec, SoundLibrary library, List<String> targetClasses,
            List<String> interferenceClasses, List<String> backgroundClasses) {
        if (library.sampleRate() != spec.sampleRate()) {
            throw new IllegalArgumentException("sound library is " + library.sampleRate() + " Hz but data.sample_rate is "
                    + spec.sampleRate());
        }
        if (targetClasses.size() < spec.neventRange().get(1)) {
            throw new IllegalArgumentException("nevent_range allows " + spec.neventRange().get(1) + " distinct targets but "
                    + "only " + targetClasses.size() + " target classes exist");
        }
        if (interferenceClasses.isEmpty() && spec.ninterferenceRange().get(1) > 0) {
            throw new IllegalArgumentException("ninterference_range asks for interference but there are no interference classes");
        }
        for (String c : concat(targetClasses, interferenceClasses, backgroundClasses)) {
            if (!library.classes().contains(c)) {
                throw new IllegalArgumentException("class '" + c + "' is not in the sound library (has "
                        + library.classes() + ")");
            }
        }
        if (spec.room().measuredRoot() != null) {
            try {
                this.measured = new MeasuredRirs(spec.room().measuredRoot(), spec.room().noiseRoot(), spec.sampleRate());
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("data.scene.room.measured_root: " + e.getMessage(), e);
            }
        } else {
            this.measured = null;
        }
        if (backgroundClasses.isEmpty() && (measured == null || !measured.hasNoise())) {
            throw new IllegalArgumentException("no background classes (and no recorded backgrounds: data.scene.room.noise_root)");
        }
        this.spec = spec;
        this.library = library;
        this.targetClasses = List.copyOf(targetClasses);
        this.interferenceClasses = List.copyOf(interferenceClasses);
        this.backgroundClasses = List.copyOf(backgroundClasses);
        this.validation = null;
        this.memo = null;
    }

    private SceneGenerator(SceneGenerator g, SceneSet validation, Memo memo) {
        this.spec = g.spec;
        this.library = g.library;
        this.targetClasses = g.targetClasses;
        this.interferenceClasses = g.interferenceClasses;
        this.backgroundClasses = g.backgroundClasses;
        this.measured = g.measured;
        this.validation = validation;
        this.memo = memo;
    }

    /** This generator with a fixed validation set (e.g. the official metadata/valid.json replayed). */
    public SceneGenerator withValidation(SceneSet set) {
        return new SceneGenerator(this, set, memo);
    }

    /**
     * This generator keeping the scenes it makes for training indices below {@code training} and for
     * the first {@code validation} generated validation items, up to {@code maxBytes} of audio, so runs
     * that share it (the variants of one table, trained on the same scenes) draw each scene once.
     * Callers must treat kept scenes as read-only; they stay in memory as long as the generator does.
     */
    public SceneGenerator remembering(long training, int validation, long maxBytes) {
        return new SceneGenerator(this, this.validation, new Memo(new ByteBudgetMemo<>(maxBytes), training, validation));
    }

    /** Kept scenes by index, and which indices are kept. */
    private record Memo(ByteBudgetMemo<Long, Scene> scenes, long training, int validation) {

        boolean keeps(long index) {
            return index >= 0 && index < training || index >= VALIDATION_OFFSET && index < VALIDATION_OFFSET + validation;
        }

        Scene keep(Scene s) {
            long size = 0;
            for (float[] c : s.mixture()) {
                size += 4L * c.length;
            }
            for (Scene.Event e : s.targets()) {
                size += e.dry() == null ? 0 : 4L * e.dry().length;
            }
            return scenes.keep(s.index(), s, size);
        }
    }

    /** The fixed validation set, or null when validation scenes are generated. */
    public SceneSet validationSet() {
        return validation;
    }

    /**
     * The first {@code items} validation scenes, made in parallel: from the fixed validation set when
     * there is one (all of it when it has fewer), else generated from an index range disjoint from
     * training items, so the two never share a mixture.
     */
    public Scene[] validation(int items) {
        int n = validation != null ? Math.min(items, validation.size()) : items;
        return java.util.stream.IntStream.range(0, n).parallel().mapToObj(this::validationScene).toArray(Scene[]::new);
    }

    /** Validation scene i: item i of the fixed set, or the generated item i of the validation range. */
    public Scene validationScene(int i) {
        return validation != null ? validation.scene(i) : generate(VALIDATION_OFFSET + i);
    }

    public SceneSpec spec() {
        return spec;
    }

    public List<String> targetClasses() {
        return targetClasses;
    }

    private static List<String> concat(List<String> a, List<String> b, List<String> c) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        out.addAll(c);
        return out;
    }

    /** The item's private random stream: a function of (seed, index, attempt) only. */
    private SplittableRandom rng(long index, int attempt) {
        return new SplittableRandom(spec.seed() * 0x9E3779B97F4A7C15L ^ (index + 1) * 0xBF58476D1CE4E5B9L
                ^ attempt * 0x94D049BB133111EBL);
    }

    /** Events that do not fit the overlap limit: the whole scene is drawn again. */
    private static final class PlacementFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PlacementFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** Whole-scene redraws before giving up on the overlap constraints. */
    private static final int SCENE_ATTEMPTS = 20;

    private static double uniform(SplittableRandom r, List<Double> range) {
        return range.get(0) + (range.get(1) - range.get(0)) * r.nextDouble();
    }

    private static int uniformInt(SplittableRandom r, List<Integer> range) {
        return range.get(0) + r.nextInt(range.get(1) - range.get(0) + 1);
    }

    public Scene generate(long index) {
        if (memo == null || !memo.keeps(index)) {
            return generate(index, null);
        }
        Scene kept = memo.scenes().get(index);
        return kept != null ? kept : memo.keep(generate(index, null));
    }

    /**
     * A scene and its parts: each event's wet 4-channel image as placed in the scene (truncated at its
     * end) and whole (the full convolution, scaled: the signal its level is measured on), and the
     * scaled background; the placed images and the background sum to the mixture (for tests and for
     * users who need stems).
     */
    public record Parts(Scene scene, List<float[][]> events, List<float[][]> wholeEvents, float[][] background) {
    }

    public Parts generateWithParts(long index) {
        Stems stems = new Stems();
        Scene s = generate(index, stems);
        return new Parts(s, stems.placed, stems.whole, stems.background);
    }

    /** What {@link #generateWithParts} collects while a scene is drawn. */
    private static final class Stems {
        final List<float[][]> placed = new ArrayList<>();
        final List<float[][]> whole = new ArrayList<>();
        float[][] background;
    }

    private Scene generate(long index, Stems parts) {
        PlacementFailed last = null;
        for (int attempt = 0; attempt < SCENE_ATTEMPTS; attempt++) {
            try {
                if (parts != null) {
                    parts.placed.clear();
                    parts.whole.clear();
                }
                return draw(index, rng(index, attempt), parts);
            } catch (PlacementFailed e) {
                last = e;
            }
        }
        throw new IllegalStateException(last.getMessage() + "; tried " + SCENE_ATTEMPTS + " scenes for item " + index);
    }

    private Scene draw(long index, SplittableRandom r, Stems parts) {
        int n = spec.samples();
        int sr = spec.sampleRate();
        SceneSpec.Room rs = spec.room();
        Vec3 size = new Vec3(uniform(r, List.of(rs.sizeMin().get(0), rs.sizeMax().get(0))),
                uniform(r, List.of(rs.sizeMin().get(1), rs.sizeMax().get(1))),
                uniform(r, List.of(rs.sizeMin().get(2), rs.sizeMax().get(2))));
        double rt60 = measured != null ? Double.NaN : uniform(r, rs.rt60Range());
        String measuredRoom = measured != null ? measured.rooms().get(r.nextInt(measured.rooms().size())) : null;
        ShoeboxRoom room = ShoeboxRoom.withRt60(size, measured != null ? 0.5 : rt60, ShoeboxRoom.Rt60Model.EYRING, sr);
        ImageSourceRir ism = new ImageSourceRir(room, new ImageSourceRir.Options(rs.imageOrder(),
                spec.samples(rs.rirSeconds()), true, r.nextLong()));
        MicArray array = MicArray.tetrahedral(rs.arrayRadius(), Directivity.OMNI);
        Vec3 centre = inside(r, size, 0.5 + rs.arrayRadius());

        // Events: targets (distinct classes) then interference (with replacement).
        List<String> pool = new ArrayList<>(targetClasses);
        int nTargets = uniformInt(r, spec.neventRange());
        int nInterf = uniformInt(r, spec.ninterferenceRange());
        int cells = (int) Math.ceil(spec.duration() / spec.overlapGrid());
        int[] occupancy = new int[cells];
        List<Scene.Event> targets = new ArrayList<>();
        List<Scene.Event> interferences = new ArrayList<>();
        float[][] mixture = new float[CHANNELS][n];
        for (int e = 0; e < nTargets + nInterf; e++) {
            boolean target = e < nTargets;
            String label = target ? pool.remove(r.nextInt(pool.size()))
                    : interferenceClasses.get(r.nextInt(interferenceClasses.size()));
            float[] clip = crop(library.clip(label, r.nextInt(Integer.MAX_VALUE)),
                    Math.min(n, spec.samples(spec.maxEventDuration())), r);
            int onset = place(r, clip.length, n, occupancy, label);
            double snr = uniform(r, target ? spec.snrRange() : spec.interferenceSnrRange());
            Vec3 pos = inside(r, size, 0.3);
            float[][] rir = measured != null ? measured.rir(measuredRoom, r.nextInt(measured.count(measuredRoom)))
                    : ism.compute(pos, centre, array);
            normalizeEnergy(rir);
            float[][] wet = FftConvolver.convolve(new float[][] {clip}, rir, FftConvolver.Mode.FULL);
            double gain = S5Recipe.gain(spec.refDb() + snr, wet);
            float[][] placed = parts == null ? mixture : new float[CHANNELS][n];
            for (int c = 0; c < CHANNELS; c++) {
                addAt(placed[c], wet[c], onset, gain);
            }
            if (parts != null) {
                parts.placed.add(placed);
                for (float[] ch : wet) {
                    for (int i = 0; i < ch.length; i++) {
                        ch[i] *= (float) gain;
                    }
                }
                parts.whole.add(wet);
                for (int c = 0; c < CHANNELS; c++) {
                    addAt(mixture[c], placed[c], 0, 1.0);
                }
            }
            int offset = Math.min(n, onset + clip.length);
            if (target) {
                float[] dry = new float[n];
                addAt(dry, FftConvolver.convolve(clip, S5Recipe.directPath(rir[spec.refChannel()],
                        S5Recipe.samples(spec.spatializeDirectPathTimeMs().get(0), sr),
                        S5Recipe.samples(spec.spatializeDirectPathTimeMs().get(1), sr))), onset, gain);
                targets.add(new Scene.Event(label, onset, offset, snr, dry));
            } else {
                interferences.add(new Scene.Event(label, onset, offset, snr, null));
            }
        }
        // Background at the reference level: a recording made in the measured room, or one synthetic
        // class as four decorrelated clips.
        String bg;
        float[][] background;
        if (measured != null && measured.hasNoise()) {
            int which = r.nextInt(measured.noiseCount(measuredRoom));
            bg = measuredRoom + "#" + which;
            background = tile(measured.noise(measuredRoom, which), n, r);
        } else {
            bg = backgroundClasses.get(r.nextInt(backgroundClasses.size()));
            background = new float[CHANNELS][];
            int first = r.nextInt(Integer.MAX_VALUE - CHANNELS);
            for (int c = 0; c < CHANNELS; c++) {
                background[c] = tile(new float[][] {library.clip(bg, first + c)}, n, r)[0];
            }
        }
        double bgGain = S5Recipe.gain(spec.refDb(), background);
        for (int c = 0; c < CHANNELS; c++) {
            for (int i = 0; i < n; i++) {
                background[c][i] *= (float) bgGain;
            }
            addAt(mixture[c], background[c], 0, 1.0);
        }
        if (parts != null) {
            parts.background = background;
        }
        targets.sort(Comparator.comparingInt(Scene.Event::onset));
        return new Scene(index, sr, mixture, List.copyOf(targets), List.copyOf(interferences), bg, rt60);
    }

    private static Vec3 inside(SplittableRandom r, Vec3 size, double margin) {
        return new Vec3(margin + r.nextDouble() * (size.x() - 2 * margin), margin + r.nextDouble() * (size.y() - 2 * margin),
                Math.min(size.z() - margin, 1.0 + r.nextDouble() * 0.8));
    }

    /**
     * A clip longer than n samples is cut at a random offset; offsets whose cut holds less than a
     * tenth of the clip's mean power are redrawn (up to 10 times, then the loudest candidate wins),
     * so a sparse sound (a few clinks) never becomes a silent event.
     */
    private static float[] crop(float[] clip, int n, SplittableRandom r) {
        if (clip.length <= n) {
            return clip;
        }
        double[] cum = new double[clip.length + 1];
        for (int i = 0; i < clip.length; i++) {
            cum[i + 1] = cum[i] + (double) clip[i] * clip[i];
        }
        double meanPower = cum[clip.length] / clip.length;
        int best = 0;
        double bestPower = -1;
        for (int attempt = 0; attempt < 10; attempt++) {
            int off = r.nextInt(clip.length - n + 1);
            double power = (cum[off + n] - cum[off]) / n;
            if (power > bestPower) {
                best = off;
                bestPower = power;
            }
            if (power >= 0.1 * meanPower) {
                break;
            }
        }
        return java.util.Arrays.copyOfRange(clip, best, best + n);
    }

    /**
     * A background cut to the mixture's length from a random whole-second offset (the same for every
     * channel), repeating when it is shorter.
     */
    private float[][] tile(float[][] clip, int n, SplittableRandom r) {
        int len = clip[0].length;
        int seconds = Math.max(1, len / spec.sampleRate());
        int start = r.nextInt(seconds) * spec.sampleRate() % len;
        float[][] out = new float[clip.length][n];
        for (int c = 0; c < clip.length; c++) {
            for (int i = 0; i < n; i++) {
                out[c][i] = clip[c][(start + i) % len];
            }
        }
        return out;
    }

    /** An onset keeping every grid cell at or under the overlap limit; marks the cells taken. */
    private int place(SplittableRandom r, int length, int n, int[] occupancy, String label) {
        double cellSamples = spec.overlapGrid() * spec.sampleRate();
        for (int attempt = 0; attempt < spec.maxAttempts(); attempt++) {
            int onset = r.nextInt(Math.max(1, n - length + 1));
            int c0 = (int) Math.floor(onset / cellSamples);
            int c1 = Math.min(occupancy.length, (int) Math.ceil((onset + length) / cellSamples));
            boolean ok = true;
            for (int c = c0; c < c1 && ok; c++) {
                ok = occupancy[c] < spec.maxEventOverlap();
            }
            if (ok) {
                for (int c = c0; c < c1; c++) {
                    occupancy[c]++;
                }
                return onset;
            }
        }
        throw new PlacementFailed("could not place event '" + label + "' within max_event_overlap="
                + spec.maxEventOverlap() + " after " + spec.maxAttempts() + " attempts (data.max_event_overlap, "
                + "data.nevent_range and data.ninterference_range cannot be met together for " + spec.duration() + " s)");
    }

    /** Scales impulse responses so the energy over all channels and samples is 1. */
    private static void normalizeEnergy(float[][] rir) {
        double e = 0;
        for (float[] ch : rir) {
            for (float v : ch) {
                e += (double) v * v;
            }
        }
        float g = (float) (1 / Math.sqrt(e));
        for (float[] ch : rir) {
            for (int i = 0; i < ch.length; i++) {
                ch[i] *= g;
            }
        }
    }

    /** dst[onset + i] += g·src[i] for the part that fits (the S5 recipe truncates at the duration). */
    private static void addAt(float[] dst, float[] src, int onset, double g) {
        float gf = (float) g;
        int len = Math.min(src.length, dst.length - onset);
        for (int i = 0; i < len; i++) {
            dst[onset + i] += gf * src[i];
        }
    }
}

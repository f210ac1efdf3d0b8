package org.sep4j.data.scene;

import java.util.List;
import org.sep4j.core.config.Doc;

/**
 * Every parameter of scene generation (the {@code data:} block), with the S5 recipe's values as
 * defaults where the recipe fixes them and the {@code tiny} preset's sizes otherwise.
 */
public record SceneSpec(
        @Doc("samples per second") int sampleRate,
        @Doc("mixture length, seconds") double duration,
        @Doc("longest event, seconds: longer clips are cut at a random offset (tiny scenes need short events)")
        double maxEventDuration,
        @Doc("dataset seed: item i depends only on (seed, i)") long seed,
        @Doc("reference level of the background, dB (mean square over all channels)") double refDb,
        @Doc("target SNR range over the background, dB") List<Double> snrRange,
        @Doc("number of targets, inclusive range") List<Integer> neventRange,
        @Doc("interference SNR range, dB") List<Double> interferenceSnrRange,
        @Doc("number of interference events, inclusive range") List<Integer> ninterferenceRange,
        @Doc("most events sounding at once") int maxEventOverlap,
        @Doc("grid on which overlap is counted, seconds") double overlapGrid,
        @Doc("dry-target window around the direct-path peak, ms before and after") List<Double> spatializeDirectPathTimeMs,
        @Doc("channel the dry targets are rendered at") int refChannel,
        @Doc("output slots per mixture") int nSources,
        @Doc("concat (n_sources x classes) or multihot") String labelVectorMode,
        @Doc("strong-label frame hop, seconds (40 ms: 250 frames per 10 s)") double frameHop,
        @Doc("attempts to place an event before giving up") int maxAttempts,
        @Doc("simulated rooms") Room room) {

    /**
     * Rooms drawn per mixture.
     *
     * @param sizeMin     smallest length, width, height, metres
     * @param sizeMax     largest length, width, height, metres
     * @param rt60Range   reverberation time range, seconds
     * @param imageOrder  image-source order (a diffuse tail continues beyond it)
     * @param rirSeconds  impulse response length
     * @param arrayRadius tetrahedral array radius, metres
     * @param measuredRoot measured rooms to use instead of simulated ones, or null
     * @param noiseRoot    background recordings of the measured rooms, or null
     */
    public record Room(List<Double> sizeMin, List<Double> sizeMax, List<Double> rt60Range, int imageOrder,
            double rirSeconds, double arrayRadius,
            @Doc("measured rooms: <root>/<room>.sofa or <root>/<room>/*.wav, 4 channels; null = simulate rooms")
            java.nio.file.Path measuredRoot,
            @Doc("4-channel background recordings named after their measured room (<room>*.wav); null = synthetic backgrounds")
            java.nio.file.Path noiseRoot) {

        public Room {
            if (sizeMin.size() != 3 || sizeMax.size() != 3) {
                throw new IllegalArgumentException("room.size_min and room.size_max need 3 values (length, width, height)");
            }
            for (int i = 0; i < 3; i++) {
                if (!(sizeMin.get(i) >= 2 && sizeMin.get(i) <= sizeMax.get(i))) {
                    throw new IllegalArgumentException("room sizes need 2 m <= size_min <= size_max, got " + sizeMin
                            + " and " + sizeMax);
                }
            }
            range(rt60Range, "room.rt60_range", 0.05, 5);
            if (noiseRoot != null && measuredRoot == null) {
                throw new IllegalArgumentException("room.noise_root needs room.measured_root: recordings belong to measured rooms");
            }
            if (imageOrder < 0 || rirSeconds <= 0 || arrayRadius <= 0 || arrayRadius > 0.5) {
                throw new IllegalArgumentException("room.image_order >= 0, room.rir_seconds > 0 and 0 < room.array_radius"
                        + " <= 0.5 are required");
            }
        }

        public static Room defaults() {
            return new Room(List.of(3.0, 3.0, 2.5), List.of(8.0, 6.0, 3.5), List.of(0.2, 0.7), 8, 0.4, 0.042, null, null);
        }
    }

    public SceneSpec {
        if (sampleRate < 8000) {
            throw new IllegalArgumentException("sample_rate must be at least 8000, got " + sampleRate);
        }
        if (!(duration > 0)) {
            throw new IllegalArgumentException("duration must be positive, got " + duration);
        }
        if (!(maxEventDuration > 0)) {
            throw new IllegalArgumentException("max_event_duration must be positive, got " + maxEventDuration);
        }
        range(snrRange, "snr_range", -60, 60);
        range(interferenceSnrRange, "interference_snr_range", -60, 60);
        intRange(neventRange, "nevent_range", 1, nSources);
        intRange(ninterferenceRange, "ninterference_range", 0, 10);
        if (maxEventOverlap < 1) {
            throw new IllegalArgumentException("max_event_overlap must be at least 1, got " + maxEventOverlap);
        }
        if (!(overlapGrid > 0 && frameHop > 0)) {
            throw new IllegalArgumentException("overlap_grid and frame_hop must be positive");
        }
        range(spatializeDirectPathTimeMs, "spatialize_direct_path_time_ms", 0, 1000);
        if (refChannel < 0 || refChannel > 3) {
            throw new IllegalArgumentException("ref_channel must be a channel of the 4-channel array (0..3), got " + refChannel);
        }
        if (!labelVectorMode.equals("concat") && !labelVectorMode.equals("multihot")) {
            throw new IllegalArgumentException("label_vector_mode must be concat or multihot, got '" + labelVectorMode + "'");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max_attempts must be at least 1");
        }
        snrRange = List.copyOf(snrRange);
        interferenceSnrRange = List.copyOf(interferenceSnrRange);
        neventRange = List.copyOf(neventRange);
        ninterferenceRange = List.copyOf(ninterferenceRange);
        spatializeDirectPathTimeMs = List.copyOf(spatializeDirectPathTimeMs);
    }

    /** This recipe in measured rooms ({@code rooms}) with their recorded backgrounds ({@code noise}, may be null). */
    public SceneSpec withMeasuredRooms(java.nio.file.Path rooms, java.nio.file.Path noise) {
        Room r = room;
        return new SceneSpec(sampleRate, duration, maxEventDuration, seed, refDb, snrRange, neventRange, interferenceSnrRange,
                ninterferenceRange, maxEventOverlap, overlapGrid, spatializeDirectPathTimeMs, refChannel, nSources, labelVectorMode,
                frameHop, maxAttempts, new Room(r.sizeMin(), r.sizeMax(), r.rt60Range(), r.imageOrder(), r.rirSeconds(),
                        r.arrayRadius(), rooms, noise));
    }

    /** This recipe with mixtures {@code seconds} long (events no longer than that). */
    public SceneSpec withDuration(double seconds) {
        return new SceneSpec(sampleRate, seconds, Math.min(maxEventDuration, seconds), seed, refDb, snrRange, neventRange,
                interferenceSnrRange, ninterferenceRange, maxEventOverlap, overlapGrid, spatializeDirectPathTimeMs, refChannel,
                nSources, labelVectorMode, frameHop, maxAttempts, room);
    }

    /** The tiny preset: 16 kHz, 4 s, small rooms. */
    public static SceneSpec defaults() {
        return new SceneSpec(16000, 4.0, 1.5, 0, -50, List.of(5.0, 20.0), List.of(1, 3), List.of(0.0, 15.0), List.of(1, 2), 3,
                0.1, List.of(6.0, 50.0), 0, 3, "concat", 0.04, 100, Room.defaults());
    }

    /** Mixture length in samples: the one place seconds become samples. */
    public int samples() {
        return samples(duration);
    }

    /** Seconds to samples at this rate, rounded to nearest. */
    public int samples(double seconds) {
        return (int) Math.round(seconds * sampleRate);
    }

    /** Strong-label frames per mixture (250 for 10 s at 40 ms). */
    public int frames() {
        return (int) Math.round(duration / frameHop);
    }

    private static void range(List<Double> r, String name, double lo, double hi) {
        if (r.size() != 2 || !(r.get(0) <= r.get(1)) || r.get(0) < lo || r.get(1) > hi) {
            throw new IllegalArgumentException(name + " must be [low, high] with " + lo + " <= low <= high <= " + hi
                    + ", got " + r);
        }
    }

    private static void intRange(List<Integer> r, String name, int lo, int hi) {
        if (r.size() != 2 || r.get(0) > r.get(1) || r.get(0) < lo || r.get(1) > hi) {
            throw new IllegalArgumentException(name + " must be [low, high] with " + lo + " <= low <= high <= " + hi
                    + ", got " + r);
        }
    }
}

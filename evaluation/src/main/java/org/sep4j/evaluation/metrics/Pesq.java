package org.sep4j.evaluation.metrics;

import java.util.Locale;
import org.sep4j.core.audio.Resampler;

/**
 * PESQ, ITU-T P.862 (narrowband, raw score and the P.862.1 MOS-LQO mapping) and P.862.2
 * (wideband MOS-LQO), in double precision. Narrowband runs at 8 and 16 kHz, wideband at 16 kHz.
 *
 * <p>The pipeline: level alignment of both signals, the IRS receive filter (narrowband) or the
 * wideband high-pass, then on band-passed copies the envelope VAD and the time alignment
 * ({@link PesqAlignment}), then the perceptual model on the input-filtered signals
 * ({@link PesqModel}). A shorter signal is zero-padded to the longer one, as the reference does.
 *
 * <p>Instances are immutable and thread-safe; each call keeps its state on its own stack.
 */
public final class Pesq {

    /** Narrowband (P.862 + P.862.1) or wideband (P.862.2). */
    public enum Mode {
        NB, WB;

        public static Mode parse(String s) {
            return switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "nb", "narrowband" -> NB;
                case "wb", "wideband" -> WB;
                default -> throw new IllegalArgumentException("unknown PESQ mode '" + s + "' (expected nb or wb)");
            };
        }
    }

    /**
     * One score: MOS-LQO, and for narrowband the raw P.862 score (NaN in wideband, which has
     * none), and the rate it was computed at.
     */
    public record Score(double mos, double raw, int sampleRate) {
    }

    private final Mode mode;
    private final boolean resample;

    /** PESQ in {@code mode}; rates other than the mode's are an error. */
    public Pesq(Mode mode) {
        this(mode, false);
    }

    /**
     * @param resample score other rates after resampling with core's {@link Resampler}: wideband
     *     to 16 kHz, narrowband to 8 kHz (narrowband at 16 kHz input runs natively)
     */
    public Pesq(Mode mode, boolean resample) {
        this.mode = mode;
        this.resample = resample;
    }

    public Mode mode() {
        return mode;
    }

    /** Scores {@code degraded} against {@code reference} (mono, same rate). */
    public Score score(float[] reference, float[] degraded, int sampleRate) {
        int rate = targetRate(sampleRate);
        if (rate != sampleRate) {
            Resampler r = new Resampler(sampleRate, rate);
            reference = r.resample(reference);
            degraded = r.resample(degraded);
        }
        checkFinite(reference, "reference");
        checkFinite(degraded, "degraded");
        PesqSignal.Rate setup = PesqSignal.Rate.of(rate);
        double minimum = 0.25;
        if (reference.length < rate / 4 || degraded.length < rate / 4) {
            throw new PesqException(PesqException.Reason.TOO_SHORT, String.format(Locale.ROOT,
                    "PESQ needs at least %.2f s of each signal; the reference has %.3f s, the degraded %.3f s",
                    minimum, reference.length / (double) rate, degraded.length / (double) rate));
        }
        if (allZero(reference)) {
            throw new PesqException(PesqException.Reason.NO_UTTERANCES,
                    "no utterances detected: the reference is silent (every sample is zero)");
        }
        if (allZero(degraded)) {
            throw new PesqException(PesqException.Reason.SILENT_DEGRADED,
                    "the degraded signal is silent (every sample is zero): its level cannot be aligned");
        }
        PesqFft fft = new PesqFft();
        PesqSignal ref = new PesqSignal(reference, setup);
        PesqSignal deg = new PesqSignal(degraded, setup);
        int longest = Math.max(ref.length, deg.length);
        ref.alignLevel(longest, mode == Mode.NB, fft);
        deg.alignLevel(longest, mode == Mode.NB, fft);
        if (mode == Mode.WB) {
            ref.widebandFilter();
            deg.widebandFilter();
        }
        double[] refModel = ref.data.clone();
        double[] degModel = deg.data.clone();

        ref.alignmentFilter();
        deg.alignmentFilter();
        ref.detectSpeech();
        deg.detectSpeech();
        PesqAlignment.Utterances utterances = PesqAlignment.align(ref, deg, fft);
        if (utterances.count < 1) {
            throw new PesqException(PesqException.Reason.NO_UTTERANCES,
                    "no utterances detected in the reference (its VAD found no speech run of at least "
                            + PesqTables.MIN_UTTERANCE * setup.block() * 1000 / rate + " ms inside the degraded signal)");
        }
        int padded = longest + setup.padding();
        refModel = java.util.Arrays.copyOf(refModel, padded);
        degModel = java.util.Arrays.copyOf(degModel, padded);
        double raw = PesqModel.rawScore(refModel, degModel, setup, longest, utterances, fft);
        if (mode == Mode.NB) {
            return new Score(0.999 + 4 / (1 + Math.exp(-1.4945 * raw + 4.6607)), raw, rate);
        }
        return new Score(0.999 + 4 / (1 + Math.exp(-1.3669 * raw + 3.8224)), Double.NaN, rate);
    }

    /** The rate a call at {@code sampleRate} scores at, or the error naming it. */
    private int targetRate(int sampleRate) {
        boolean native_ = mode == Mode.WB ? sampleRate == 16000 : sampleRate == 8000 || sampleRate == 16000;
        if (native_) {
            return sampleRate;
        }
        if (!resample) {
            String allowed = mode == Mode.WB ? "16000 Hz" : "8000 or 16000 Hz";
            throw new PesqException(PesqException.Reason.INVALID_RATE, String.format(Locale.ROOT,
                    "PESQ %s is defined at %s; got %d Hz (resample first, or pass --resample)",
                    mode.name().toLowerCase(Locale.ROOT), allowed, sampleRate));
        }
        return mode == Mode.WB ? 16000 : 8000;
    }

    private static void checkFinite(float[] x, String name) {
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new PesqException(PesqException.Reason.NOT_FINITE,
                        "the " + name + " signal has a non-finite sample (" + x[i] + ") at index " + i);
            }
        }
    }

    private static boolean allZero(float[] x) {
        for (float v : x) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }
}

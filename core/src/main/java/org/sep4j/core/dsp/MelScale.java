package org.sep4j.core.dsp;

import java.util.Locale;

/**
 * Hz ↔ mel conversions.
 *
 * <ul>
 *   <li>{@link #SLANEY} (librosa's default, Auditory Toolbox): linear below 1 kHz with 200/3 Hz per
 *       mel; above, 15 + ln(f/1000)/(ln 6.4/27).</li>
 *   <li>{@link #HTK} (torchaudio's default): 2595·log10(1 + f/700).</li>
 *   <li>{@link #KALDI}: 1127·ln(1 + f/700), the natural-log form of HTK that Kaldi uses.</li>
 * </ul>
 */
public enum MelScale {
    SLANEY, HTK, KALDI;

    private static final double F_SP = 200.0 / 3;
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOG_STEP = Math.log(6.4) / 27.0;

    public double hzToMel(double hz) {
        return switch (this) {
            case SLANEY -> hz < MIN_LOG_HZ ? hz / F_SP : MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
            case HTK -> 2595.0 * Math.log10(1.0 + hz / 700.0);
            case KALDI -> 1127.0 * Math.log(1.0 + hz / 700.0);
        };
    }

    public double melToHz(double mel) {
        return switch (this) {
            case SLANEY -> mel < MIN_LOG_MEL ? F_SP * mel : MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
            case HTK -> 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
            case KALDI -> 700.0 * (Math.exp(mel / 1127.0) - 1.0);
        };
    }

    /** Parses a config name: slaney, htk or kaldi. */
    public static MelScale parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "slaney" -> SLANEY;
            case "htk" -> HTK;
            case "kaldi" -> KALDI;
            default -> throw new IllegalArgumentException("unknown mel scale '" + name + "' (expected slaney, htk or kaldi)");
        };
    }
}

package org.sep4j.core.dsp;

/**
 * Options of Kaldi's log mel filterbank, named and defaulted as in
 * {@code torchaudio.compliance.kaldi.fbank} (dither is fixed at 0: features are deterministic).
 *
 * @param sampleFrequency  input sample rate, Hz
 * @param frameLengthMs    window length, ms (25 → 400 samples at 16 kHz)
 * @param frameShiftMs     hop, ms (10 → 160 samples at 16 kHz)
 * @param numMelBins       triangular bands
 * @param lowFreq          lowest band edge, Hz
 * @param highFreq         highest band edge, Hz; ≤ 0 means Nyquist + highFreq
 * @param window           frame window (Kaldi "hanning" = symmetric Hann, "povey" = Hann^0.85)
 * @param preemphasis      y[j] = x[j] − p·x[j−1] (x[−1] = x[0])
 * @param removeDcOffset   subtract each frame's mean first
 * @param roundToPowerOfTwo zero-pad frames to the next power of two before the FFT
 * @param usePower         power (true) or magnitude spectrum
 * @param useLog           natural log, floored at FLT_EPSILON
 * @param useEnergy        add the log frame energy as an extra column
 * @param rawEnergy        energy before pre-emphasis and windowing
 * @param energyFloor      floor of the energy (≤ 0: none)
 * @param htkCompat        energy column last instead of first
 * @param snipEdges        only frames that fit entirely (the only mode supported)
 */
public record KaldiFbankConfig(double sampleFrequency, double frameLengthMs, double frameShiftMs, int numMelBins,
        double lowFreq, double highFreq, Window window, double preemphasis, boolean removeDcOffset,
        boolean roundToPowerOfTwo, boolean usePower, boolean useLog, boolean useEnergy, boolean rawEnergy,
        double energyFloor, boolean htkCompat, boolean snipEdges) {

    public KaldiFbankConfig {
        if (sampleFrequency <= 0 || frameLengthMs <= 0 || frameShiftMs <= 0 || numMelBins < 3) {
            throw new IllegalArgumentException("fbank needs positive sample_frequency/frame_length/frame_shift and "
                    + "num_mel_bins >= 3");
        }
        if (!snipEdges) {
            throw new IllegalArgumentException("fbank.snip_edges=false is not supported (the AST/EAT/SSLAM front end "
                    + "uses snip_edges=true)");
        }
        if (window == null) {
            throw new IllegalArgumentException("fbank.window must be set");
        }
    }

    /** torchaudio's defaults: 25/10 ms, 23 bins, povey window, 0.97 pre-emphasis. */
    public static KaldiFbankConfig defaults(double sampleFrequency) {
        return new KaldiFbankConfig(sampleFrequency, 25.0, 10.0, 23, 20.0, 0.0, Window.POVEY, 0.97, true, true, true,
                true, false, true, 1.0, false, true);
    }

    /**
     * The call the AST, EAT and SSLAM front ends make: 16 kHz, 128 bins, Hanning window, htk_compat,
     * no energy.
     */
    public static KaldiFbankConfig audioSet() {
        return new KaldiFbankConfig(16000, 25.0, 10.0, 128, 20.0, 0.0, Window.HANN, 0.97, true, true, true, true,
                false, true, 1.0, true, true);
    }

    /** Window length in samples (truncated, as Kaldi does). */
    public int windowSize() {
        return (int) (sampleFrequency * frameLengthMs * 0.001);
    }

    /** Hop in samples (truncated, as Kaldi does). */
    public int windowShift() {
        return (int) (sampleFrequency * frameShiftMs * 0.001);
    }

    /** FFT size after optional rounding to a power of two. */
    public int paddedWindowSize() {
        int w = windowSize();
        return roundToPowerOfTwo ? Integer.highestOneBit(w - 1) << 1 : w;
    }

    /** Frames for {@code samples} input samples (snip_edges): 1 + (N − window)/shift, or 0. */
    public int frames(int samples) {
        int w = windowSize();
        return samples < w ? 0 : 1 + (samples - w) / windowShift();
    }
}

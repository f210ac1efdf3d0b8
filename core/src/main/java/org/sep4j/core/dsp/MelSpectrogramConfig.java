package org.sep4j.core.dsp;

/**
 * A mel spectrogram, with the defaults of {@code torchaudio.transforms.MelSpectrogram}
 * (n_fft 400, hop = win/2, HTK scale, no norm, power 2, 128 mels, f_max = sr/2).
 *
 * @param sampleRate sample rate of the input
 * @param stft       framing and FFT
 * @param nMels      mel bands
 * @param fMin       lowest edge, Hz
 * @param fMax       highest edge, Hz (≤ sampleRate/2)
 * @param power      exponent applied to |X| before the filterbank: 1 (magnitude) or 2 (power)
 * @param scale      mel scale
 * @param slaneyNorm area-normalise the triangles
 */
public record MelSpectrogramConfig(int sampleRate, StftConfig stft, int nMels, double fMin, double fMax, double power,
        MelScale scale, boolean slaneyNorm) {

    public MelSpectrogramConfig {
        if (power != 1.0 && power != 2.0) {
            throw new IllegalArgumentException("mel.power must be 1 or 2, got " + power);
        }
        if (stft == null || scale == null) {
            throw new IllegalArgumentException("mel.stft and mel.scale must be set");
        }
    }

    /** torchaudio's defaults at this sample rate. */
    public static MelSpectrogramConfig of(int sampleRate) {
        return new MelSpectrogramConfig(sampleRate, StftConfig.of(400), 128, 0.0, sampleRate / 2.0, 2.0,
                MelScale.HTK, false);
    }

    /** The same with another FFT size, hop and band count (window = nFft). */
    public static MelSpectrogramConfig of(int sampleRate, int nFft, int hop, int nMels) {
        return new MelSpectrogramConfig(sampleRate, StftConfig.of(nFft, hop), nMels, 0.0, sampleRate / 2.0, 2.0,
                MelScale.HTK, false);
    }

    public MelSpectrogramConfig withScale(MelScale s, boolean norm) {
        return new MelSpectrogramConfig(sampleRate, stft, nMels, fMin, fMax, power, s, norm);
    }

    public MelSpectrogramConfig withRange(double lo, double hi) {
        return new MelSpectrogramConfig(sampleRate, stft, nMels, lo, hi, power, scale, slaneyNorm);
    }
}

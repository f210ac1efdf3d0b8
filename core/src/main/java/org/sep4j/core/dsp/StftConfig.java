package org.sep4j.core.dsp;

/**
 * Parameters of a short-time Fourier transform, with the defaults of
 * {@code torchaudio.transforms.Spectrogram}: periodic Hann window of {@code winLength = nFft},
 * {@code hopLength = winLength / 2}, center with reflect padding, not normalised, onesided.
 * (Plain {@code torch.stft} defaults to a rectangular window and {@code hop = nFft / 4}; pass them
 * explicitly when you need that.)
 *
 * @param nFft       FFT size; bins = nFft/2 + 1 when onesided
 * @param hopLength  samples between frame starts, positive
 * @param winLength  window taps, 1..nFft; shorter windows are zero-padded centrally
 * @param window     window shape (periodic form)
 * @param center     pad nFft/2 samples on each side so frame t is centred on sample t·hop
 * @param padMode    how center pads
 * @param normalized multiply the forward transform by 1/√nFft
 * @param onesided   return only the non-negative frequencies
 */
public record StftConfig(int nFft, int hopLength, int winLength, Window window, boolean center, PadMode padMode,
        boolean normalized, boolean onesided) {

    public StftConfig {
        if (nFft <= 0) {
            throw new IllegalArgumentException("stft.n_fft must be positive, got " + nFft);
        }
        if (hopLength <= 0) {
            throw new IllegalArgumentException("stft.hop_length must be positive, got " + hopLength);
        }
        if (winLength <= 0 || winLength > nFft) {
            throw new IllegalArgumentException("stft.win_length must be in 1.." + nFft + " (n_fft), got " + winLength);
        }
        if (window == null || padMode == null) {
            throw new IllegalArgumentException("stft.window and stft.pad_mode must be set");
        }
    }

    /** The torchaudio Spectrogram defaults for this FFT size. */
    public static StftConfig of(int nFft) {
        return new StftConfig(nFft, nFft / 2, nFft, Window.HANN, true, PadMode.REFLECT, false, true);
    }

    /** The defaults with an explicit hop. */
    public static StftConfig of(int nFft, int hopLength) {
        return new StftConfig(nFft, hopLength, nFft, Window.HANN, true, PadMode.REFLECT, false, true);
    }

    public StftConfig withWinLength(int w) {
        return new StftConfig(nFft, hopLength, w, window, center, padMode, normalized, onesided);
    }

    public StftConfig withWindow(Window w) {
        return new StftConfig(nFft, hopLength, winLength, w, center, padMode, normalized, onesided);
    }

    public StftConfig withCenter(boolean c) {
        return new StftConfig(nFft, hopLength, winLength, window, c, padMode, normalized, onesided);
    }

    public StftConfig withPadMode(PadMode p) {
        return new StftConfig(nFft, hopLength, winLength, window, center, p, normalized, onesided);
    }

    public StftConfig withNormalized(boolean n) {
        return new StftConfig(nFft, hopLength, winLength, window, center, padMode, n, onesided);
    }

    public StftConfig withOnesided(boolean o) {
        return new StftConfig(nFft, hopLength, winLength, window, center, padMode, normalized, o);
    }

    /** Frequency bins per frame. */
    public int bins() {
        return onesided ? nFft / 2 + 1 : nFft;
    }

    /** Frames for a signal of {@code length} samples (1 + L/hop when centred). */
    public int frames(int length) {
        return Stft.frames(length, nFft, hopLength, center);
    }
}

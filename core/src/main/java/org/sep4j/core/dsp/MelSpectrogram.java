package org.sep4j.core.dsp;

/**
 * STFT → |X|^power → mel filterbank, as {@code torchaudio.transforms.MelSpectrogram}; the window
 * and filterbank are built once per instance. Thread-safe.
 *
 * <p>Output flat {@code [channels][nMels][frames]}.
 */
public final class MelSpectrogram {

    private final MelSpectrogramConfig config;
    private final Stft stft;
    private final float[][] filterbank;

    public MelSpectrogram(MelSpectrogramConfig config) {
        this.config = config;
        this.stft = new Stft(config.stft());
        if (!config.stft().onesided()) {
            throw new IllegalArgumentException("mel spectrogram needs a onesided STFT");
        }
        this.filterbank = MelFilterbank.create(config.sampleRate(), config.stft().nFft(), config.nMels(), config.fMin(),
                config.fMax(), config.scale(), config.slaneyNorm());
    }

    public MelSpectrogramConfig config() {
        return config;
    }

    /** The filterbank, {@code [nMels][nFft/2 + 1]}. */
    public float[][] filterbank() {
        return filterbank;
    }

    public int frames(int length) {
        return config.stft().frames(length);
    }

    /** Mel energies of {@code [channels][samples]}, flat {@code [channels][nMels][frames]}. */
    public float[] forward(float[][] x) {
        Spectrogram s = stft.forward(x);
        float[] mag = config.power() == 2.0 ? s.power() : s.magnitude();
        return MelFilterbank.apply(filterbank, mag, s.channels(), s.bins(), s.frames());
    }

    /** ln(x + offset), in place; returns its argument. */
    public static float[] log(float[] x, float offset) {
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.log(x[i] + offset);
        }
        return x;
    }
}

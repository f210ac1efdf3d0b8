package org.sep4j.core.dsp;

import java.util.stream.IntStream;

/**
 * Kaldi log mel filterbank features, matching {@code torchaudio.compliance.kaldi.fbank}
 * (torchaudio 0.13) for dither 0 and snip_edges.
 *
 * <p>Per frame: window of {@code windowSize} samples every {@code windowShift}; remove the frame
 * mean; pre-emphasis; window; zero-pad to the FFT size; power spectrum; triangles evenly spaced on
 * 1127·ln(1 + f/700) between lowFreq and highFreq evaluated at bins k·sr/nFft for k < nFft/2 (the
 * Nyquist bin gets weight 0); no area normalisation; natural log floored at FLT_EPSILON.
 *
 * <p>Output {@code [frames][numMelBins (+1 with energy)]}, as torchaudio returns it. Thread-safe.
 */
public final class KaldiFbank {

    /** torch.finfo(torch.float32).eps: the floor of every log. */
    public static final float FLT_EPSILON = 1.1920928955078125e-07f;
    /** AudioSet statistics the AST/EAT/SSLAM checkpoints were trained with. */
    public static final float AUDIOSET_MEAN = -4.268f;
    public static final float AUDIOSET_STD = 4.569f;

    private final KaldiFbankConfig config;
    private final float[] window;
    private final float[][] melBanks;

    public KaldiFbank(KaldiFbankConfig config) {
        this.config = config;
        this.window = config.window().create(config.windowSize(), false);
        this.melBanks = melBanks(config);
    }

    public KaldiFbankConfig config() {
        return config;
    }

    /**
     * Kaldi's mel banks, {@code [numMelBins][nFft/2 + 1]}, last column 0.
     */
    static float[][] melBanks(KaldiFbankConfig c) {
        int nFft = c.paddedWindowSize();
        int numFftBins = nFft / 2;
        double nyquist = 0.5 * c.sampleFrequency();
        double high = c.highFreq() <= 0 ? c.highFreq() + nyquist : c.highFreq();
        if (!(c.lowFreq() >= 0 && c.lowFreq() < high && high <= nyquist)) {
            throw new IllegalArgumentException("fbank needs 0 <= low_freq < high_freq <= Nyquist (" + nyquist
                    + " Hz), got low_freq " + c.lowFreq() + ", high_freq " + high);
        }
        double binWidth = c.sampleFrequency() / nFft;
        MelScale mel = MelScale.KALDI;
        double melLow = mel.hzToMel(c.lowFreq());
        double melHigh = mel.hzToMel(high);
        double delta = (melHigh - melLow) / (c.numMelBins() + 1);
        float[][] banks = new float[c.numMelBins()][numFftBins + 1];
        for (int b = 0; b < c.numMelBins(); b++) {
            double left = melLow + b * delta;
            double center = melLow + (b + 1) * delta;
            double right = melLow + (b + 2) * delta;
            for (int k = 0; k < numFftBins; k++) {
                double m = mel.hzToMel(binWidth * k);
                double up = (m - left) / (center - left);
                double down = (right - m) / (right - center);
                banks[b][k] = (float) Math.max(0.0, Math.min(up, down));
            }
        }
        return banks;
    }

    /** Features of a mono waveform (same units as torchaudio: the caller decides the scaling). */
    public float[][] compute(float[] wave) {
        KaldiFbankConfig c = config;
        int size = c.windowSize();
        int shift = c.windowShift();
        int nFft = c.paddedWindowSize();
        int frames = c.frames(wave.length);
        int bins = nFft / 2 + 1;
        int mels = c.numMelBins();
        int cols = mels + (c.useEnergy() ? 1 : 0);
        int melOffset = c.useEnergy() && !c.htkCompat() ? 1 : 0;
        float energyFloor = c.energyFloor() > 0 ? (float) Math.log(c.energyFloor()) : Float.NEGATIVE_INFINITY;
        float[][] out = new float[frames][cols];
        IntStream.range(0, (frames + 63) / 64).parallel().forEach(block -> {
            RealFft fft = new RealFft(nFft);
            float[] buf = fft.buffer();
            float[] frame = new float[size];
            float[] re = new float[bins];
            float[] im = new float[bins];
            float[] spec = new float[bins];
            int t1 = Math.min(frames, (block + 1) * 64);
            for (int t = block * 64; t < t1; t++) {
                System.arraycopy(wave, t * shift, frame, 0, size);
                if (c.removeDcOffset()) {
                    double mean = 0;
                    for (float v : frame) {
                        mean += v;
                    }
                    float m = (float) (mean / size);
                    for (int j = 0; j < size; j++) {
                        frame[j] -= m;
                    }
                }
                float energy = 0f;
                if (c.useEnergy() && c.rawEnergy()) {
                    energy = logEnergy(frame, size, energyFloor);
                }
                float p = (float) c.preemphasis();
                if (p != 0f) {
                    for (int j = size - 1; j > 0; j--) {
                        frame[j] -= p * frame[j - 1];
                    }
                    frame[0] -= p * frame[0];
                }
                for (int j = 0; j < size; j++) {
                    buf[j] = frame[j] * window[j];
                }
                java.util.Arrays.fill(buf, size, nFft, 0f);
                if (c.useEnergy() && !c.rawEnergy()) {
                    energy = logEnergy(buf, nFft, energyFloor);
                }
                fft.forwardInPlace(re, im);
                for (int k = 0; k < bins; k++) {
                    float pw = re[k] * re[k] + im[k] * im[k];
                    spec[k] = c.usePower() ? pw : (float) Math.sqrt(pw);
                }
                float[] row = out[t];
                for (int m = 0; m < mels; m++) {
                    float[] bank = melBanks[m];
                    float acc = 0f;
                    for (int k = 0; k < bins; k++) {
                        acc += bank[k] * spec[k];
                    }
                    row[m + melOffset] = c.useLog() ? (float) Math.log(Math.max(acc, FLT_EPSILON)) : acc;
                }
                if (c.useEnergy()) {
                    row[c.htkCompat() ? mels : 0] = energy;
                }
            }
        });
        return out;
    }

    private static float logEnergy(float[] x, int n, float floor) {
        double e = 0;
        for (int j = 0; j < n; j++) {
            e += (double) x[j] * x[j];
        }
        return Math.max((float) Math.log(Math.max(e, FLT_EPSILON)), floor);
    }

    /**
     * The AST/EAT/SSLAM input: fbank of the mean-removed waveform, zero-padded or truncated to
     * {@code targetFrames}, normalised as (x − mean)/(2·std) with AudioSet statistics.
     *
     * @return {@code [targetFrames][128]}
     */
    public static float[][] audioSetInput(float[] wave16k, int targetFrames) {
        double mean = 0;
        for (float v : wave16k) {
            mean += v;
        }
        float m = (float) (mean / Math.max(1, wave16k.length));
        float[] centred = new float[wave16k.length];
        for (int i = 0; i < centred.length; i++) {
            centred[i] = wave16k[i] - m;
        }
        float[][] fb = new KaldiFbank(KaldiFbankConfig.audioSet()).compute(centred);
        int bins = KaldiFbankConfig.audioSet().numMelBins();
        float[][] out = new float[targetFrames][bins];
        for (int t = 0; t < targetFrames; t++) {
            for (int b = 0; b < bins; b++) {
                float v = t < fb.length ? fb[t][b] : 0f;
                out[t][b] = (v - AUDIOSET_MEAN) / (2f * AUDIOSET_STD);
            }
        }
        return out;
    }
}

package org.sep4j.core.dsp;

/**
 * Triangular mel filterbanks as librosa ({@code filters.mel}) and torchaudio
 * ({@code functional.melscale_fbanks}) build them.
 *
 * <p>Edges: nMels + 2 points evenly spaced in mel between fMin and fMax; triangles evaluated at
 * the FFT bin frequencies linspace(0, sr/2, nFft/2 + 1). {@code slaneyNorm} scales triangle i by
 * 2/(f[i+2] − f[i]) (constant energy per band). Computed in double precision.
 */
public final class MelFilterbank {

    private MelFilterbank() {
    }

    /**
     * The filterbank, shape {@code [nMels][nFft/2 + 1]} (librosa's orientation; torchaudio returns
     * its transpose).
     */
    public static float[][] create(int sampleRate, int nFft, int nMels, double fMin, double fMax, MelScale scale,
            boolean slaneyNorm) {
        if (sampleRate <= 0 || nFft <= 0 || nMels <= 0) {
            throw new IllegalArgumentException("mel filterbank needs positive sample rate, n_fft and n_mels, got "
                    + sampleRate + ", " + nFft + ", " + nMels);
        }
        if (!(fMin >= 0 && fMin < fMax && fMax <= sampleRate / 2.0 + 1e-9)) {
            throw new IllegalArgumentException("mel filterbank needs 0 <= f_min < f_max <= sample_rate/2 = "
                    + sampleRate / 2.0 + ", got f_min " + fMin + ", f_max " + fMax);
        }
        int nFreqs = nFft / 2 + 1;
        double[] freqs = new double[nFreqs];
        for (int k = 0; k < nFreqs; k++) {
            freqs[k] = nFreqs == 1 ? 0 : (sampleRate / 2.0) * k / (nFreqs - 1);
        }
        double mMin = scale.hzToMel(fMin);
        double mMax = scale.hzToMel(fMax);
        double[] edges = new double[nMels + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = scale.melToHz(mMin + (mMax - mMin) * i / (nMels + 1));
        }
        float[][] fb = new float[nMels][nFreqs];
        for (int m = 0; m < nMels; m++) {
            double lo = edges[m];
            double mid = edges[m + 1];
            double hi = edges[m + 2];
            double norm = slaneyNorm ? 2.0 / (hi - lo) : 1.0;
            for (int k = 0; k < nFreqs; k++) {
                double down = (freqs[k] - lo) / (mid - lo);
                double up = (hi - freqs[k]) / (hi - mid);
                fb[m][k] = (float) (Math.max(0.0, Math.min(down, up)) * norm);
            }
        }
        return fb;
    }

    /**
     * Applies a filterbank to a power (or magnitude) spectrogram.
     *
     * @param fb       {@code [nMels][bins]}
     * @param spec     flat {@code [channels][bins][frames]}
     * @return flat {@code [channels][nMels][frames]}
     */
    public static float[] apply(float[][] fb, float[] spec, int channels, int bins, int frames) {
        int nMels = fb.length;
        if (fb[0].length != bins) {
            throw new IllegalArgumentException("filterbank has " + fb[0].length + " bins, spectrogram " + bins);
        }
        float[] out = new float[channels * nMels * frames];
        for (int c = 0; c < channels; c++) {
            for (int m = 0; m < nMels; m++) {
                float[] row = fb[m];
                int dst = (c * nMels + m) * frames;
                for (int k = 0; k < bins; k++) {
                    float wgt = row[k];
                    if (wgt == 0f) {
                        continue;
                    }
                    int src = (c * bins + k) * frames;
                    for (int t = 0; t < frames; t++) {
                        out[dst + t] += wgt * spec[src + t];
                    }
                }
            }
        }
        return out;
    }
}

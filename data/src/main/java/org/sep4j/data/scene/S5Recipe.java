package org.sep4j.data.scene;

/**
 * The level and reference rules every S5 soundscape shares, generated ({@link SceneGenerator}) or
 * replayed from official metadata ({@code MetadataScenes}), as the DCASE 2025 Task 4 baseline applies them.
 */
public final class S5Recipe {

    private S5Recipe() {
    }

    /**
     * The gain that puts {@code x} at {@code db}, its level being 10·log10 of the mean square over all
     * channels and all of its samples (a wet event's whole convolution, reverberant tail included,
     * whatever part of it the scene keeps); 1 for a silent signal, as the baseline has it.
     */
    public static double gain(double db, float[][] x) {
        double sum = 0;
        long count = 0;
        for (float[] ch : x) {
            for (float v : ch) {
                sum += (double) v * v;
            }
            count += ch.length;
        }
        double level = 10 * Math.log10(sum / count);
        return Double.isFinite(level) ? Math.pow(10, (db - level) / 20) : 1;
    }

    /** Milliseconds as whole samples, truncated (the baseline's int(ms · sr / 1000)). */
    public static int samples(double ms, int sampleRate) {
        return (int) (ms * sampleRate / 1000);
    }

    /**
     * The direct path and early reflections of a response: {@code h} kept over [peak − pre, peak + post),
     * zero elsewhere, the peak being its largest value (signed: a response of inverted polarity peaks
     * at its largest positive reflection, as in the baseline).
     */
    public static float[] directPath(float[] h, int pre, int post) {
        int peak = 0;
        for (int n = 1; n < h.length; n++) {
            peak = h[n] > h[peak] ? n : peak;
        }
        float[] w = new float[h.length];
        for (int n = Math.max(0, peak - pre); n < Math.min(h.length, peak + post); n++) {
            w[n] = h[n];
        }
        return w;
    }
}

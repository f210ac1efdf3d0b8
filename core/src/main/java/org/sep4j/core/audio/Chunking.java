package org.sep4j.core.audio;

import java.util.Locale;

/**
 * Runs a fixed-length model over a signal of any length: chunks of {@code length} samples that
 * overlap by {@code overlap}, stitched back by overlap-add with complementary cross-fades (the
 * first chunk has no fade-in, the last no fade-out), normalised by the summed fade weights so a
 * chunk function that returns its input reproduces the signal exactly. The tail is zero-padded to
 * a whole number of hops and cut back; an input shorter than one chunk is one padded chunk.
 *
 * @param length  samples per chunk (the model's input length)
 * @param overlap samples shared by neighbouring chunks, 0 ≤ overlap < length
 * @param fade    the cross-fade's shape
 */
public record Chunking(int length, int overlap, Fade fade) {

    /** Cross-fade shapes; both pairs sum to one, so overlaps keep the level. */
    public enum Fade {
        /** Linear ramps. */
        LINEAR,
        /** Raised-cosine (sin²) ramps: smooth at both ends. */
        HANN;

        public static Fade parse(String s) {
            return switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "linear" -> LINEAR;
                case "hann" -> HANN;
                default -> throw new IllegalArgumentException("unknown cross-fade '" + s + "' (expected linear or hann)");
            };
        }

        /** Fade-in weight of sample j of an {@code n}-sample ramp, in (0, 1). */
        double in(int j, int n) {
            double t = (j + 0.5) / n;
            return this == LINEAR ? t : Math.sin(0.5 * Math.PI * t) * Math.sin(0.5 * Math.PI * t);
        }
    }

    public Chunking {
        if (length < 1 || overlap < 0 || overlap >= length) {
            throw new IllegalArgumentException("chunks need length >= 1 and 0 <= overlap < length, got length " + length
                    + ", overlap " + overlap);
        }
    }

    /** Samples between chunk starts. */
    public int hop() {
        return length - overlap;
    }

    /** How many chunks cover {@code n} samples. */
    public int count(int n) {
        return n <= length ? 1 : 1 + (n - length + hop() - 1) / hop();
    }

    /** Chunk {@code k} of {@code x}: {@code length} samples from k·hop, zeros past the end. */
    public float[] chunk(float[] x, int k) {
        float[] c = new float[length];
        int start = k * hop();
        if (start < x.length) {
            System.arraycopy(x, start, c, 0, Math.min(length, x.length - start));
        }
        return c;
    }

    /** Chunk {@code k} of every channel. */
    public float[][] chunk(float[][] x, int k) {
        float[][] c = new float[x.length][];
        for (int ch = 0; ch < x.length; ch++) {
            c[ch] = chunk(x[ch], k);
        }
        return c;
    }

    /**
     * The cross-fade weight of sample {@code j} of chunk {@code k} of {@code count}: 1, fading in
     * over the first {@code overlap} samples (not in the first chunk) and out over the last (not in
     * the last chunk). Frame-rate outputs are stitched with the same weights at their centres.
     */
    public double weight(int k, int count, int j) {
        if (k > 0 && j < overlap) {
            return fade.in(j, overlap);
        }
        if (k < count - 1 && j >= length - overlap) {
            return 1 - fade.in(j - (length - overlap), overlap);
        }
        return 1;
    }

    /** Overlap-adds per-chunk outputs (each {@code length} samples) into {@code n} samples. */
    public float[] stitch(float[][] chunks, int n) {
        int count = chunks.length;
        if (count != count(n)) {
            throw new IllegalArgumentException(n + " samples take " + count(n) + " chunks, got " + count);
        }
        int padded = (count - 1) * hop() + length;
        double[] sum = new double[padded];
        double[] weight = new double[padded];
        for (int k = 0; k < count; k++) {
            if (chunks[k].length != length) {
                throw new IllegalArgumentException("chunk " + k + " has " + chunks[k].length + " samples, expected " + length);
            }
            int start = k * hop();
            for (int j = 0; j < length; j++) {
                double w = weight(k, count, j);
                sum[start + j] += w * chunks[k][j];
                weight[start + j] += w;
            }
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (sum[i] / weight[i]);
        }
        return out;
    }
}

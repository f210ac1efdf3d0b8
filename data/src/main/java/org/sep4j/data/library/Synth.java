package org.sep4j.data.library;

import java.util.SplittableRandom;

/** Building blocks for procedural sounds: noise, oscillators, RBJ biquads, envelopes. */
final class Synth {

    private Synth() {
    }

    static float[] white(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** Pink-ish noise: white noise through Kellet's economy 1/f filter. */
    static float[] pink(SplittableRandom r, int n) {
        float[] x = new float[n];
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        for (int i = 0; i < n; i++) {
            double w = r.nextDouble() * 2 - 1;
            b0 = 0.99765 * b0 + w * 0.0990460;
            b1 = 0.96300 * b1 + w * 0.2965164;
            b2 = 0.57000 * b2 + w * 1.0526913;
            x[i] = (float) ((b0 + b1 + b2 + w * 0.1848) * 0.2);
        }
        return x;
    }

    /** Brown noise: leaky integral of white noise. */
    static float[] brown(SplittableRandom r, int n) {
        float[] x = new float[n];
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc = 0.995 * acc + 0.05 * (r.nextDouble() * 2 - 1);
            x[i] = (float) acc;
        }
        return x;
    }

    /** In place: RBJ biquad, types "lp", "hp", "bp" (constant 0 dB peak gain). */
    static float[] biquad(float[] x, String type, double f0, double q, int sr) {
        double w0 = 2 * Math.PI * Math.min(f0, 0.45 * sr) / sr;
        double alpha = Math.sin(w0) / (2 * q);
        double cos = Math.cos(w0);
        double b0;
        double b1;
        double b2;
        switch (type) {
            case "lp" -> {
                b0 = (1 - cos) / 2;
                b1 = 1 - cos;
                b2 = (1 - cos) / 2;
            }
            case "hp" -> {
                b0 = (1 + cos) / 2;
                b1 = -(1 + cos);
                b2 = (1 + cos) / 2;
            }
            case "bp" -> {
                b0 = alpha;
                b1 = 0;
                b2 = -alpha;
            }
            default -> throw new IllegalArgumentException(type);
        }
        double a0 = 1 + alpha;
        double a1 = -2 * cos;
        double a2 = 1 - alpha;
        double x1 = 0;
        double x2 = 0;
        double y1 = 0;
        double y2 = 0;
        for (int i = 0; i < x.length; i++) {
            double y = (b0 * x[i] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2) / a0;
            x2 = x1;
            x1 = x[i];
            y2 = y1;
            y1 = y;
            x[i] = (float) y;
        }
        return x;
    }

    /** Adds a decaying sine partial starting at {@code start}. */
    static void partial(float[] out, int start, double freq, double amp, double decaySeconds, double phase, int sr) {
        int len = Math.min(out.length - start, (int) (decaySeconds * 6 * sr));
        for (int i = 0; i < len; i++) {
            double t = (double) i / sr;
            out[start + i] += (float) (amp * Math.exp(-t / decaySeconds) * Math.sin(2 * Math.PI * freq * t + phase));
        }
    }

    /** Adds a noise burst with an exponential decay, band-passed around f0. */
    static void burst(float[] out, SplittableRandom r, int start, double seconds, double f0, double q, double amp, int sr) {
        int len = Math.min(out.length - start, (int) (seconds * sr));
        if (len <= 0) {
            return;
        }
        float[] b = biquad(white(r, len), "bp", f0, q, sr);
        for (int i = 0; i < len; i++) {
            out[start + i] += (float) (amp * b[i] * Math.exp(-5.0 * i / len));
        }
    }

    /** Multiplies by an attack/release envelope (seconds). */
    static float[] fade(float[] x, double attack, double release, int sr) {
        int a = Math.max(1, (int) (attack * sr));
        int rl = Math.max(1, (int) (release * sr));
        for (int i = 0; i < Math.min(a, x.length); i++) {
            x[i] *= (float) i / a;
        }
        for (int i = 0; i < Math.min(rl, x.length); i++) {
            x[x.length - 1 - i] *= (float) i / rl;
        }
        return x;
    }

    static float[] normalize(float[] x) {
        float peak = 0;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        if (peak > 0) {
            for (int i = 0; i < x.length; i++) {
                x[i] /= peak;
            }
        }
        return x;
    }

    static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }
}

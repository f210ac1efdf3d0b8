package org.sep4j.core.testing;

import java.util.SplittableRandom;

/** Deterministic test signals. */
public final class Signals {

    private Signals() {
    }

    /** The spec's STFT test signal: 0.5·sin(2π·440n/sr) + 0.25·sin(2π·3000n/sr + 0.3), computed in double. */
    public static float[] twoTones(int n, int sr) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / sr) + 0.25 * Math.sin(2 * Math.PI * 3000 * i / sr + 0.3));
        }
        return x;
    }

    public static float[] tone(double hz, double amplitude, int n, int sr) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / sr));
        }
        return x;
    }

    public static float[] noise(long seed, int n, double std) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller: a Gaussian without java.util.Random's shared state
            double u = 1.0 - r.nextDouble();
            double v = r.nextDouble();
            x[i] = (float) (std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
        }
        return x;
    }
}

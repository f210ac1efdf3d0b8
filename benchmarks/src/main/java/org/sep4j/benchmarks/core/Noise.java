package org.sep4j.benchmarks.core;

import java.util.SplittableRandom;

/** Deterministic benchmark inputs. */
final class Noise {

    private Noise() {
    }

    static float[][] channels(int channels, int samples, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[channels][samples];
        for (float[] ch : x) {
            for (int i = 0; i < samples; i++) {
                ch[i] = (float) (r.nextDouble() * 2 - 1) * 0.3f;
            }
        }
        return x;
    }
}

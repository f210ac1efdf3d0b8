package org.sep4j.sim.room;

import java.util.Locale;

/**
 * First-order microphone directivity: gain(θ) = a + (1 − a)·cos θ between the microphone's axis
 * and the direction of arrival.
 */
public enum Directivity {
    OMNI(1.0), SUBCARDIOID(0.7), CARDIOID(0.5), HYPERCARDIOID(0.25), FIGURE_EIGHT(0.0);

    private final double a;

    Directivity(double a) {
        this.a = a;
    }

    /** Gain for a unit arrival direction (pointing from the microphone to the source) and a unit axis. */
    public double gain(Vec3 axis, Vec3 towardsSource) {
        return this == OMNI ? 1.0 : a + (1 - a) * axis.dot(towardsSource);
    }

    public static Directivity parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}

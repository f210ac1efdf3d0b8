package org.sep4j.sim.room;

import java.util.Arrays;
import java.util.Locale;

/**
 * A rectangular room with one energy absorption coefficient per wall.
 *
 * @param size       length (x), width (y), height (z) in metres
 * @param absorption energy absorption α of the walls x=0, x=Lx, y=0, y=Ly, z=0 (floor), z=Lz
 *                   (ceiling), each in [0, 1); the pressure reflection coefficient is √(1 − α)
 * @param sampleRate samples per second of the impulse responses
 * @param soundSpeed metres per second
 */
public record ShoeboxRoom(Vec3 size, double[] absorption, int sampleRate, double soundSpeed) {

    /** Speed of sound at 20 °C. */
    public static final double SPEED_OF_SOUND = 343.0;

    /** How a target RT60 becomes a wall absorption. */
    public enum Rt60Model {
        /** RT60 = 0.161·V/(S·α): right for diffuse fields with little absorption. */
        SABINE,
        /** RT60 = 0.161·V/(−S·ln(1 − α)): closer to what the image-source method produces. */
        EYRING;

        public static Rt60Model parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    public ShoeboxRoom {
        if (!(size.x() > 0 && size.y() > 0 && size.z() > 0)) {
            throw new IllegalArgumentException("room size must be positive in every dimension, got " + size);
        }
        if (absorption.length != 6) {
            throw new IllegalArgumentException("a shoebox room has 6 walls, got " + absorption.length
                    + " absorption coefficients");
        }
        for (double a : absorption) {
            if (!(a >= 0 && a < 1)) {
                throw new IllegalArgumentException("wall absorption must be in [0, 1), got " + Arrays.toString(absorption));
            }
        }
        if (sampleRate <= 0 || soundSpeed <= 0) {
            throw new IllegalArgumentException("sample rate and speed of sound must be positive");
        }
        absorption = absorption.clone();
    }

    /** The same absorption on every wall, chosen so the room's RT60 is {@code rt60} under the model. */
    public static ShoeboxRoom withRt60(Vec3 size, double rt60, Rt60Model model, int sampleRate) {
        if (!(rt60 > 0)) {
            throw new IllegalArgumentException("RT60 must be positive, got " + rt60);
        }
        double v = size.x() * size.y() * size.z();
        double s = 2 * (size.x() * size.y() + size.x() * size.z() + size.y() * size.z());
        double a = model == Rt60Model.SABINE ? 0.161 * v / (s * rt60) : 1 - Math.exp(-0.161 * v / (s * rt60));
        if (!(a < 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "RT60 %.3f s is too short for a %.1f x %.1f x %.1f m room under %s (absorption would be %.2f >= 1)",
                    rt60, size.x(), size.y(), size.z(), model, a));
        }
        double[] abs = new double[6];
        Arrays.fill(abs, a);
        return new ShoeboxRoom(size, abs, sampleRate, SPEED_OF_SOUND);
    }

    public double volume() {
        return size.x() * size.y() * size.z();
    }

    public double surface() {
        return 2 * (size.x() * size.y() + size.x() * size.z() + size.y() * size.z());
    }

    private double[] areas() {
        double yz = size.y() * size.z();
        double xz = size.x() * size.z();
        double xy = size.x() * size.y();
        return new double[] {yz, yz, xz, xz, xy, xy};
    }

    /** Sabine's RT60 of this room, seconds. */
    public double sabineRt60() {
        double[] area = areas();
        double sa = 0;
        for (int w = 0; w < 6; w++) {
            sa += area[w] * absorption[w];
        }
        return 0.161 * volume() / sa;
    }

    /** Eyring's RT60 with the area-weighted mean absorption, seconds. */
    public double eyringRt60() {
        double[] area = areas();
        double sa = 0;
        for (int w = 0; w < 6; w++) {
            sa += area[w] * absorption[w];
        }
        return 0.161 * volume() / (-surface() * Math.log(1 - sa / surface()));
    }

    /** Fails with a message naming the point when it is not strictly inside the room. */
    public void checkInside(Vec3 p, String what) {
        if (!(p.x() > 0 && p.x() < size.x() && p.y() > 0 && p.y() < size.y() && p.z() > 0 && p.z() < size.z())) {
            throw new IllegalArgumentException(what + " at " + p + " is outside the " + size.x() + " x " + size.y()
                    + " x " + size.z() + " m room");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShoeboxRoom r && r.size.equals(size) && Arrays.equals(r.absorption, absorption)
                && r.sampleRate == sampleRate && r.soundSpeed == soundSpeed;
    }

    @Override
    public int hashCode() {
        return 31 * size.hashCode() + Arrays.hashCode(absorption) + sampleRate;
    }
}

package org.sep4j.sim.room;

/**
 * A rigid spherical head with ears at ±90°: interaural time differences from the path around the
 * sphere (Woodworth) and a first-order head-shadow filter per ear (Brown &amp; Duda 1998):
 * H(ω, θ) = (1 + jα(θ)ω/2ω₀)/(1 + jω/2ω₀), ω₀ = c/a, α(θ) = 1.05 + 0.95·cos(θ·180°/150°), where θ is
 * the angle between the source direction and the ear's axis: up to +6 dB at high frequencies
 * facing the ear, −20 dB behind the head, unity at DC.
 *
 * @param radius head radius, metres (0.0875 for an average adult)
 * @param left   unit vector from the head centre to the left ear
 */
public record BinauralHead(double radius, Vec3 left) {

    /** Taps kept of each ear's head-shadow impulse response. */
    static final int SHADOW_TAPS = 64;

    public BinauralHead {
        if (!(radius > 0 && radius < 0.3)) {
            throw new IllegalArgumentException("head radius must be in (0, 0.3) m, got " + radius);
        }
        left = left.unit();
    }

    /** An average head facing +x, left ear towards +y. */
    public static BinauralHead average() {
        return new BinauralHead(0.0875, new Vec3(0, 1, 0));
    }

    /** Impulse response of the head-shadow filter for an arrival at angle θ from the ear axis (bilinear transform). */
    float[] shadow(double theta, int sampleRate) {
        double alpha = 1.05 + 0.95 * Math.cos(theta * 180 / 150);
        double w0 = ShoeboxRoom.SPEED_OF_SOUND / radius;
        double k = 2.0 * sampleRate;
        double norm = 2 * w0 + k;
        double b0 = (2 * w0 + alpha * k) / norm;
        double b1 = (2 * w0 - alpha * k) / norm;
        double a1 = (2 * w0 - k) / norm;
        float[] h = new float[SHADOW_TAPS];
        h[0] = (float) b0;
        double prev = b1 - a1 * b0;
        h[1] = (float) prev;
        for (int i = 2; i < SHADOW_TAPS; i++) {
            prev = -a1 * prev;
            h[i] = (float) prev;
        }
        return h;
    }
}

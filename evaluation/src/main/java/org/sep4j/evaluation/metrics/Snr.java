package org.sep4j.evaluation.metrics;

/**
 * Signal-to-noise ratio as torchmetrics' {@code signal_noise_ratio} defines it, and as DCASE 2025
 * Task 4 calls "SDR":
 * SNR(ŝ, s) = 10·log10((Σs² + ε) / (Σ(s − ŝ)² + ε)), ε = float32 eps, no scale invariance.
 * With {@code zeroMean} both signals lose their mean first. Sums run in double.
 */
public final class Snr {

    /** torch.finfo(torch.float32).eps, the ε of torchmetrics for float32 inputs. */
    public static final double EPS = 1.1920928955078125e-07;

    private Snr() {
    }

    public static double snr(float[] estimate, float[] reference) {
        return snr(estimate, reference, false);
    }

    public static double snr(float[] estimate, float[] reference, boolean zeroMean) {
        Checks.sameLength(estimate, reference, "SNR");
        double me = zeroMean ? mean(estimate) : 0;
        double mr = zeroMean ? mean(reference) : 0;
        double signal = 0;
        double noise = 0;
        for (int i = 0; i < reference.length; i++) {
            double s = reference[i] - mr;
            double d = s - (estimate[i] - me);
            signal += s * s;
            noise += d * d;
        }
        return 10 * Math.log10((signal + EPS) / (noise + EPS));
    }

    /** SNR of the estimate minus SNR of the unprocessed mixture, against the same reference. */
    public static double improvement(float[] estimate, float[] reference, float[] mixture) {
        Checks.sameLength(mixture, reference, "SNR improvement (mixture)");
        return snr(estimate, reference) - snr(mixture, reference);
    }

    static double mean(float[] x) {
        double m = 0;
        for (float v : x) {
            m += v;
        }
        return m / x.length;
    }
}

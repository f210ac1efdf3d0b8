package org.sep4j.evaluation.metrics;

/**
 * Scale-invariant SDR (Le Roux et al. 2019) as torchmetrics defines it:
 * α = (ŝᵀs + ε)/(‖s‖² + ε), SI-SDR = 10·log10((‖αs‖² + ε)/(‖αs − ŝ‖² + ε)), ε = float32 eps.
 * SI-SNR is SI-SDR after removing the mean of both signals.
 */
public final class SiSdr {

    private SiSdr() {
    }

    public static double siSdr(float[] estimate, float[] reference) {
        return compute(estimate, reference, false);
    }

    public static double siSnr(float[] estimate, float[] reference) {
        return compute(estimate, reference, true);
    }

    /** SI-SDR of the estimate minus SI-SDR of the mixture. */
    public static double siSdrImprovement(float[] estimate, float[] reference, float[] mixture) {
        Checks.sameLength(mixture, reference, "SI-SDR improvement (mixture)");
        return siSdr(estimate, reference) - siSdr(mixture, reference);
    }

    static double compute(float[] estimate, float[] reference, boolean zeroMean) {
        Checks.sameLength(estimate, reference, zeroMean ? "SI-SNR" : "SI-SDR");
        double me = zeroMean ? Snr.mean(estimate) : 0;
        double mr = zeroMean ? Snr.mean(reference) : 0;
        double dot = 0;
        double energy = 0;
        for (int i = 0; i < reference.length; i++) {
            double s = reference[i] - mr;
            dot += (estimate[i] - me) * s;
            energy += s * s;
        }
        double alpha = (dot + Snr.EPS) / (energy + Snr.EPS);
        double target = 0;
        double noise = 0;
        for (int i = 0; i < reference.length; i++) {
            double t = alpha * (reference[i] - mr);
            double n = t - (estimate[i] - me);
            target += t * t;
            noise += n * n;
        }
        return 10 * Math.log10((target + Snr.EPS) / (noise + Snr.EPS));
    }
}

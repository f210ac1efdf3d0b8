package org.sep4j.training.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Loss functions on signals {@code [N, samples]} (flatten batch and slots first), averaged over
 * the N signals. Masked forms weight each signal by {@code mask [N]} (1 for real targets, 0 for
 * silent slots) and divide by the mask's sum. (Reductions use axis 1 explicitly: ND4J M2.1
 * mishandles negative axes beyond rank 2.)
 */
public final class Losses {

    /** torch.finfo(torch.float32).eps, as the SNR metric uses. */
    public static final double EPS = 1.1920928955078125e-07;

    private Losses() {
    }

    /** Per-signal SNR, dB: 10·log10((Σs² + ε)/(Σ(s − ŝ)² + ε)) over the last axis. */
    public static SDVariable snr(SameDiff sd, SDVariable estimate, SDVariable reference) {
        int last = 1; // time
        SDVariable signal = reference.mul(reference).sum(last).add(EPS);
        SDVariable diff = reference.sub(estimate);
        SDVariable noise = diff.mul(diff).sum(last).add(EPS);
        return sd.math().log(signal.div(noise)).mul(10 / Math.log(10));
    }

    /** Per-signal SI-SDR, dB (α = (ŝᵀs + ε)/(‖s‖² + ε)). */
    public static SDVariable siSdr(SameDiff sd, SDVariable estimate, SDVariable reference) {
        int last = 1; // time
        SDVariable dot = estimate.mul(reference).sum(true, last).add(EPS);
        SDVariable energy = reference.mul(reference).sum(true, last).add(EPS);
        SDVariable target = reference.mul(dot.div(energy));
        SDVariable noise = target.sub(estimate);
        SDVariable num = target.mul(target).sum(last).add(EPS);
        SDVariable den = noise.mul(noise).sum(last).add(EPS);
        return sd.math().log(num.div(den)).mul(10 / Math.log(10));
    }

    /** −mean SNR. */
    public static SDVariable negSnr(SameDiff sd, SDVariable estimate, SDVariable reference) {
        return snr(sd, estimate, reference).mean().neg();
    }

    /** −SNR averaged over the signals the mask keeps (mask has the estimate's shape minus the last axis). */
    public static SDVariable negSnr(SameDiff sd, SDVariable estimate, SDVariable reference, SDVariable mask) {
        return snr(sd, estimate, reference).mul(mask).sum().div(mask.sum().add(1e-8)).neg();
    }

    public static SDVariable negSiSdr(SameDiff sd, SDVariable estimate, SDVariable reference) {
        return siSdr(sd, estimate, reference).mean().neg();
    }

    public static SDVariable negSiSdr(SameDiff sd, SDVariable estimate, SDVariable reference, SDVariable mask) {
        return siSdr(sd, estimate, reference).mul(mask).sum().div(mask.sum().add(1e-8)).neg();
    }

    public static SDVariable l1(SameDiff sd, SDVariable estimate, SDVariable reference) {
        return sd.math().abs(estimate.sub(reference)).mean();
    }

    public static SDVariable mse(SameDiff sd, SDVariable estimate, SDVariable reference) {
        SDVariable d = estimate.sub(reference);
        return d.mul(d).mean();
    }

    /** Mean binary cross-entropy with logits, numerically stable: max(x, 0) − x·y + log(1 + e^(−|x|)). */
    public static SDVariable bceWithLogits(SameDiff sd, SDVariable logits, SDVariable targets) {
        SDVariable pos = sd.nn().relu(logits, 0);
        SDVariable soft = sd.math().log(sd.math().exp(sd.math().abs(logits).neg()).add(1.0));
        return pos.sub(logits.mul(targets)).add(soft).mean();
    }

    /** Mean binary cross-entropy of probabilities (e.g. attention-pooled clip probabilities), clamped by 1e-7. */
    public static SDVariable bce(SameDiff sd, SDVariable probabilities, SDVariable targets) {
        SDVariable p = sd.math().clipByValue(probabilities, 1e-7, 1 - 1e-7);
        SDVariable pos = targets.mul(sd.math().log(p));
        SDVariable neg = targets.rsub(1.0).mul(sd.math().log(p.rsub(1.0)));
        return pos.add(neg).mean().neg();
    }

    /**
     * InfoNCE (CLIP's contrastive cross-entropy) of {@code [b, b]} logits whose diagonal holds the
     * positive pairs: mean over rows of logsumexp(row) − row_ii.
     */
    public static SDVariable infoNce(SameDiff sd, SDVariable logits, int b) {
        SDVariable m = logits.max(true, 1);
        SDVariable lse = sd.math().log(sd.math().exp(logits.sub(m)).sum(true, 1)).add(m);
        SDVariable diag = logits.mul(sd.constant(org.nd4j.linalg.factory.Nd4j.eye(b).castTo(logits.dataType()))).sum(true, 1);
        return lse.sub(diag).mean();
    }
}

package org.sep4j.evaluation.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * BSS Eval v3, as mir_eval 0.7 computes it ({@code bss_eval_sources}, {@code bss_eval_images}):
 * each estimate is decomposed by least-squares projections onto the references delayed by 0..511
 * samples (512-tap distortion filters).
 *
 * <ul>
 *   <li>Sources: SDR = ‖P_j ŝ‖²/‖ŝ − P_j ŝ‖², SIR = ‖P_j ŝ‖²/‖P_all ŝ − P_j ŝ‖²,
 *       SAR = ‖P_all ŝ‖²/‖ŝ − P_all ŝ‖² (P_j: source j only, P_all: every source).</li>
 *   <li>Images (multichannel): SDR = ‖s‖²/‖ŝ − s‖² (plain SNR over channels), ISR =
 *       ‖s‖²/‖P_j ŝ − s‖², SIR and SAR as above with multichannel filters.</li>
 *   <li>With {@code computePermutation}, every estimate is scored against every reference and the
 *       assignment with the highest mean SIR wins (first in lexicographic order on ties).</li>
 * </ul>
 * The projections are solved from correlations with a block Levinson recursion (see
 * {@link Projection}) rather than dense Gram matrices: same numbers, a small fraction of the time.
 * Silent references or estimates are errors, as in mir_eval.
 */
public final class BssEval {

    /** mir_eval's distortion filter length. */
    public static final int FILTER_LENGTH = 512;

    /** Scores per reference source; {@code permutation[j]} is the estimate matched to reference j. */
    public record Sources(double[] sdr, double[] sir, double[] sar, int[] permutation) {
    }

    /** Image scores per reference source; {@code permutation[j]} is the estimate matched to reference j. */
    public record Images(double[] sdr, double[] isr, double[] sir, double[] sar, int[] permutation) {
    }

    private BssEval() {
    }

    /**
     * @param references {@code [source][sample]}
     * @param estimates  {@code [source][sample]}, same shape
     */
    public static Sources sources(float[][] references, float[][] estimates, boolean computePermutation) {
        validate(references, estimates);
        int nsrc = references.length;
        Projection proj = new Projection(references[0].length, FILTER_LENGTH);
        double[][] refSpec = proj.spectra(references);
        double[][] estSpec = proj.spectra(estimates);
        double[] estEnergy = new double[nsrc];
        for (int j = 0; j < nsrc; j++) {
            estEnergy[j] = energy(estimates[j]);
        }
        Projection.Correlations corr = proj.correlations(refSpec, estSpec);
        // single[j][e]: energy of estimate e projected on reference j; single[nsrc]: on all references
        double[][] single = new double[nsrc + 1][];
        java.util.stream.IntStream.rangeClosed(0, nsrc).parallel().forEach(j ->
                single[j] = proj.energies(corr, j < nsrc ? new int[] {j} : Projection.range(0, nsrc)));
        double[] all = single[nsrc];
        double[][] sdr = new double[nsrc][nsrc];
        double[][] sir = new double[nsrc][nsrc];
        double[][] sar = new double[nsrc][nsrc];
        for (int e = 0; e < nsrc; e++) {
            for (int j = 0; j < nsrc; j++) {
                if (!computePermutation && e != j) {
                    continue;
                }
                double pj = single[j][e];
                sdr[e][j] = db(pj, estEnergy[e] - pj);
                sir[e][j] = db(pj, all[e] - pj);
                sar[e][j] = db(all[e], estEnergy[e] - all[e]);
            }
        }
        int[] perm = computePermutation ? bestPermutation(sir) : identity(nsrc);
        return new Sources(pick(sdr, perm), pick(sir, perm), pick(sar, perm), perm);
    }

    /**
     * @param references {@code [source][channel][sample]}
     * @param estimates  {@code [source][channel][sample]}, same shape
     */
    public static Images images(float[][][] references, float[][][] estimates, boolean computePermutation) {
        int nsrc = references.length;
        if (estimates.length != nsrc) {
            throw new IllegalArgumentException("BSS Eval images: " + estimates.length + " estimated sources but "
                    + nsrc + " references");
        }
        int nchan = references[0].length;
        for (int j = 0; j < nsrc; j++) {
            if (references[j].length != nchan || estimates[j].length != nchan) {
                throw new IllegalArgumentException("BSS Eval images: source " + j + " has " + references[j].length
                        + " reference and " + estimates[j].length + " estimated channels, expected " + nchan);
            }
            validate(references[j], estimates[j]);
            checkNotSilent(references[j], "reference", j);
            checkNotSilent(estimates[j], "estimated", j);
        }
        int length = references[0][0].length;
        for (int j = 0; j < nsrc; j++) {
            if (references[j][0].length != length) {
                throw new IllegalArgumentException("BSS Eval images: source " + j + " has " + references[j][0].length
                        + " samples, source 0 has " + length);
            }
        }
        Projection proj = new Projection(length, FILTER_LENGTH);
        double[][] basis = proj.spectra(Projection.flatten(references));
        double[][] targets = proj.spectra(Projection.flatten(estimates));
        Projection.Correlations corr = proj.correlations(basis, targets);
        double[][] single = new double[nsrc + 1][];
        java.util.stream.IntStream.rangeClosed(0, nsrc).parallel().forEach(j -> single[j] = proj.energies(corr,
                j < nsrc ? Projection.range(j * nchan, (j + 1) * nchan) : Projection.range(0, nsrc * nchan)));
        double[] all = single[nsrc];
        double[][] sdr = new double[nsrc][nsrc];
        double[][] isr = new double[nsrc][nsrc];
        double[][] sir = new double[nsrc][nsrc];
        double[][] sar = new double[nsrc][nsrc];
        for (int e = 0; e < nsrc; e++) {
            for (int j = 0; j < nsrc; j++) {
                if (!computePermutation && e != j) {
                    continue;
                }
                double trueEnergy = 0;
                double errEnergy = 0;
                double spatEnergy = 0;
                double projJ = 0;
                double projAll = 0;
                double estEnergy = 0;
                for (int c = 0; c < nchan; c++) {
                    float[] s = references[j][c];
                    float[] est = estimates[e][c];
                    double ss = 0;
                    double se = 0;
                    double ee = 0;
                    double err = 0;
                    for (int t = 0; t < length; t++) {
                        ss += (double) s[t] * s[t];
                        se += (double) s[t] * est[t];
                        ee += (double) est[t] * est[t];
                        double d = (double) est[t] - s[t];
                        err += d * d;
                    }
                    double pj = single[j][e * nchan + c];
                    trueEnergy += ss;
                    errEnergy += err;
                    // ‖P_j ŝ − s‖² = ‖P_j ŝ‖² − 2⟨ŝ, s⟩ + ‖s‖², since s lies in the span P_j projects on
                    spatEnergy += pj - 2 * se + ss;
                    projJ += pj;
                    projAll += all[e * nchan + c];
                    estEnergy += ee;
                }
                sdr[e][j] = db(trueEnergy, errEnergy);
                isr[e][j] = db(trueEnergy, spatEnergy);
                sir[e][j] = db(projJ, projAll - projJ);
                sar[e][j] = db(projAll, estEnergy - projAll);
            }
        }
        int[] perm = computePermutation ? bestPermutation(sir) : identity(nsrc);
        return new Images(pick(sdr, perm), pick(isr, perm), pick(sir, perm), pick(sar, perm), perm);
    }

    /** 10·log10(num/den); +∞ when the denominator vanishes (mir_eval's _safe_db). */
    static double db(double num, double den) {
        if (den <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return 10 * Math.log10(num / den);
    }

    private static double energy(float[] x) {
        double s = 0;
        for (float v : x) {
            s += (double) v * v;
        }
        return s;
    }

    private static void validate(float[][] references, float[][] estimates) {
        Checks.sameShape(estimates, references, "BSS Eval", "sources");
        if (references.length == 0) {
            throw new IllegalArgumentException("BSS Eval: no sources");
        }
        int length = references[0].length;
        for (int j = 0; j < references.length; j++) {
            if (references[j].length != length) {
                throw new IllegalArgumentException("BSS Eval: source " + j + " has " + references[j].length
                        + " samples, source 0 has " + length);
            }
        }
        checkNotSilent(references, "reference", -1);
        checkNotSilent(estimates, "estimated", -1);
    }

    private static void checkNotSilent(float[][] signals, String what, int source) {
        if (source >= 0) {
            for (float[] ch : signals) {
                for (float v : ch) {
                    if (v != 0f) {
                        return;
                    }
                }
            }
            throw new IllegalArgumentException("BSS Eval: " + what + " source " + source
                    + " is silent (all zeros); BSS Eval is undefined for silent sources");
        }
        for (int j = 0; j < signals.length; j++) {
            boolean silent = true;
            for (float v : signals[j]) {
                if (v != 0f) {
                    silent = false;
                    break;
                }
            }
            if (silent) {
                throw new IllegalArgumentException("BSS Eval: " + what + " source " + j
                        + " is silent (all zeros); BSS Eval is undefined for silent sources");
            }
        }
    }

    /** perm[j] = estimate for reference j, maximising mean SIR; ties keep the first in lexicographic order. */
    static int[] bestPermutation(double[][] sir) {
        int n = sir.length;
        List<int[]> perms = new ArrayList<>();
        permutations(new int[n], new boolean[n], 0, perms);
        int[] best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int[] perm : perms) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += sir[perm[j]][j];
            }
            if (best == null || s > bestScore) {
                best = perm;
                bestScore = s;
            }
        }
        return best;
    }

    private static void permutations(int[] cur, boolean[] used, int depth, List<int[]> out) {
        if (depth == cur.length) {
            out.add(cur.clone());
            return;
        }
        for (int i = 0; i < cur.length; i++) {
            if (!used[i]) {
                used[i] = true;
                cur[depth] = i;
                permutations(cur, used, depth + 1, out);
                used[i] = false;
            }
        }
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    private static double[] pick(double[][] m, int[] perm) {
        double[] out = new double[perm.length];
        for (int j = 0; j < perm.length; j++) {
            out[j] = m[perm[j]][j];
        }
        return out;
    }
}

package org.sep4j.evaluation.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Class-aware SDR improvement, the DCASE 2025 Task 4 (S5) ranking metric.
 *
 * <p>Per mixture, with reference labels C and estimated labels Ĉ ({@value #SILENCE} removed from
 * both): TP = C ∩ Ĉ, FP = Ĉ \ C, FN = C \ Ĉ; for k in TP, SDRi_k = SNR(ŝ_k, s_k) − SNR(y₀, s_k)
 * with y₀ the mixture's reference channel (channel 0) and SNR as in {@link Snr};
 * CA-SDRi = Σ_{k∈TP} SDRi_k / (|TP| + |FP| + |FN|). FP and FN contribute zero to the sum but count
 * in the denominator. The reported score is the mean over mixtures.
 */
public final class CaSdri {

    /** The label of an unused output slot. */
    public static final String SILENCE = "silence";

    /**
     * One mixture's score.
     *
     * @param value          CA-SDRi of the mixture, dB
     * @param truePositives  labels in both sets, sorted
     * @param falsePositives estimated but not in the reference, sorted
     * @param falseNegatives in the reference but not estimated, sorted
     * @param sdri           SDRi per true-positive label
     */
    public record Mixture(double value, List<String> truePositives, List<String> falsePositives,
            List<String> falseNegatives, Map<String, Double> sdri) {

        /** Whether the estimated label set equals the reference set exactly. */
        public boolean labelsCorrect() {
            return falsePositives.isEmpty() && falseNegatives.isEmpty();
        }
    }

    private CaSdri() {
    }

    /**
     * Scores one mixture.
     *
     * @param references label → reference waveform (the dry target at the reference channel)
     * @param estimates  label → estimated waveform
     * @param mixture    the mixture's reference channel
     */
    public static Mixture mixture(Map<String, float[]> references, Map<String, float[]> estimates, float[] mixture) {
        Map<String, float[]> ref = withoutSilence(references);
        Map<String, float[]> est = withoutSilence(estimates);
        if (ref.isEmpty()) {
            throw new IllegalArgumentException("CA-SDRi: the mixture has no reference target (only '" + SILENCE
                    + "'); every S5 mixture holds 1 to 3 targets");
        }
        List<String> tp = new ArrayList<>();
        List<String> fp = new ArrayList<>();
        List<String> fn = new ArrayList<>();
        for (String k : new TreeSet<>(est.keySet())) {
            (ref.containsKey(k) ? tp : fp).add(k);
        }
        for (String k : new TreeSet<>(ref.keySet())) {
            if (!est.containsKey(k)) {
                fn.add(k);
            }
        }
        Map<String, Double> sdri = new LinkedHashMap<>();
        double sum = 0;
        for (String k : tp) {
            float[] s = ref.get(k);
            float[] e = est.get(k);
            if (e.length != s.length) {
                throw new IllegalArgumentException("CA-SDRi: estimate '" + k + "' has " + e.length
                        + " samples but its reference has " + s.length);
            }
            if (mixture.length != s.length) {
                throw new IllegalArgumentException("CA-SDRi: the mixture has " + mixture.length
                        + " samples but reference '" + k + "' has " + s.length);
            }
            double v = Snr.improvement(e, s, mixture);
            sdri.put(k, v);
            sum += v;
        }
        double value = sum / (tp.size() + fp.size() + fn.size());
        return new Mixture(value, List.copyOf(tp), List.copyOf(fp), List.copyOf(fn), sdri);
    }

    /** The mean over mixtures (the reported CA-SDRi). */
    public static double mean(Collection<Mixture> mixtures) {
        if (mixtures.isEmpty()) {
            throw new IllegalArgumentException("CA-SDRi of no mixtures");
        }
        double s = 0;
        for (Mixture m : mixtures) {
            s += m.value();
        }
        return s / mixtures.size();
    }

    /** Label accuracy: the fraction of mixtures whose estimated label set is exactly right. */
    public static double labelAccuracy(Collection<Mixture> mixtures) {
        if (mixtures.isEmpty()) {
            throw new IllegalArgumentException("label accuracy of no mixtures");
        }
        long ok = mixtures.stream().filter(Mixture::labelsCorrect).count();
        return (double) ok / mixtures.size();
    }

    private static Map<String, float[]> withoutSilence(Map<String, float[]> m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (!SILENCE.equals(k)) {
                out.put(k, v);
            }
        });
        return out;
    }
}

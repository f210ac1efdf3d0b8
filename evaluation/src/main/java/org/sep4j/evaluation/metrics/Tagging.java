package org.sep4j.evaluation.metrics;

/**
 * Tagging metrics with scikit-learn's definitions: average precision (step-wise, one point per
 * distinct score), ROC AUC and the McClish-standardised partial AUC up to a maximum false
 * positive rate, F1 at a threshold; macro averages over classes, and the segment-based partial
 * AUROC the DCASE 2025 Task 4 2nd-place system reports for its SED model.
 *
 * <p>Inputs: {@code truth[item][class]} in {0, 1} and {@code scores[item][class]}. A class without
 * positives (or, for AUC, without negatives) has no score: NaN, left out of macro averages.
 */
public final class Tagging {

    private Tagging() {
    }

    /** Average precision of one class: Σ_n (R_n − R_{n−1})·P_n over distinct thresholds, high to low. */
    public static double averagePrecision(float[] truth, float[] scores) {
        Checks.sameLength(scores, truth, "average precision");
        int[] order = descending(scores);
        double positives = positives(truth);
        if (positives == 0) {
            return Double.NaN;
        }
        double ap = 0;
        double tp = 0;
        double fp = 0;
        double prevRecall = 0;
        for (int i = 0; i < order.length; i++) {
            int k = order[i];
            if (truth[k] > 0.5f) {
                tp++;
            } else {
                fp++;
            }
            boolean lastOfTie = i + 1 == order.length || scores[order[i + 1]] != scores[k];
            if (lastOfTie) {
                double recall = tp / positives;
                ap += (recall - prevRecall) * (tp / (tp + fp));
                prevRecall = recall;
            }
        }
        return ap;
    }

    /** ROC AUC of one class (trapezoids over distinct thresholds). */
    public static double rocAuc(float[] truth, float[] scores) {
        return partialRocAuc(truth, scores, 1.0);
    }

    /**
     * Partial ROC AUC up to {@code maxFpr}, standardised (McClish) as scikit-learn's
     * {@code roc_auc_score(max_fpr=...)}: 0.5 for chance, 1 for perfect; plain AUC when maxFpr = 1.
     */
    public static double partialRocAuc(float[] truth, float[] scores, double maxFpr) {
        Checks.sameLength(scores, truth, "ROC AUC");
        if (!(maxFpr > 0 && maxFpr <= 1)) {
            throw new IllegalArgumentException("max_fpr must be in (0, 1], got " + maxFpr);
        }
        int[] order = descending(scores);
        double pos = positives(truth);
        double neg = truth.length - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        double area = 0;
        double prevFpr = 0;
        double prevTpr = 0;
        double tp = 0;
        double fp = 0;
        for (int i = 0; i < order.length; i++) {
            int k = order[i];
            if (truth[k] > 0.5f) {
                tp++;
            } else {
                fp++;
            }
            boolean lastOfTie = i + 1 == order.length || scores[order[i + 1]] != scores[k];
            if (!lastOfTie) {
                continue;
            }
            double fpr = fp / neg;
            double tpr = tp / pos;
            if (fpr > maxFpr) {
                // interpolate the curve at maxFpr and stop
                double t = (maxFpr - prevFpr) / (fpr - prevFpr);
                double tprAt = prevTpr + t * (tpr - prevTpr);
                area += (maxFpr - prevFpr) * (prevTpr + tprAt) / 2;
                prevFpr = maxFpr;
                break;
            }
            area += (fpr - prevFpr) * (prevTpr + tpr) / 2;
            prevFpr = fpr;
            prevTpr = tpr;
        }
        if (maxFpr == 1.0) {
            return area;
        }
        double minArea = 0.5 * maxFpr * maxFpr;
        return 0.5 * (1 + (area - minArea) / (maxFpr - minArea));
    }

    /** Macro mean of average precision over classes with positives (mAP). */
    public static double meanAveragePrecision(float[][] truth, float[][] scores) {
        return nanMean(perClass(truth, scores, Double.NaN, true));
    }

    /** Per-class average precision (NaN for classes without positives). */
    public static double[] averagePrecisionPerClass(float[][] truth, float[][] scores) {
        return perClass(truth, scores, Double.NaN, true);
    }

    /** Macro mean of partial ROC AUC over classes with both positives and negatives. */
    public static double macroPartialRocAuc(float[][] truth, float[][] scores, double maxFpr) {
        return nanMean(perClass(truth, scores, maxFpr, false));
    }

    /**
     * Macro F1 at a threshold (score ≥ threshold is a positive); classes with neither true nor
     * predicted positives are left out.
     */
    public static double macroF1(float[][] truth, float[][] scores, double threshold) {
        int classes = truth[0].length;
        double[] f1 = new double[classes];
        for (int c = 0; c < classes; c++) {
            double tp = 0;
            double fp = 0;
            double fn = 0;
            for (int i = 0; i < truth.length; i++) {
                boolean y = truth[i][c] > 0.5f;
                boolean p = scores[i][c] >= threshold;
                tp += y && p ? 1 : 0;
                fp += !y && p ? 1 : 0;
                fn += y && !p ? 1 : 0;
            }
            f1[c] = tp + fp + fn == 0 ? Double.NaN : 2 * tp / (2 * tp + fp + fn);
        }
        return nanMean(f1);
    }

    /**
     * Segment-based partial AUROC of strong (frame-level) predictions: frames are max-pooled into
     * segments of {@code framesPerSegment} (1 s = 25 frames at 40 ms), a segment is positive when
     * any of its frames is, and the macro partial AUROC runs over all segments of all clips.
     *
     * @param truth  {@code [clip][frame][class]} in {0, 1}
     * @param scores {@code [clip][frame][class]}
     */
    public static double segmentPartialRocAuc(float[][][] truth, float[][][] scores, int framesPerSegment,
            double maxFpr) {
        if (truth.length != scores.length) {
            throw new IllegalArgumentException("segment AUROC: " + scores.length + " predicted clips for "
                    + truth.length + " labelled clips");
        }
        java.util.List<float[]> segTruth = new java.util.ArrayList<>();
        java.util.List<float[]> segScore = new java.util.ArrayList<>();
        for (int clip = 0; clip < truth.length; clip++) {
            if (truth[clip].length != scores[clip].length) {
                throw new IllegalArgumentException("segment AUROC: clip " + clip + " has " + scores[clip].length
                        + " predicted frames but " + truth[clip].length + " labelled frames");
            }
            int frames = truth[clip].length;
            int classes = truth[clip][0].length;
            for (int start = 0; start < frames; start += framesPerSegment) {
                float[] yt = new float[classes];
                float[] ys = new float[classes];
                java.util.Arrays.fill(ys, Float.NEGATIVE_INFINITY);
                for (int f = start; f < Math.min(frames, start + framesPerSegment); f++) {
                    for (int c = 0; c < classes; c++) {
                        yt[c] = Math.max(yt[c], truth[clip][f][c]);
                        ys[c] = Math.max(ys[c], scores[clip][f][c]);
                    }
                }
                segTruth.add(yt);
                segScore.add(ys);
            }
        }
        return macroPartialRocAuc(segTruth.toArray(new float[0][]), segScore.toArray(new float[0][]), maxFpr);
    }

    private static double[] perClass(float[][] truth, float[][] scores, double maxFpr, boolean ap) {
        if (truth.length != scores.length || truth.length == 0) {
            throw new IllegalArgumentException("tagging metrics: " + scores.length + " scored items for "
                    + truth.length + " labelled items");
        }
        int classes = truth[0].length;
        double[] out = new double[classes];
        float[] y = new float[truth.length];
        float[] s = new float[truth.length];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < truth.length; i++) {
                if (truth[i].length != classes || scores[i].length != classes) {
                    throw new IllegalArgumentException("tagging metrics: item " + i + " has " + scores[i].length
                            + " scores and " + truth[i].length + " labels, expected " + classes);
                }
                y[i] = truth[i][c];
                s[i] = scores[i][c];
            }
            out[c] = ap ? averagePrecision(y, s) : partialRocAuc(y, s, maxFpr);
        }
        return out;
    }

    static double nanMean(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                s += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    private static double positives(float[] truth) {
        double p = 0;
        for (float y : truth) {
            p += y > 0.5f ? 1 : 0;
        }
        return p;
    }

    /** Indices sorted by descending score (stable). */
    private static int[] descending(float[] scores) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Float.compare(scores[b], scores[a]));
        int[] out = new int[idx.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}

package org.sep4j.evaluation.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns clip-level class probabilities into the label set a separator is queried with (DCASE 2025
 * Task 4): every class with probability above the threshold; if none, the single most probable
 * class; at most {@code maxLabels}, most probable first.
 */
public final class LabelDecoder {

    /** The thresholds the 2nd-place system reports label accuracy at. */
    public static final double[] REPORT_THRESHOLDS = {0.1, 0.3, 0.5, 0.7, 0.9};

    private final List<String> classes;
    private final double threshold;
    private final int maxLabels;

    public LabelDecoder(List<String> classes, double threshold, int maxLabels) {
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("label decoder needs at least one class");
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("label threshold must be in [0, 1], got " + threshold);
        }
        if (maxLabels < 1) {
            throw new IllegalArgumentException("max labels must be at least 1, got " + maxLabels);
        }
        this.classes = List.copyOf(classes);
        this.threshold = threshold;
        this.maxLabels = maxLabels;
    }

    /** The task's rule: threshold 0.5, at most 3 labels. */
    public static LabelDecoder dcase(List<String> classes) {
        return new LabelDecoder(classes, 0.5, 3);
    }

    /** Labels for one clip, most probable first. */
    public List<String> decode(float[] probabilities) {
        if (probabilities.length != classes.size()) {
            throw new IllegalArgumentException("label decoder: " + probabilities.length + " probabilities for "
                    + classes.size() + " classes");
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) {
            order.add(i);
        }
        // stable: equal probabilities keep class order
        order.sort(Comparator.comparingDouble((Integer i) -> probabilities[i]).reversed());
        List<String> out = new ArrayList<>();
        for (int i : order) {
            if (probabilities[i] > threshold && out.size() < maxLabels) {
                out.add(classes.get(i));
            }
        }
        if (out.isEmpty()) {
            out.add(classes.get(order.get(0)));
        }
        return out;
    }

    /**
     * Label accuracy at this decoder's threshold: the fraction of clips whose decoded set equals
     * the true set.
     */
    public double accuracy(List<float[]> probabilities, List<Set<String>> truth) {
        if (probabilities.size() != truth.size()) {
            throw new IllegalArgumentException("label accuracy: " + probabilities.size() + " predictions for "
                    + truth.size() + " label sets");
        }
        if (truth.isEmpty()) {
            throw new IllegalArgumentException("label accuracy of no clips");
        }
        int ok = 0;
        for (int i = 0; i < truth.size(); i++) {
            if (new HashSet<>(decode(probabilities.get(i))).equals(truth.get(i))) {
                ok++;
            }
        }
        return (double) ok / truth.size();
    }

    /** Accuracy at each of the given thresholds (same classes and label cap). */
    public double[] accuracyAt(double[] thresholds, List<float[]> probabilities, List<Set<String>> truth) {
        double[] out = new double[thresholds.length];
        for (int i = 0; i < thresholds.length; i++) {
            out[i] = new LabelDecoder(classes, thresholds[i], maxLabels).accuracy(probabilities, truth);
        }
        return out;
    }
}

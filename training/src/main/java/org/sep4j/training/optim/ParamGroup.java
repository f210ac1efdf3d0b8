package org.sep4j.training.optim;

import java.util.function.Predicate;

/**
 * Parameters selected by name, with their own learning-rate factor and weight decay.
 *
 * @param name        for logs
 * @param selects     which parameter names belong to the group (first matching group wins)
 * @param lrScale     multiplies the scheduled learning rate (e.g. 0.2 for pretrained weights)
 * @param weightDecay this group's weight decay (0 for norms and biases)
 */
public record ParamGroup(String name, Predicate<String> selects, double lrScale, double weightDecay) {

    /** Everything, at the base learning rate. */
    public static ParamGroup all(double weightDecay) {
        return new ParamGroup("all", n -> true, 1.0, weightDecay);
    }

    /** Names starting with a prefix. */
    public static ParamGroup prefix(String prefix, double lrScale, double weightDecay) {
        return new ParamGroup(prefix, n -> n.startsWith(prefix), lrScale, weightDecay);
    }

    /** The usual exclusion: biases and normalisation weights get no weight decay. */
    public static ParamGroup noDecay(double lrScale) {
        return new ParamGroup("no-decay", n -> n.endsWith(".bias") || n.contains("norm") || n.contains(".bn"),
                lrScale, 0.0);
    }
}

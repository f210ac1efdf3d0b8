package org.sep4j.evaluation.metrics;

/** Shape checks shared by the metrics, with messages that say which operand has what. */
final class Checks {

    private Checks() {
    }

    static void sameLength(float[] estimate, float[] reference, String metric) {
        if (estimate.length != reference.length) {
            throw new IllegalArgumentException(metric + ": estimate has " + estimate.length
                    + " samples but reference has " + reference.length);
        }
        if (reference.length == 0) {
            throw new IllegalArgumentException(metric + ": empty signals");
        }
    }

    static void sameShape(float[][] estimates, float[][] references, String metric, String rows) {
        if (estimates.length != references.length) {
            throw new IllegalArgumentException(metric + ": " + estimates.length + " estimated " + rows + " but "
                    + references.length + " reference " + rows);
        }
        for (int i = 0; i < estimates.length; i++) {
            if (estimates[i].length != references[i].length) {
                throw new IllegalArgumentException(metric + ": estimated " + rows + " " + i + " has "
                        + estimates[i].length + " samples but the reference has " + references[i].length);
            }
        }
    }
}

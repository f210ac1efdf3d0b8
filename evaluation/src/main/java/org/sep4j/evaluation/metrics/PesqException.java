package org.sep4j.evaluation.metrics;

/** Why PESQ could not score a pair; {@link #reason()} is the typed cause, the message says what was found. */
public final class PesqException extends IllegalArgumentException {

    /** The causes the P.862 reference reports, plus the input checks in front of it. */
    public enum Reason {
        /** Only 8000 and 16000 Hz are defined (wideband: 16000 Hz only). */
        INVALID_RATE,
        /** A signal is shorter than 1/4 s. */
        TOO_SHORT,
        /** The VAD found no utterance in the reference (a reference of exactly zero power has none). */
        NO_UTTERANCES,
        /** The degraded signal is all zeros: its level cannot be aligned. */
        SILENT_DEGRADED,
        /** A sample is NaN or infinite. */
        NOT_FINITE;

        /** The short code written to items.csv. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    PesqException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

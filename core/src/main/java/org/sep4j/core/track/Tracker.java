package org.sep4j.core.track;

import java.nio.file.Path;
import java.util.Map;

/**
 * Receives what a run produces. Implementations must not throw for remote or I/O trouble during
 * {@link #log}: a run is never stopped by its tracker (local files are the exception at start, where
 * an unwritable run folder should fail fast).
 */
public interface Tracker extends AutoCloseable {

    /** How a run ended. */
    enum Status {
        FINISHED(0), FAILED(1), KILLED(130);

        private final int exitCode;

        Status(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    void start(RunInfo run, Map<String, Object> config);

    /** Scalar metrics at a step (e.g. train/loss, val/sdr). */
    void log(long step, Map<String, Double> metrics);

    /** Final or best values of the run (merged into earlier summaries). */
    void summary(Map<String, Object> values);

    /** A file produced by the run (audio example, table, plot), stored under {@code name}. */
    void file(String name, Path file);

    void finish(Status status);

    @Override
    default void close() {
    }
}

package org.sep4j.training.experiment;

import java.nio.file.Path;
import org.sep4j.core.config.Doc;

/**
 * The {@code run:} block.
 *
 * @param root where run folders live
 * @param name the run folder's name; null for the start time
 */
public record RunSettings(@Doc("where run folders live") Path root,
        @Doc("run folder name; null = start time (yyyy-MM-dd_HH-mm-ss)") String name) {

    public RunSettings {
        if (root == null) {
            throw new IllegalArgumentException("run.root must be set");
        }
        if (name != null && (name.isBlank() || name.contains("/") || name.contains(".."))) {
            throw new IllegalArgumentException("run.name must be a plain folder name, got '" + name + "'");
        }
    }

    public static RunSettings defaults() {
        return new RunSettings(Path.of("outputs"), null);
    }
}

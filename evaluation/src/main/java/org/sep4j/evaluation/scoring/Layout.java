package org.sep4j.evaluation.scoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.sep4j.core.audio.AudioFiles;

/** How reference and estimate files pair up. */
public enum Layout {
    /** {@code <soundscape>_<Label>.wav}: one file per class, matched by label, scored with CA-SDRi. */
    DCASE,
    /** The same relative file names in both folders, one reference per estimate. */
    PAIRED;

    /** The 18 DCASE 2025 Task 4 target classes. */
    public static final List<String> DCASE_CLASSES = List.of("AlarmClock", "BicycleBell", "Blender", "Buzzer",
            "Clapping", "Cough", "CupboardOpenClose", "Dishes", "Doorbell", "FootSteps", "HairDryer", "MechanicalFans",
            "MusicalKeyboard", "Percussion", "Pour", "Speech", "Typing", "VacuumCleaner");

    public static Layout parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "dcase" -> DCASE;
            case "paired" -> PAIRED;
            default -> throw new IllegalArgumentException("unknown layout '" + s + "' (expected auto, dcase or paired)");
        };
    }

    /**
     * DCASE when a mixture folder is given or every reference file ends in {@code _<Class>.wav}
     * with a DCASE class or {@code silence}; PAIRED otherwise.
     */
    public static Layout detect(Path references, boolean haveMixtures) throws IOException {
        if (haveMixtures) {
            return DCASE;
        }
        List<Path> wavs = Wavs.list(references);
        if (wavs.isEmpty()) {
            return PAIRED;
        }
        for (Path p : wavs) {
            String label = DcaseName.parse(p.getFileName().toString()).label();
            if (label == null || !(DCASE_CLASSES.contains(label) || "silence".equals(label))) {
                return PAIRED;
            }
        }
        return DCASE;
    }

    /** Sorted WAV files under a folder (recursively), as relative paths. */
    static final class Wavs {
        private Wavs() {
        }

        static List<Path> list(Path dir) throws IOException {
            if (!Files.isDirectory(dir)) {
                throw new IOException(dir + ": not a folder");
            }
            return AudioFiles.list(dir, true).stream().map(dir::relativize).toList(); // sorted: same prefix
        }
    }

    /** {@code <soundscape>_<Label>.wav} (or {@code .flac}) split at the last underscore. */
    record DcaseName(String soundscape, String label) {
        static DcaseName parse(String fileName) {
            int dot = fileName.lastIndexOf('.');
            String stem = dot > 0 ? fileName.substring(0, dot) : fileName;
            int us = stem.lastIndexOf('_');
            if (us <= 0 || us == stem.length() - 1) {
                return new DcaseName(stem, null);
            }
            return new DcaseName(stem.substring(0, us), stem.substring(us + 1));
        }
    }
}

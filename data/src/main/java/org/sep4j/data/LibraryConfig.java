package org.sep4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.sep4j.core.config.Doc;
import org.sep4j.data.library.FolderLibrary;
import org.sep4j.data.library.ProceduralLibrary;
import org.sep4j.data.library.SoundLibrary;

/**
 * The {@code data.library:} block: where event and background sounds come from.
 */
public record LibraryConfig(@Doc("procedural (embedded synthetic sounds) or folder (<root>/<class>/*.wav)") String kind,
        @Doc("the folder of class sub-folders, for kind=folder") Path root,
        @Doc("seed of the procedural sounds") long seed,
        @Doc("target classes") List<String> targets,
        @Doc("interference classes") List<String> interference,
        @Doc("background classes") List<String> backgrounds) {

    public LibraryConfig {
        kind = kind.toLowerCase(Locale.ROOT);
        if (!kind.equals("procedural") && !kind.equals("folder")) {
            throw new IllegalArgumentException("data.library.kind must be procedural or folder, got '" + kind + "'");
        }
        if (kind.equals("folder") && root == null) {
            throw new IllegalArgumentException("data.library.kind=folder needs data.library.root=/path/to/library "
                    + "(one sub-folder of WAV files per class)");
        }
        if (targets.isEmpty() || backgrounds.isEmpty()) {
            throw new IllegalArgumentException("data.library.targets and data.library.backgrounds must not be empty");
        }
    }

    public static LibraryConfig defaults() {
        return new LibraryConfig("procedural", null, 0, ProceduralLibrary.TARGETS, ProceduralLibrary.INTERFERENCE,
                ProceduralLibrary.BACKGROUNDS);
    }

    /** Opens the library at the scene's sample rate. */
    public SoundLibrary open(int sampleRate) throws IOException {
        if (kind.equals("procedural")) {
            return new ProceduralLibrary(sampleRate, seed);
        }
        List<String> all = new java.util.ArrayList<>(targets);
        all.addAll(interference);
        all.addAll(backgrounds);
        return new FolderLibrary(root, sampleRate, all);
    }
}

package org.sep4j.data;

import java.io.IOException;
import java.nio.file.Path;
import org.sep4j.core.config.Doc;
import org.sep4j.data.dcase.Dcase2025Data;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.data.scene.SceneSpec;

/**
 * The {@code data:} block: a sound library and a scene recipe, or the official DCASE 2025 Task 4 data
 * ({@code root}), whose sounds, rooms and backgrounds then replace the library and the simulated rooms.
 */
public record DataConfig(
        @Doc("the official DCASE 2025 Task 4 data (the folder holding dev_set/); null = the library below") Path root,
        @Doc("where sounds come from") LibraryConfig library, @Doc("how scenes are made") SceneSpec scene) {

    public static DataConfig defaults() {
        return new DataConfig(null, LibraryConfig.defaults(), SceneSpec.defaults());
    }

    /** A generator of training scenes for this configuration. */
    public SceneGenerator generator() throws IOException {
        if (root != null) {
            return official().generator(scene, library.targets(), "train");
        }
        return new SceneGenerator(scene, library.open(scene.sampleRate()), library.targets(), library.interference(),
                library.backgrounds());
    }

    /** The official data at {@code root} (checked; the error names what to download and where it goes). */
    public Dcase2025Data official() throws IOException {
        if (root == null) {
            throw new IllegalStateException("data.root is not set");
        }
        return Dcase2025Data.open(root);
    }
}

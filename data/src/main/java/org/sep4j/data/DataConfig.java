package org.sep4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sep4j.core.config.Doc;
import org.sep4j.data.dcase.Dcase2025Data;
import org.sep4j.data.dcase.MetadataScenes;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.data.scene.SceneSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code data:} block: a sound library and a scene recipe, or the official DCASE 2025 Task 4 data
 * ({@code root}), whose sounds, rooms and backgrounds then replace the library and the simulated rooms,
 * and whose validation list ({@code dev_set/metadata/valid.json}) is replayed for validation.
 */
public record DataConfig(
        @Doc("the official DCASE 2025 Task 4 data (the folder holding dev_set/); null = the library below") Path root,
        @Doc("validation soundscapes replayed from an official metadata list; null = <root>/dev_set/metadata/valid.json "
                + "when data.root has one, else generated") Path validation,
        @Doc("where sounds come from") LibraryConfig library, @Doc("how scenes are made") SceneSpec scene) {

    private static final Logger LOG = LoggerFactory.getLogger(DataConfig.class);

    public static DataConfig defaults() {
        return new DataConfig(null, null, LibraryConfig.defaults(), SceneSpec.defaults());
    }

    /** A generator of training scenes for this configuration, with its validation scenes. */
    public SceneGenerator generator() throws IOException {
        SceneGenerator g = root != null ? official().generator(scene, library.targets(), "train")
                : new SceneGenerator(scene, library.open(scene.sampleRate()), library.targets(), library.interference(),
                        library.backgrounds());
        Path list = validationList();
        if (list == null) {
            return g;
        }
        MetadataScenes valid = MetadataScenes.open(list, root, scene.sampleRate(), library.targets());
        if (valid.duration() != scene.duration()) {
            String why = list + " holds " + valid.duration() + "-s soundscapes but data.scene.duration is " + scene.duration()
                    + " s (preset=full has the official 10 s)";
            if (validation != null) {
                throw new IllegalArgumentException("data.validation: " + why);
            }
            LOG.warn("validation: {}; validation scenes are generated instead", why);
            return g;
        }
        LOG.info("validation: {} soundscapes replayed from {} at {} Hz", valid.size(), list, scene.sampleRate());
        return g.withValidation(valid);
    }

    /** The metadata list replayed for validation: data.validation, else data.root's own, else none. */
    public Path validationList() {
        if (validation != null) {
            return validation;
        }
        Path official = root == null ? null : root.resolve("dev_set").resolve("metadata").resolve("valid.json");
        return official != null && Files.isRegularFile(official) ? official : null;
    }

    /** The official data at {@code root} (checked; the error names what to download and where it goes). */
    public Dcase2025Data official() throws IOException {
        if (root == null) {
            throw new IllegalStateException("data.root is not set");
        }
        return Dcase2025Data.open(root);
    }
}

package org.sep4j.data;

import java.io.IOException;
import org.sep4j.core.config.Doc;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.data.scene.SceneSpec;

/** The {@code data:} block: a sound library and a scene recipe. */
public record DataConfig(@Doc("where sounds come from") LibraryConfig library, @Doc("how scenes are made") SceneSpec scene) {

    public static DataConfig defaults() {
        return new DataConfig(LibraryConfig.defaults(), SceneSpec.defaults());
    }

    /** A generator for this configuration. */
    public SceneGenerator generator() throws IOException {
        return new SceneGenerator(scene, library.open(scene.sampleRate()), library.targets(), library.interference(),
                library.backgrounds());
    }
}

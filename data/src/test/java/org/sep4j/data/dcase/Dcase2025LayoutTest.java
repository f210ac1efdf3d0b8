package org.sep4j.data.dcase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.data.library.ProceduralLibrary;
import org.sep4j.data.scene.Scene;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.data.scene.SceneSpec;

class Dcase2025LayoutTest {

    @Test
    void writeThenReadGivesTheSameBytes(@TempDir Path dir) throws Exception {
        SceneGenerator gen = new SceneGenerator(SceneSpec.defaults(), new ProceduralLibrary(16000, 1),
                ProceduralLibrary.TARGETS, ProceduralLibrary.INTERFERENCE, ProceduralLibrary.BACKGROUNDS);
        Dcase2025Layout layout = new Dcase2025Layout(dir);
        Scene s = gen.generate(5);
        String name = Dcase2025Layout.name(5);
        assertThat(layout.complete(name)).isFalse();
        layout.write(name, s);
        assertThat(layout.complete(name)).isTrue();
        assertThat(layout.names()).containsExactly("soundscape_000005");
        Dcase2025Layout.Item item = layout.read(name);
        assertThat(item.mixture().samples()).isDeepEqualTo(s.mixture());
        assertThat(item.targets().keySet()).containsExactlyInAnyOrderElementsOf(s.labels());
        for (Scene.Event e : s.targets()) {
            assertThat(item.targets().get(e.label())).isEqualTo(e.dry());
        }
        assertThatThrownBy(() -> new Dcase2025Layout(dir.resolve("none")).names()).hasMessageContaining("soundscape/");
    }
}

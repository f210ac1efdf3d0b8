package org.sep4j.data.dcase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.WavEncoding;
import org.sep4j.core.audio.WavWriter;
import org.sep4j.data.DataConfig;
import org.sep4j.data.LibraryConfig;
import org.sep4j.data.library.ProceduralLibrary;
import org.sep4j.data.scene.Scene;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.data.scene.SceneSpec;

/**
 * {@code data.root}: a miniature of the official development set (the challenge's folder layout,
 * a SOFA room, per-room background recordings, a pre-mixed test split) drives training scenes and
 * the test set.
 */
class Dcase2025DataTest {

    @TempDir
    Path root;

    private static void wav(Path p, float[][] x) throws IOException {
        Files.createDirectories(p.getParent());
        WavWriter.write(p, new Audio(x, 16000), WavEncoding.PCM_16);
    }

    /** Builds dev_set/ with two clips per target class, two interference classes, one room. */
    private void miniature() throws IOException {
        ProceduralLibrary lib = new ProceduralLibrary(16000, 5);
        Path dev = root.resolve("dev_set");
        for (String c : ProceduralLibrary.TARGETS) {
            for (int i = 0; i < 2; i++) {
                wav(dev.resolve("sound_event/train/" + c + "/" + c + i + ".wav"), new float[][] {half(lib.clip(c, i))});
            }
        }
        for (String c : List.of("Siren", "Birdsong")) {
            wav(dev.resolve("interference/train/" + c + "/a.wav"), new float[][] {half(lib.clip(c, 0))});
        }
        float[][] noise = new float[4][];
        for (int ch = 0; ch < 4; ch++) {
            noise[ch] = half(lib.clip("PinkRoomTone", ch));
        }
        wav(dev.resolve("noise/train/lab_ambience.wav"), noise);
        Files.createDirectories(dev.resolve("room_ir/train"));
        try (var in = Dcase2025DataTest.class.getResourceAsStream("/fixtures/sofa/lab.sofa")) {
            Files.copy(in, dev.resolve("room_ir/train/lab.sofa"));
        }
        // the test split: two soundscapes written in the layout the challenge ships
        SceneGenerator synthetic = DataConfig.defaults().generator();
        Dcase2025Layout test = new Dcase2025Layout(Files.createDirectories(dev.resolve("test")));
        for (int i = 0; i < 2; i++) {
            test.write(Dcase2025Layout.name(i), synthetic.generate(100 + i));
        }
    }

    private static float[] half(float[] x) {
        return java.util.Arrays.copyOf(x, Math.min(x.length, 16000));
    }

    private DataConfig config() {
        DataConfig d = DataConfig.defaults();
        return new DataConfig(root, null, d.library(), d.scene());
    }

    @Test
    void trainingScenesComeFromTheOfficialPartsAndTheTestSplitIsReadAsItIs() throws IOException {
        miniature();
        SceneGenerator gen = config().generator();
        for (long i = 0; i < 4; i++) {
            Scene s = gen.generate(i);
            assertThat(s.background()).isEqualTo("lab#0");
            assertThat(ProceduralLibrary.TARGETS).containsAll(s.labels());
            assertThat(s.interferences()).allSatisfy(e -> assertThat(e.label()).isIn("Siren", "Birdsong"));
            assertThat(s.mixture()).hasNumberOfRows(4);
            assertThat(s.rt60()).isNaN(); // a measured room, not a simulated one
        }
        List<Scene> test = config().official().testScenes(10);
        assertThat(test).hasSize(2);
        SceneGenerator synthetic = DataConfig.defaults().generator();
        for (int i = 0; i < 2; i++) {
            Scene written = synthetic.generate(100 + i);
            assertThat(test.get(i).labels()).containsExactlyInAnyOrderElementsOf(written.labels());
            for (Scene.Event e : written.targets()) {
                Scene.Event read = test.get(i).targets().stream().filter(t -> t.label().equals(e.label())).findFirst().orElseThrow();
                assertThat(read.dry()).containsExactly(e.dry());
                assertThat(read.onset()).isGreaterThanOrEqualTo(e.onset());
            }
        }
    }

    @Test
    void theOfficialValidationListIsReplayedForValidation() throws Exception {
        miniature();
        assertThat(config().generator().validationSet()).as("no metadata/valid.json: generated validation").isNull();
        MetadataScenesTest.copyReplayFixture(root);
        assertThat(config().generator().validationSet()).as("4-s scenes: the 1-s list is left out, with a warning").isNull();
        DataConfig oneSecond = new DataConfig(root, null, LibraryConfig.defaults(), SceneSpec.defaults().withDuration(1.0));
        SceneGenerator gen = oneSecond.generator();
        assertThat(gen.validationSet()).isNotNull();
        Scene[] val = gen.validation(10);
        assertThat(val).hasSize(2);
        MetadataScenes replay = MetadataScenes.open(root.resolve("dev_set/metadata/valid.json"), root, 16000, null);
        for (int i = 0; i < 2; i++) {
            assertThat(val[i].labels()).containsExactlyElementsOf(replay.scene(i).labels());
            assertThat(val[i].mixture()[1]).containsExactly(replay.scene(i).mixture()[1]);
        }
        assertThat(gen.generate(0).background()).as("training still draws from the train split").isEqualTo("lab#0");
    }

    @Test
    void aMissingPartNamesTheDownloadAndTheLayout() throws IOException {
        miniature();
        try (var walk = Files.walk(root.resolve("dev_set/room_ir"))) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        assertThatThrownBy(() -> config().generator()).isInstanceOf(IOException.class)
                .hasMessageContaining("room_ir/train").hasMessageContaining("zenodo.15117227")
                .hasMessageContaining("data.root=" + root);
        assertThatThrownBy(() -> new DataConfig(root.resolve("nowhere"), null, LibraryConfig.defaults(), SceneSpec.defaults()).generator())
                .hasMessageContaining("dev_set/sound_event/train");
    }
}

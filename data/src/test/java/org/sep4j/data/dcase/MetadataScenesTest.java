package org.sep4j.data.dcase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.audio.Resampler;
import org.sep4j.core.audio.WavReader;
import org.sep4j.data.DataConfig;
import org.sep4j.data.LibraryConfig;
import org.sep4j.data.library.ProceduralLibrary;
import org.sep4j.data.scene.Scene;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.data.scene.SceneSpec;

/**
 * The official validation metadata replayed, against the same soundscapes rendered by numpy/scipy
 * from the published recipe (tools/fixtures/make_replay_fixtures.py): two soundscapes whose metadata
 * names folders of another machine, cuts events from inside clips, truncates onsets, places events
 * off the measured grid and lists ref_event out of onset order.
 */
class MetadataScenesTest {

    @TempDir
    Path root;

    private Path expected;

    @BeforeEach
    void copyFixture() throws IOException, URISyntaxException {
        expected = copyReplayFixture(root);
    }

    /**
     * Copies the miniature's {@code dev_set/} into {@code root/dev_set/} (merging with what is there);
     * returns the folder of the expected renderings.
     */
    static Path copyReplayFixture(Path root) throws IOException, URISyntaxException {
        Path fixture = Path.of(MetadataScenesTest.class.getResource("/fixtures/replay").toURI());
        Path src = fixture.resolve("dev_set");
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                Path dst = root.resolve("dev_set").resolve(src.relativize(p).toString());
                Files.createDirectories(dst.getParent());
                Files.copy(p, dst);
            }
        }
        return fixture.resolve("expected");
    }

    private Path list() {
        return root.resolve("dev_set/metadata/valid.json");
    }

    private MetadataScenes open(int rate) throws IOException {
        return MetadataScenes.open(list(), root, rate, ProceduralLibrary.TARGETS);
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static float peak(float[] x) {
        float p = 0;
        for (float v : x) {
            p = Math.max(p, Math.abs(v));
        }
        return p;
    }

    @Test
    void replaysEachSoundscapeAsTheIndependentRenderingDoes() throws IOException {
        MetadataScenes valid = open(16000);
        assertThat(valid.size()).isEqualTo(2);
        List<List<String>> labels = List.of(List.of("Doorbell", "Speech"), List.of("AlarmClock"));
        for (int k = 0; k < 2; k++) {
            Scene s = valid.scene(k);
            float[][] want = WavReader.read(expected.resolve("soundscape_" + k + ".wav")).samples();
            assertThat(s.sampleRate()).isEqualTo(16000);
            assertThat(s.mixture()).hasNumberOfRows(4);
            for (int c = 0; c < 4; c++) {
                assertThat(maxAbsDiff(s.mixture()[c], want[c])).as("soundscape %d channel %d", k, c)
                        .isLessThan(2e-6f * peak(want[c]));
            }
            assertThat(s.labels()).as("targets in ref_event order").containsExactlyElementsOf(labels.get(k));
            for (Scene.Event t : s.targets()) {
                float[] dry = WavReader.read(expected.resolve("soundscape_" + k + "_" + t.label() + ".wav")).samples()[0];
                assertThat(peak(dry)).isGreaterThan(0);
                assertThat(maxAbsDiff(t.dry(), dry)).as("dry %s", t.label()).isLessThan(2e-6f * peak(dry));
            }
        }
        Scene s0 = valid.scene(0);
        // onsets are floor(event_time * sr): 0.70006 s is 11200.96 samples and lands on 11200
        assertThat(s0.targets()).extracting(Scene.Event::onset).containsExactly(11200, 800);
        assertThat(s0.targets().get(0).offset()).isEqualTo(16000); // the 0.5-s cut runs past the end
        assertThat(s0.interferences()).singleElement().satisfies(e -> {
            assertThat(e.label()).isEqualTo("Siren");
            assertThat(e.onset()).isEqualTo(6400);
            assertThat(e.dry()).isNull();
        });
        assertThat(s0.background()).isEqualTo("lab_ambience_long.wav");
        assertThat(valid.scene(1).background()).isEqualTo("lab_ambience_short.wav");
        assertThat(valid.scene(0).mixture()[2]).as("the same scene on every call").containsExactly(s0.mixture()[2]);
    }

    @Test
    void atAnotherRateClipsAndResponsesAreResampled() throws IOException {
        Scene hi = open(32000).scene(1);
        assertThat(hi.samples()).isEqualTo(32000);
        assertThat(hi.targets().get(0).onset()).isEqualTo(9600);
        // back at 16 kHz the dry target is the reference one up to the resampler's error and the direct-path
        // window's edges, which fall between 16-kHz samples (22 dB here; a response left at its own rate
        // would double every delay and give -8 dB)
        float[] down = new Resampler(32000, 16000).resample(hi.targets().get(0).dry());
        float[] want = WavReader.read(expected.resolve("soundscape_1_AlarmClock.wav")).samples()[0];
        double err = 0;
        double sig = 0;
        for (int i = 0; i < want.length; i++) {
            err += Math.pow(down[i] - want[i], 2);
            sig += Math.pow(want[i], 2);
        }
        assertThat(10 * Math.log10(sig / err)).as("SNR of the round trip, dB").isGreaterThan(18);
    }

    @Test
    void theDataBlockReplaysTheListForValidation() throws IOException {
        SceneSpec spec = SceneSpec.defaults().withDuration(1.0); // the miniature's soundscapes are 1 s at 16 kHz
        assertThat(spec.sampleRate()).isEqualTo(16000);
        SceneGenerator gen = new DataConfig(null, list(), LibraryConfig.defaults(), spec).generator();
        Scene[] val = gen.validation(5);
        assertThat(val).hasSize(2); // all of a shorter list
        assertThat(val[0].mixture()[0]).containsExactly(open(16000).scene(0).mixture()[0]);
        assertThatThrownBy(() -> new DataConfig(null, list(), LibraryConfig.defaults(), SceneSpec.defaults()).generator())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds 1.0-s soundscapes but data.scene.duration is 4.0 s");
        SceneGenerator plain = DataConfig.defaults().generator();
        assertThat(plain.validationSet()).isNull();
        assertThat(plain.validation(2)[1].mixture()[0]).containsExactly(plain.generate(SceneGenerator.VALIDATION_OFFSET + 1).mixture()[0]);
    }

    @Test
    void badMetadataIsNamed() throws IOException {
        Path meta = root.resolve("dev_set/metadata/valid/soundscape_0.json");
        String good = Files.readString(meta);

        Files.writeString(meta, good.replace("bell_07.wav", "bell_99.wav"));
        assertThatThrownBy(() -> open(16000).scene(0)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("soundscape_0.json").hasMessageContaining("Doorbell/bell_99.wav")
                .hasMessageContaining(root.resolve("dev_set/sound_event/valid/Doorbell/bell_99.wav").toString());

        Files.writeString(meta, good.replace("\"snr\": 12.5", "\"snr\": \"loud\""));
        assertThatThrownBy(() -> open(16000).scene(0)).hasMessageContaining("'snr' should be a number, found loud");

        Files.writeString(meta, good.replace("\"label\": \"Doorbell\"", "\"label\": \"Dishes\""));
        assertThatThrownBy(() -> open(16000).scene(0)).hasMessageContaining("do not match ref_event [Doorbell, Speech]");

        Files.writeString(list(), Files.readString(list()).replace("\"AlarmClock\"", "\"Kettle\""));
        assertThatThrownBy(() -> open(16000)).isInstanceOf(IOException.class).hasMessageContaining("entry 1")
                .hasMessageContaining("Kettle is not one of the target classes");

        Files.delete(root.resolve("dev_set/metadata/valid/soundscape_1.json"));
        assertThatThrownBy(() -> MetadataScenes.open(list(), root, 16000, null)).hasMessageContaining("valid/soundscape_1.json not found");
        assertThatThrownBy(() -> MetadataScenes.open(root.resolve("none.json"), root, 16000, null))
                .hasMessageContaining("none.json: metadata list not found");
    }

    @Test
    void nearestMeasuredPositionWins() {
        double[][] grid = {{0, 0, 0}, {1, 0, 0}, {0, 2, 0}};
        assertThat(MetadataScenes.nearest(grid, new double[] {0.6, 0.1, 0})).isEqualTo(1);
        assertThat(MetadataScenes.nearest(grid, new double[] {0.1, 1.2, 0.3})).isEqualTo(2);
        assertThat(MetadataScenes.nearest(grid, new double[] {0.5, 0, 0})).as("ties go to the first").isZero();
    }
}

package org.sep4j.data.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.sep4j.data.library.ProceduralLibrary;

class SceneGeneratorTest {

    private static final ProceduralLibrary LIB = new ProceduralLibrary(16000, 7);

    private static SceneGenerator generator(SceneSpec spec) {
        return new SceneGenerator(spec, LIB, ProceduralLibrary.TARGETS, ProceduralLibrary.INTERFERENCE,
                ProceduralLibrary.BACKGROUNDS);
    }

    private static SceneSpec spec(double duration, int maxOverlap, List<Integer> nevents) {
        SceneSpec d = SceneSpec.defaults();
        return new SceneSpec(d.sampleRate(), duration, d.maxEventDuration(), 11, d.refDb(), d.snrRange(), nevents, d.interferenceSnrRange(),
                d.ninterferenceRange(), maxOverlap, d.overlapGrid(), d.spatializeDirectPathTimeMs(), d.refChannel(),
                d.nSources(), d.labelVectorMode(), d.frameHop(), d.maxAttempts(), d.room());
    }

    private static double levelDb(float[][] x) {
        double e = 0;
        for (float[] ch : x) {
            for (float v : ch) {
                e += (double) v * v;
            }
        }
        return 10 * Math.log10(e / (x.length * (double) x[0].length));
    }

    @Test
    void recipeInvariantsHoldOverManyItems() {
        SceneSpec spec = SceneSpec.defaults();
        SceneGenerator gen = generator(spec);
        for (int i = 0; i < 12; i++) {
            SceneGenerator.Parts p = gen.generateWithParts(i);
            Scene s = p.scene();
            assertThat(s.targets()).hasSizeBetween(1, 3);
            assertThat(s.interferences()).hasSizeBetween(1, 2);
            assertThat(new HashSet<>(s.labels())).as("no repeated target class").hasSameSizeAs(s.labels());
            // levels: every event's whole wet image at ref_db + its SNR, the background at ref_db;
            // parts come in draw order: targets first, then interference
            List<Scene.Event> drawn = new java.util.ArrayList<>(s.targets());
            assertThat(p.events()).hasSize(s.targets().size() + s.interferences().size());
            assertThat(p.wholeEvents()).hasSameSizeAs(p.events());
            for (int k = 0; k < p.events().size(); k++) {
                double snr = levelDb(p.wholeEvents().get(k)) - spec.refDb();
                boolean target = k < drawn.size();
                List<Double> range = target ? spec.snrRange() : spec.interferenceSnrRange();
                assertThat(snr).as("event %d level over the background", k).isBetween(range.get(0) - 1e-3,
                        range.get(1) + 1e-3);
                // the placed image is the whole one from its onset, cut at the scene's end
                float[] whole = p.wholeEvents().get(k)[1];
                float[] placed = p.events().get(k)[1];
                int onset = 0;
                while (placed[onset] == 0 && onset < placed.length - 1) {
                    onset++;
                }
                int lead = 0;
                while (whole[lead] == 0) {
                    lead++;
                }
                onset -= lead; // the clip may start with zeros
                for (int t = Math.max(0, onset); t < placed.length && t - onset < whole.length; t += 31) {
                    assertThat(placed[t]).as("event %d sample %d", k, t).isCloseTo(whole[t - onset], Offset.offset(1e-7f));
                }
                assertThat(levelDb(p.events().get(k))).as("measured over the scene it is quieter").isLessThan(snr + spec.refDb());
            }
            double[] targetSnrs = new double[s.targets().size()];
            for (int k = 0; k < targetSnrs.length; k++) {
                targetSnrs[k] = levelDb(p.wholeEvents().get(k)) - spec.refDb();
            }
            double[] reported = s.targets().stream().mapToDouble(Scene.Event::snrDb).sorted().toArray();
            assertThat(java.util.Arrays.stream(targetSnrs).sorted().toArray())
                    .containsExactly(reported, Offset.offset(1e-3));
            for (Scene.Event e : s.targets()) {
                assertThat(e.snrDb()).isBetween(5.0, 20.0);
                assertThat(e.offset()).isGreaterThan(e.onset());
                assertThat(e.dry()).hasSize(s.samples());
            }
            for (Scene.Event e : s.interferences()) {
                assertThat(e.snrDb()).isBetween(0.0, 15.0);
            }
            assertThat(levelDb(p.background())).isCloseTo(spec.refDb(), Offset.offset(1e-3));
            // mixture = sum of the wet components
            for (int c = 0; c < 4; c++) {
                for (int t = 0; t < s.samples(); t += 97) {
                    double sum = p.background()[c][t];
                    for (float[][] ev : p.events()) {
                        sum += ev[c][t];
                    }
                    assertThat((double) s.mixture()[c][t]).isCloseTo(sum, Offset.offset(1e-6));
                }
            }
            // overlap on the 0.1 s grid
            int[] cells = new int[40];
            List<Scene.Event> events = new java.util.ArrayList<>(s.targets());
            events.addAll(s.interferences());
            for (Scene.Event e : events) {
                for (int c = (int) Math.floor(e.onset() / 1600.0); c < Math.min(40, Math.ceil(e.offset() / 1600.0)); c++) {
                    cells[c]++;
                }
            }
            assertThat(IntStream.of(cells).max().orElse(0)).isLessThanOrEqualTo(3);
            // labels
            assertThat(s.multiHot(ProceduralLibrary.TARGETS)).containsOnly(0f, 1f);
            float sum = 0;
            for (float v : s.multiHot(ProceduralLibrary.TARGETS)) {
                sum += v;
            }
            assertThat(sum).isEqualTo(s.targets().size());
            float[] concat = s.concat(ProceduralLibrary.TARGETS, 3);
            assertThat(concat).hasSize(54);
            float[][] strong = s.strong(ProceduralLibrary.TARGETS, spec.frames());
            assertThat(strong).hasNumberOfRows(100);
            Scene.Event first = s.targets().get(0);
            int mid = (first.onset() + first.offset()) / 2 / 640;
            assertThat(strong[mid][ProceduralLibrary.TARGETS.indexOf(first.label())]).isEqualTo(1f);
        }
    }

    @Test
    void itemsAreTheSameBytesWhateverTheOrderOrThreads() {
        SceneGenerator a = generator(SceneSpec.defaults());
        SceneGenerator b = generator(SceneSpec.defaults());
        float[][][] parallel = new float[6][][];
        IntStream.range(0, 6).parallel().forEach(i -> parallel[i] = a.generate(i).mixture());
        for (int i = 5; i >= 0; i--) {
            assertThat(b.generate(i).mixture()).isDeepEqualTo(parallel[i]);
        }
        assertThat(a.generate(1).mixture()).isNotEqualTo(a.generate(2).mixture());
    }

    private static long bytes(Scene s) {
        long n = 0;
        for (float[] c : s.mixture()) {
            n += 4L * c.length;
        }
        for (Scene.Event e : s.targets()) {
            n += 4L * e.dry().length;
        }
        return n;
    }

    @Test
    void rememberingKeepsTheChosenScenesOnceAndWithinItsBudget() {
        SceneGenerator plain = generator(spec(1.0, 3, List.of(1, 3)));
        long budget = bytes(plain.generate(1)) + bytes(plain.validationScene(0)) + bytes(plain.generate(0));
        SceneGenerator kept = plain.remembering(3, 1, budget);
        Scene first = kept.generate(1);
        assertThat(kept.generate(1)).as("kept: the same object again").isSameAs(first);
        assertThat(first.mixture()).as("and the plain generator's scene").isDeepEqualTo(plain.generate(1).mixture());
        assertThat(kept.generate(3)).as("index past the training range: drawn anew").isNotSameAs(kept.generate(3));
        Scene v = kept.validationScene(0);
        assertThat(kept.validationScene(0)).isSameAs(v);
        assertThat(kept.validationScene(1)).as("validation item past the kept ones").isNotSameAs(kept.validationScene(1));
        Scene zero = kept.generate(0);
        assertThat(kept.generate(0)).as("the third scene fills the budget exactly").isSameAs(zero);
        assertThat(kept.generate(2)).as("over the budget: drawn anew").isNotSameAs(kept.generate(2));
        assertThat(kept.withValidation(null).generate(1)).as("the memo survives withValidation").isSameAs(first);
    }

    @Test
    void impossibleOverlapIsAClearError() {
        SceneGenerator g = generator(spec(0.5, 1, List.of(3, 3)));
        assertThatThrownBy(() -> g.generate(0)).hasMessageContaining("max_event_overlap=1")
                .hasMessageContaining("100 attempts");
        assertThatThrownBy(() -> new SceneGenerator(SceneSpec.defaults(), new ProceduralLibrary(8000, 1),
                ProceduralLibrary.TARGETS, ProceduralLibrary.INTERFERENCE, ProceduralLibrary.BACKGROUNDS))
                .hasMessageContaining("8000 Hz").hasMessageContaining("16000");
        assertThatThrownBy(() -> new SceneGenerator(SceneSpec.defaults(), LIB, List.of("Speech", "Cat", "Dog"),
                ProceduralLibrary.INTERFERENCE, ProceduralLibrary.BACKGROUNDS)).hasMessageContaining("'Cat'");
    }

    @Test
    void measuredRirsReplaceTheSimulator(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("lab"));
        float[][] rir = new float[4][800];
        for (int c = 0; c < 4; c++) {
            rir[c][10 + c] = 1f;      // channel c is channel 0 delayed by c samples
            rir[c][300 + c] = 0.3f;
        }
        org.sep4j.core.audio.WavWriter.write(dir.resolve("lab/pos1.wav"), new org.sep4j.core.audio.Audio(rir, 16000),
                org.sep4j.core.audio.WavEncoding.FLOAT_32);
        SceneSpec d = SceneSpec.defaults();
        SceneSpec.Room room = new SceneSpec.Room(d.room().sizeMin(), d.room().sizeMax(), d.room().rt60Range(),
                d.room().imageOrder(), d.room().rirSeconds(), d.room().arrayRadius(), dir, null);
        SceneSpec spec = new SceneSpec(d.sampleRate(), d.duration(), d.maxEventDuration(), 3, d.refDb(), d.snrRange(),
                d.neventRange(), d.interferenceSnrRange(), d.ninterferenceRange(), d.maxEventOverlap(), d.overlapGrid(),
                d.spatializeDirectPathTimeMs(), d.refChannel(), d.nSources(), d.labelVectorMode(), d.frameHop(),
                d.maxAttempts(), room);
        SceneGenerator.Parts parts = generator(spec).generateWithParts(0);
        assertThat(parts.scene().rt60()).isNaN();
        // every event was rendered through the measured response: channel 3 is channel 0 three samples later
        for (float[][] ev : parts.events()) {
            for (int t = 3; t < ev[0].length; t += 13) {
                assertThat((double) ev[3][t]).isCloseTo(ev[0][t - 3], Offset.offset(1e-7));
            }
        }
        SceneSpec.Room missing = new SceneSpec.Room(d.room().sizeMin(), d.room().sizeMax(), d.room().rt60Range(),
                d.room().imageOrder(), d.room().rirSeconds(), d.room().arrayRadius(), dir.resolve("none"), null);
        assertThatThrownBy(() -> generator(new SceneSpec(d.sampleRate(), d.duration(), d.maxEventDuration(), 3,
                d.refDb(), d.snrRange(), d.neventRange(), d.interferenceSnrRange(), d.ninterferenceRange(),
                d.maxEventOverlap(), d.overlapGrid(), d.spatializeDirectPathTimeMs(), d.refChannel(), d.nSources(),
                d.labelVectorMode(), d.frameHop(), d.maxAttempts(), missing))).hasMessageContaining("measured_root")
                .hasMessageContaining("not found");
    }
}

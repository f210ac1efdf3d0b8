package org.sep4j.data.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.WavWriter;
import org.sep4j.core.dsp.MelSpectrogram;
import org.sep4j.core.dsp.MelSpectrogramConfig;

class LibraryTest {

    private final ProceduralLibrary lib = new ProceduralLibrary(16000, 42);

    @Test
    void everyClassMakesDeterministicNormalisedClips() {
        assertThat(lib.classes()).containsAll(ProceduralLibrary.TARGETS).containsAll(ProceduralLibrary.INTERFERENCE)
                .containsAll(ProceduralLibrary.BACKGROUNDS);
        assertThat(ProceduralLibrary.TARGETS).hasSize(18);
        for (String c : lib.classes()) {
            float[] a = lib.clip(c, 3);
            assertThat(a).as(c).isEqualTo(lib.clip(c, 3));
            assertThat(a).as(c).isNotEqualTo(lib.clip(c, 4));
            assertThat(a.length).as("%s length", c).isBetween(16000, 10 * 16000);
            float peak = 0;
            for (float v : a) {
                assertThat(Float.isFinite(v)).isTrue();
                peak = Math.max(peak, Math.abs(v));
            }
            assertThat(peak).as("%s peak", c).isEqualTo(1f);
        }
        assertThat(new ProceduralLibrary(16000, 43).clip("Speech", 3)).isNotEqualTo(lib.clip("Speech", 3));
        assertThatThrownBy(() -> lib.clip("Cat", 0)).hasMessageContaining("no class 'Cat'");
    }

    /** Mean log-mel profile of a clip: a crude timbre fingerprint. */
    private static double[] profile(float[] x) {
        MelSpectrogram mel = new MelSpectrogram(MelSpectrogramConfig.of(16000, 512, 256, 40));
        float[] m = MelSpectrogram.log(mel.forward(new float[][] {x}), 1e-6f);
        int frames = m.length / 40;
        double[] p = new double[40];
        for (int b = 0; b < 40; b++) {
            for (int t = 0; t < frames; t++) {
                p[b] += m[b * frames + t] / frames;
            }
        }
        double mean = 0;
        for (double v : p) {
            mean += v / 40;
        }
        for (int b = 0; b < 40; b++) {
            p[b] -= mean; // level-independent
        }
        return p;
    }

    @Test
    void targetClassesAreLearnable() {
        // nearest class centroid on mean log-mel spectra: far above the 1/18 chance level
        List<String> classes = ProceduralLibrary.TARGETS;
        double[][] centroid = new double[classes.size()][40];
        for (int c = 0; c < classes.size(); c++) {
            for (int i = 0; i < 6; i++) {
                double[] p = profile(lib.clip(classes.get(c), i));
                for (int b = 0; b < 40; b++) {
                    centroid[c][b] += p[b] / 6;
                }
            }
        }
        int correct = 0;
        int total = 0;
        for (int c = 0; c < classes.size(); c++) {
            for (int i = 100; i < 104; i++) {
                double[] p = profile(lib.clip(classes.get(c), i));
                int best = -1;
                double bestD = Double.MAX_VALUE;
                for (int k = 0; k < classes.size(); k++) {
                    double d = 0;
                    for (int b = 0; b < 40; b++) {
                        d += Math.pow(p[b] - centroid[k][b], 2);
                    }
                    if (d < bestD) {
                        bestD = d;
                        best = k;
                    }
                }
                correct += best == c ? 1 : 0;
                total++;
            }
        }
        assertThat((double) correct / total).isGreaterThan(0.6);
    }

    @Test
    void folderLibraryReadsResamplesAndComplains(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("Dog"));
        Files.createDirectories(dir.resolve("Empty"));
        float[] x = new float[22050];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * Math.sin(i * 0.05));
        }
        WavWriter.write(dir.resolve("Dog/a.wav"), new Audio(new float[][] {x, x}, 22050));
        assertThatThrownBy(() -> new FolderLibrary(dir, 16000)).hasMessageContaining("Empty").hasMessageContaining("no .wav");
        FolderLibrary f = new FolderLibrary(dir, 16000, List.of("Dog"));
        float[] clip = f.clip("Dog", 0);
        assertThat(clip.length).isEqualTo(16000);
        assertThat(f.clip("Dog", 5)).isEqualTo(clip); // wraps around its one file
        assertThatThrownBy(() -> new FolderLibrary(dir.resolve("nope"), 16000)).hasMessageContaining("not found");
        assertThatThrownBy(() -> f.clip("Cat", 0)).hasMessageContaining("no class 'Cat'");
    }
}

package org.sep4j.data.clips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.WavWriter;

/** A user's labelled clips: class folders, CSV lists (AudioSet's too), their split and their audio. */
class LabelledClipsTest {

    private static void tone(Path file, double hz, int rate, int channels) throws IOException {
        Files.createDirectories(file.getParent());
        float[][] s = new float[channels][rate / 2];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < s[c].length; i++) {
                s[c][i] = (float) (0.1 * (c + 1) * Math.sin(2 * Math.PI * hz * i / rate));
            }
        }
        WavWriter.write(file, new Audio(s, rate));
    }

    @Test
    void classFoldersGiveOneLabelPerClipAndASplit(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 5; i++) {
            tone(dir.resolve("dog/d" + i + ".wav"), 440, 16000, 1);
            tone(dir.resolve("bell/b" + i + ".wav"), 880, 16000, 1);
        }
        LabelledClips c = LabelledClips.open(dir);
        assertThat(c.classes()).containsExactly("bell", "dog");
        assertThat(c.size()).isEqualTo(10);
        assertThat(c.multiHot(0, c.classes())).containsExactly(1f, 0f);
        assertThat(c.multiHot(9, c.classes())).containsExactly(0f, 1f);
        LabelledClips[] split = c.split(5);
        assertThat(split[1].size()).as("the 5th clip of each class").isEqualTo(2);
        assertThat(split[0].size()).isEqualTo(8);
        assertThat(split[1].classes()).isEqualTo(c.classes());
    }

    @Test
    void aCsvListsFilesWithSeveralLabelsAndTheAudioIsMonoAtTheAskedRate(@TempDir Path dir) throws Exception {
        tone(dir.resolve("a.wav"), 440, 32000, 2);
        tone(dir.resolve("sub/b.wav"), 440, 16000, 1);
        Files.writeString(dir.resolve("list.csv"), "filename,labels\na.wav,\"Dog,Speech\"\nsub/b.wav,Speech\n");
        LabelledClips c = LabelledClips.open(dir.resolve("list.csv"));
        assertThat(c.classes()).containsExactly("Dog", "Speech");
        assertThat(c.multiHot(0, c.classes())).containsExactly(1f, 1f);
        assertThat(c.multiHot(1, List.of("Speech", "Cat"))).containsExactly(1f, 0f);
        float[] w = c.wave(0, 16000);
        assertThat(w).hasSize(8000);
        // the two channels (0.1 and 0.2 amplitude) averaged: a 0.15 sine
        double peak = 0;
        for (float v : w) {
            peak = Math.max(peak, Math.abs(v));
        }
        assertThat(peak).isBetween(0.14, 0.16);
    }

    @Test
    void anAudioSetSegmentListFindsItsFilesByYtid(@TempDir Path dir) throws Exception {
        tone(dir.resolve("audio/Y--PJHxphWEs_30.000_40.000.wav"), 440, 16000, 1);
        tone(dir.resolve("audio/0FMdORf5iGs.wav"), 440, 16000, 1);
        Files.writeString(dir.resolve("segments.csv"), """
                # Segments csv created Sun Mar  5 10:54:31 2017
                # num_ytids=2, num_segs=2, num_unique_labels=3, num_positive_labels=3
                # YTID, start_seconds, end_seconds, positive_labels
                --PJHxphWEs, 30.000, 40.000, "/m/09x0r,/t/dd00088"
                0FMdORf5iGs, 30.000, 40.000, "/m/04rlf"
                """);
        LabelledClips c = LabelledClips.open(dir.resolve("segments.csv"));
        assertThat(c.classes()).containsExactly("/m/04rlf", "/m/09x0r", "/t/dd00088");
        assertThat(c.clip(0).file().getFileName().toString()).isEqualTo("Y--PJHxphWEs_30.000_40.000.wav");
        assertThat(c.clip(1).labels()).containsExactly("/m/04rlf");
    }

    @Test
    void badListsAreNamedWithTheirLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("nohead.csv"), "a.wav,Dog\n");
        assertThatThrownBy(() -> LabelledClips.open(dir.resolve("nohead.csv"))).isInstanceOf(IOException.class)
                .hasMessageContaining("nohead.csv:1").hasMessageContaining("header naming a file column");
        Files.writeString(dir.resolve("missing.csv"), "file,label\ngone.wav,Dog\n");
        assertThatThrownBy(() -> LabelledClips.open(dir.resolve("missing.csv"))).hasMessageContaining("missing.csv:2")
                .hasMessageContaining("gone.wav not found");
        assertThatThrownBy(() -> LabelledClips.open(dir.resolve("nothing"))).hasMessageContaining("found nothing there");
        Files.createDirectories(dir.resolve("lib/empty"));
        assertThatThrownBy(() -> LabelledClips.open(dir.resolve("lib"))).hasMessageContaining("holds no .wav or .flac files");
    }
}

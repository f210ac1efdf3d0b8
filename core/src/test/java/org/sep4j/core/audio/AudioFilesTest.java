package org.sep4j.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FLAC decoding against the WAV files Debian's flac encoded them from (tools/fixtures/make_flac_fixtures.py). */
class AudioFilesTest {

    private static Path fixture(String name) throws Exception {
        return Path.of(AudioFilesTest.class.getResource("/fixtures/flac/" + name).toURI());
    }

    @Test
    void flacDecodesToTheSamplesOfTheWavItWasEncodedFrom() throws Exception {
        for (String name : new String[] {"stereo16_44k", "mono24_48k", "mono8_8k"}) {
            Audio wav = AudioFiles.read(fixture(name + ".wav"));
            Audio flac = AudioFiles.read(fixture(name + ".flac"));
            assertThat(flac.sampleRate()).as(name).isEqualTo(wav.sampleRate());
            assertThat(flac.channels()).as(name).isEqualTo(wav.channels());
            assertThat(flac.length()).as(name).isEqualTo(wav.length());
            for (int c = 0; c < wav.channels(); c++) {
                assertThat(flac.channel(c)).as(name + " channel " + c).containsExactly(wav.channel(c));
            }
        }
        assertThat(AudioFiles.read(fixture("stereo16_44k.flac")).length()).isEqualTo(22050);
    }

    @Test
    void otherContentIsNamedNeverDecodedAsNoise(@TempDir Path dir) throws Exception {
        Path mp3 = dir.resolve("song.wav");
        Files.write(mp3, new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThatThrownBy(() -> AudioFiles.read(mp3)).isInstanceOf(WavException.class)
                .hasMessageContaining("song.wav").hasMessageContaining("MP3");
        Path text = dir.resolve("notes.flac");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> AudioFiles.read(text)).hasMessageContaining("notes.flac").hasMessageContaining("68 65 6c");
        Path cut = dir.resolve("cut.flac");
        byte[] whole = Files.readAllBytes(fixture("stereo16_44k.flac"));
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> AudioFiles.read(cut)).hasMessageContaining("cut.flac").hasMessageContaining("truncated");
        Files.copy(fixture("mono8_8k.flac"), dir.resolve("b.flac"));
        Files.copy(fixture("mono8_8k.wav"), dir.resolve("a.wav"));
        assertThat(AudioFiles.list(dir, false)).extracting(p -> p.getFileName().toString())
                .containsExactly("a.wav", "b.flac", "cut.flac", "notes.flac", "song.wav");
    }
}

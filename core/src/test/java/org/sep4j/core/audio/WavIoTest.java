package org.sep4j.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.testing.Signals;

class WavIoTest {

    @TempDir
    Path dir;

    private static Audio pcm16Grid(int channels, int n, int sr, long seed) {
        // values on the 16-bit grid so a 16-bit round trip must be exact
        float[][] s = new float[channels][];
        for (int c = 0; c < channels; c++) {
            float[] x = Signals.noise(seed + c, n, 0.3);
            for (int i = 0; i < n; i++) {
                x[i] = Math.max(-32768, Math.min(32767, Math.round(x[i] * 32768f))) / 32768f;
            }
            s[c] = x;
        }
        return new Audio(s, sr);
    }

    @Test
    void pcm16RoundTripIsBitExact() throws Exception {
        for (int channels : new int[] {1, 2, 4}) {
            Audio a = pcm16Grid(channels, 1001, 16000, channels);
            Path f = dir.resolve("a" + channels + ".wav");
            WavWriter.write(f, a, WavEncoding.PCM_16);
            Audio b = WavReader.read(f);
            assertThat(b).isEqualTo(a);
            WavInfo info = WavReader.info(f);
            assertThat(info.channels()).isEqualTo(channels);
            assertThat(info.frames()).isEqualTo(1001);
            assertThat(info.encoding()).isEqualTo(WavEncoding.PCM_16);
        }
    }

    @Test
    void float32RoundTripIsBitExact() throws Exception {
        Audio a = new Audio(new float[][] {Signals.noise(1, 777, 2.0), Signals.noise(2, 777, 2.0), Signals.noise(3, 777, 1e-6f)}, 32000);
        Path f = dir.resolve("f.wav");
        WavWriter.write(f, a, WavEncoding.FLOAT_32);
        assertThat(WavReader.read(f)).isEqualTo(a);
    }

    @Test
    void pcm24And32KeepTheirResolution() throws Exception {
        Audio a = new Audio(new float[][] {Signals.noise(4, 500, 0.3)}, 48000);
        for (WavEncoding e : new WavEncoding[] {WavEncoding.PCM_24, WavEncoding.PCM_32}) {
            Path f = dir.resolve(e + ".wav");
            WavWriter.write(f, a, e);
            Audio b = WavReader.read(f);
            double lsb = Math.pow(2, -(e.bitsPerSample() - 1));
            for (int i = 0; i < 500; i++) {
                assertThat((double) b.channel(0)[i]).isCloseTo(a.channel(0)[i], org.assertj.core.data.Offset.offset(lsb / 2 + 1e-9));
            }
            assertThat(WavReader.info(f).encoding()).isEqualTo(e);
        }
    }

    @Test
    void clipsInsteadOfWrapping() throws Exception {
        Path f = dir.resolve("clip.wav");
        WavWriter.write(f, Audio.mono(new float[] {1.5f, -1.5f, 1.0f, -1.0f}, 8000));
        float[] y = WavReader.read(f).channel(0);
        assertThat(y).containsExactly(32767 / 32768f, -1f, 32767 / 32768f, -1f);
    }

    @Test
    void filesFromJavaSoundReadTheSame() throws Exception {
        // An independent writer: javax.sound writes a plain 16-bit stereo PCM file.
        Audio a = pcm16Grid(2, 400, 22050, 9);
        ByteBuffer pcm = ByteBuffer.allocate(400 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 400; i++) {
            pcm.putShort((short) Math.round(a.channel(0)[i] * 32768));
            pcm.putShort((short) Math.round(a.channel(1)[i] * 32768));
        }
        AudioFormat fmt = new AudioFormat(22050, 16, 2, true, false);
        File f = dir.resolve("javasound.wav").toFile();
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm.array()), fmt, 400), AudioFileFormat.Type.WAVE, f);
        assertThat(WavReader.read(f.toPath())).isEqualTo(a);
        // ...and javax.sound reads what we write (the extensible header for 4 channels included).
        Path ours = dir.resolve("ours.wav");
        WavWriter.write(ours, pcm16Grid(4, 100, 16000, 3), WavEncoding.PCM_24);
        AudioFileFormat back = AudioSystem.getAudioFileFormat(ours.toFile());
        assertThat(back.getFormat().getChannels()).isEqualTo(4);
        assertThat(back.getFormat().getSampleSizeInBits()).isEqualTo(24);
    }

    @Test
    void corruptFilesAreNamedWithWhatWasFound() throws Exception {
        Path notWav = dir.resolve("notes.wav");
        Files.writeString(notWav, "these are my notes, not audio");
        assertThatThrownBy(() -> WavReader.read(notWav)).isInstanceOf(WavException.class)
                .hasMessageContaining(notWav.toString()).hasMessageContaining("expected 'RIFF'").hasMessageContaining("'thes'");

        Path tiny = dir.resolve("tiny.wav");
        Files.write(tiny, new byte[] {'R', 'I', 'F', 'F'});
        assertThatThrownBy(() -> WavReader.read(tiny)).hasMessageContaining("shorter than a RIFF header");

        Path good = dir.resolve("good.wav");
        WavWriter.write(good, pcm16Grid(2, 1000, 16000, 1));
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.wav");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> WavReader.read(truncated)).hasMessageContaining(truncated.toString())
                .hasMessageContaining("truncated").hasMessageContaining("4000 bytes");

        byte[] adpcm = bytes.clone();
        adpcm[20] = 2; // format tag 2 = MS ADPCM
        Path compressed = dir.resolve("adpcm.wav");
        Files.write(compressed, adpcm);
        assertThatThrownBy(() -> WavReader.read(compressed)).hasMessageContaining("unsupported encoding")
                .hasMessageContaining("format tag 2");

        assertThatThrownBy(() -> WavReader.read(dir.resolve("missing.wav"))).hasMessageContaining("no such file");
    }

    @Test
    void writesAreAtomic() throws Exception {
        Path f = dir.resolve("out.wav");
        WavWriter.write(f, pcm16Grid(1, 10, 8000, 1));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("out.wav");
        }
    }

    @Test
    void audioRejectsRaggedChannels() {
        assertThatThrownBy(() -> new Audio(new float[][] {new float[3], new float[4]}, 16000))
                .hasMessageContaining("channel 1 has 4 samples but channel 0 has 3");
        assertThatThrownBy(() -> Audio.mono(new float[3], 0)).hasMessageContaining("sample rate");
    }
}

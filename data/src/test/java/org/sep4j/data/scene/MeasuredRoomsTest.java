package org.sep4j.data.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.WavEncoding;
import org.sep4j.core.audio.WavWriter;
import org.sep4j.data.library.ProceduralLibrary;

/** SOFA rooms (fixture written by netCDF4, tools/fixtures/make_sofa_fixtures.py) and room backgrounds. */
class MeasuredRoomsTest {

    @TempDir
    Path dir;

    private Path sofaRoot() throws IOException {
        Path rooms = Files.createDirectories(dir.resolve("room_ir"));
        try (var in = MeasuredRoomsTest.class.getResourceAsStream("/fixtures/sofa/lab.sofa")) {
            Files.copy(in, rooms.resolve("lab.sofa"));
        }
        return rooms;
    }

    @Test
    void readsEveryMeasurementOfASofaFileAsTheFixtureStatesIt() throws IOException {
        SofaRoom room = new SofaRoom(sofaRoot().resolve("lab.sofa"));
        assertThat(room.measurements()).isEqualTo(2);
        assertThat(room.receivers()).isEqualTo(4);
        assertThat(room.samples()).isEqualTo(64);
        assertThat(room.sampleRate()).isEqualTo(16000.0);
        assertThat(room.positions()).isDeepEqualTo(new double[][] {{1.0, 0.5, 1.2}, {2.0, -0.5, 1.4}});
        for (int m = 0; m < 2; m++) {
            float[][] h = room.read(m);
            for (int r = 0; r < 4; r++) {
                float[] expected = new float[64];
                expected[5 + 3 * m + r] = 1f;
                expected[40 + r] = 0.25f;
                assertThat(h[r]).as("measurement %d receiver %d", m, r).containsExactly(expected);
            }
        }
        assertThatThrownBy(() -> room.read(2)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("lab.sofa");
    }

    @Test
    void notASofaFileIsNamed() throws IOException {
        Path bogus = Files.writeString(dir.resolve("bogus.sofa"), "not hdf5");
        assertThatThrownBy(() -> new SofaRoom(bogus)).isInstanceOf(IOException.class).hasMessageContaining("bogus.sofa");
    }

    @Test
    void roomsFromSofaFilesResampleAndNeedTheirBackgrounds() throws IOException {
        Path rooms = sofaRoot();
        MeasuredRirs m = new MeasuredRirs(rooms, 32000);
        assertThat(m.rooms()).containsExactly("lab");
        assertThat(m.count("lab")).isEqualTo(2);
        float[][] h = m.rir("lab", 1);
        assertThat(h).hasNumberOfRows(4);
        assertThat(h[0].length).isBetween(127, 129); // 64 taps at 16 kHz become 128 at 32 kHz
        int peak = 0;
        for (int i = 1; i < h[2].length; i++) {
            peak = Math.abs(h[2][i]) > Math.abs(h[2][peak]) ? i : peak;
        }
        assertThat(peak).isEqualTo(2 * (5 + 3 + 2)); // the direct path moves with the rate

        Path noise = Files.createDirectories(dir.resolve("noise"));
        assertThatThrownBy(() -> new MeasuredRirs(rooms, noise, 16000)).hasMessageContaining("no background recording for room 'lab'");
        float[][] rec = new float[4][16000 * 3];
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < rec[c].length; i++) {
                rec[c][i] = (float) Math.sin(0.01 * i * (c + 1));
            }
        }
        WavWriter.write(noise.resolve("lab_take1.wav"), new Audio(rec, 16000), WavEncoding.FLOAT_32);
        MeasuredRirs withNoise = new MeasuredRirs(rooms, noise, 16000);
        assertThat(withNoise.hasNoise()).isTrue();
        assertThat(withNoise.noise("lab", 0)[3]).containsExactly(rec[3]);
    }

    @Test
    void scenesInAMeasuredRoomUseItsRecordingAsTheBackground() throws IOException {
        Path rooms = sofaRoot();
        Path noise = Files.createDirectories(dir.resolve("noise"));
        float[][] rec = new float[4][16000 * 6];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < rec[c].length; i++) {
                rec[c][i] = (float) (r.nextDouble() - 0.5) * (c + 1);
            }
        }
        WavWriter.write(noise.resolve("lab-ambience.wav"), new Audio(rec, 16000), WavEncoding.FLOAT_32);
        SceneSpec d = SceneSpec.defaults();
        SceneSpec.Room room = new SceneSpec.Room(d.room().sizeMin(), d.room().sizeMax(), d.room().rt60Range(),
                d.room().imageOrder(), d.room().rirSeconds(), d.room().arrayRadius(), rooms, noise);
        SceneSpec spec = new SceneSpec(d.sampleRate(), d.duration(), d.maxEventDuration(), 5, d.refDb(), d.snrRange(),
                d.neventRange(), d.interferenceSnrRange(), d.ninterferenceRange(), d.maxEventOverlap(), d.overlapGrid(),
                d.spatializeDirectPathTimeMs(), d.refChannel(), d.nSources(), d.labelVectorMode(), d.frameHop(),
                d.maxAttempts(), room);
        SceneGenerator gen = new SceneGenerator(spec, new ProceduralLibrary(16000, 1), ProceduralLibrary.TARGETS,
                ProceduralLibrary.INTERFERENCE, ProceduralLibrary.BACKGROUNDS);
        SceneGenerator.Parts parts = gen.generateWithParts(4);
        assertThat(parts.scene().background()).isEqualTo("lab#0");
        float[][] bg = parts.background();
        // one gain for all channels and one offset: channel c is channel 0's recording scaled alike
        double gain = bg[0][0] / rec[0][findOffset(rec[0], bg[0])];
        int off = findOffset(rec[0], bg[0]);
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < bg[c].length; i += 101) {
                assertThat((double) bg[c][i]).isCloseTo(gain * rec[c][(off + i) % rec[c].length], Offset.offset(1e-6));
            }
        }
        // the level rule holds: the background sits at ref_db over all channels
        double ms = 0;
        for (float[] ch : bg) {
            for (float v : ch) {
                ms += (double) v * v;
            }
        }
        assertThat(10 * Math.log10(ms / (4.0 * bg[0].length))).isCloseTo(d.refDb(), Offset.offset(1e-3));
        assertThatThrownBy(() -> new SceneSpec.Room(d.room().sizeMin(), d.room().sizeMax(), d.room().rt60Range(),
                d.room().imageOrder(), d.room().rirSeconds(), d.room().arrayRadius(), null, noise))
                .hasMessageContaining("noise_root needs room.measured_root");
        assertThat(List.of(parts.scene().targets().size())).doesNotContain(0);
    }

    /** The whole-second offset at which {@code part} starts inside {@code whole} (up to a gain). */
    private static int findOffset(float[] whole, float[] part) {
        for (int s = 0; s < whole.length; s += 16000) {
            double ratio = part[0] / whole[s];
            if (Math.abs(part[7] - ratio * whole[s + 7]) < 1e-6 && Math.abs(part[999] - ratio * whole[s + 999]) < 1e-6) {
                return s;
            }
        }
        throw new AssertionError("background is not the recording at any whole-second offset");
    }
}

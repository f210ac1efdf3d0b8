package org.sep4j.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sep4j.core.testing.Close.assertClose;

import org.junit.jupiter.api.Test;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.testing.Close;
import org.sep4j.core.testing.Fixtures;

class MelTest {

    private static final Safetensors.Contents GOLD = Fixtures.load("dsp/mel");

    @Test
    void filterbanksMatchTorchaudio() {
        assertClose(Close.flatten(GOLD.get("htk_none_16000_400_80").floats2d()),
                Close.flatten(MelFilterbank.create(16000, 400, 80, 0, 8000, MelScale.HTK, false)), 1e-5, 0, "htk/none");
        assertClose(Close.flatten(GOLD.get("slaney_slaney_22050_512_40").floats2d()),
                Close.flatten(MelFilterbank.create(22050, 512, 40, 0, 11025, MelScale.SLANEY, true)), 1e-5, 0, "slaney/slaney");
        assertClose(Close.flatten(GOLD.get("htk_slaney_32000_800_64_50_14000").floats2d()),
                Close.flatten(MelFilterbank.create(32000, 800, 64, 50, 14000, MelScale.HTK, true)), 1e-5, 0, "htk/slaney");
    }

    @Test
    void librosaGoldenRowOfTheSpec() {
        // librosa.filters.mel(sr=22050, n_fft=2048, n_mels=128), row 0, first six bins.
        float[][] fb = MelFilterbank.create(22050, 2048, 128, 0, 11025, MelScale.SLANEY, true);
        double[] expected = {0, 0.016182853208219942, 0.032365706416439884, 0.028990088037379964, 0.012807234829160026, 0};
        for (int k = 0; k < expected.length; k++) {
            assertThat((double) fb[0][k]).isCloseTo(expected[k], org.assertj.core.data.Offset.offset(1e-7));
        }
    }

    @Test
    void scalesInvertEachOther() {
        for (MelScale s : MelScale.values()) {
            for (double hz : new double[] {0, 50, 999, 1000, 1001, 4000, 16000}) {
                assertThat(s.melToHz(s.hzToMel(hz))).as("%s at %s Hz", s, hz).isCloseTo(hz, org.assertj.core.data.Offset.offset(1e-9 * (1 + hz)));
            }
        }
        assertThat(MelScale.SLANEY.hzToMel(1000)).isCloseTo(15.0, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void melSpectrogramMatchesTorchaudioTransform() {
        float[][] x = GOLD.get("melspec.input").floats2d();
        MelSpectrogram ms = new MelSpectrogram(MelSpectrogramConfig.of(16000, 400, 160, 80));
        float[] out = ms.forward(x);
        assertThat(GOLD.get("melspec.output").shape()).containsExactly(1, 80, ms.frames(4000));
        assertClose(GOLD.get("melspec.output").floats(), out, 1e-4, 1e-6, "mel spectrogram");
    }

    @Test
    void badRangesAreClearErrors() {
        assertThatThrownBy(() -> MelFilterbank.create(16000, 512, 64, 0, 9000, MelScale.HTK, false))
                .hasMessageContaining("f_max 9000");
        assertThatThrownBy(() -> MelScale.parse("bark")).hasMessageContaining("bark");
    }
}

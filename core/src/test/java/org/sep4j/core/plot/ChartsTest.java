package org.sep4j.core.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    @Test
    void histogramBinsSitOnRoundNumbers() {
        assertThat(Charts.niceStep(0.61)).isEqualTo(1.0);
        assertThat(Charts.niceStep(0.13)).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Charts.niceStep(3.0)).isEqualTo(5.0);
        assertThat(Charts.niceStep(20.0)).isEqualTo(20.0);
    }

    @Test
    void everyChartIsAReadablePng(@TempDir Path dir) throws Exception {
        Charts.histogram(dir.resolve("h.png"), new double[] {1, 2, 2, 3, Double.NaN}, 10, "scores", "dB");
        Charts.bars(dir.resolve("b.png"), List.of("baseline", "AudioSep-SED (Soundbeam + Time-FiLM) and more words"),
                List.of(new Charts.Bars("stage-1", new double[] {3.3, 4.1}, new double[] {0.2, 0.3}),
                        new Charts.Bars("oracle", new double[] {5.1, Double.NaN}, null)),
                List.of(new Charts.Reference("floor", 2.7)), "CA-SDRi", "dB");
        Charts.lines(dir.resolve("l.png"), new double[] {1, 2, 3}, List.of(new Charts.Series("a", new double[] {1.46, 1.46, 1.46}),
                new Charts.Series("b", new double[] {Double.NaN, 1.2, 1.3})), "passes", "passes", "dB");
        Charts.spectrogram(dir.resolve("s.png"), new float[16000], 300);
        for (String name : new String[] {"h.png", "b.png", "l.png"}) {
            BufferedImage img = ImageIO.read(dir.resolve(name).toFile());
            assertThat(img.getWidth()).as(name).isEqualTo(900);
            assertThat(img.getHeight()).as(name).isEqualTo(540);
        }
        BufferedImage spec = ImageIO.read(dir.resolve("s.png").toFile());
        assertThat(spec.getWidth()).isEqualTo(126);   // 1 + 16000 / 128 frames, fewer than 300
        assertThat(spec.getHeight()).isEqualTo(128);
    }
}

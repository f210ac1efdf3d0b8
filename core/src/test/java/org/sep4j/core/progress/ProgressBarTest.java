package org.sep4j.core.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void countsConcurrentStepsAndDrawsRateAndEta() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ProgressBar bar = ProgressBar.to(new PrintStream(buf, true, StandardCharsets.UTF_8), "eval", 1000, "items")) {
            IntStream.range(0, 500).parallel().forEach(i -> bar.step());
            assertThat(bar.done()).isEqualTo(500);
            assertThat(bar.render()).contains("500/1000 items").contains("50%").contains("/s").contains("eta");
            IntStream.range(0, 500).parallel().forEach(i -> bar.step());
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("1000/1000 items 100%").endsWith("\n");
    }

    @Test
    void clockFormats() {
        assertThat(ProgressBar.clock(59.6)).isEqualTo("1:00");
        assertThat(ProgressBar.clock(3725)).isEqualTo("1:02:05");
    }
}

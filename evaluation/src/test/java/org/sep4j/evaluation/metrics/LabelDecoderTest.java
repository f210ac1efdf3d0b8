package org.sep4j.evaluation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelDecoderTest {

    private final LabelDecoder dec = LabelDecoder.dcase(List.of("A", "B", "C", "D", "E"));

    @Test
    void thresholdTopOneFallbackAndCap() {
        assertThat(dec.decode(new float[] {0.6f, 0.9f, 0.1f, 0.2f, 0.55f})).containsExactly("B", "A", "E");
        assertThat(dec.decode(new float[] {0.6f, 0.9f, 0.7f, 0.8f, 0.55f})).containsExactly("B", "D", "C");
        assertThat(dec.decode(new float[] {0.1f, 0.2f, 0.3f, 0.05f, 0.0f})).containsExactly("C");
        assertThat(dec.decode(new float[] {0.5f, 0.2f, 0.3f, 0.05f, 0.0f})).as("0.5 is not above 0.5").containsExactly("A");
    }

    @Test
    void accuracyAtThresholds() {
        List<float[]> p = List.of(new float[] {0.95f, 0.4f, 0, 0, 0}, new float[] {0.2f, 0.6f, 0.35f, 0, 0});
        List<Set<String>> y = List.of(Set.of("A"), Set.of("B", "C"));
        assertThat(dec.accuracy(p, y)).isEqualTo(0.5);
        assertThat(dec.accuracyAt(new double[] {0.1, 0.3, 0.5, 0.9}, p, y)).containsExactly(0.0, 0.5, 0.5, 0.5);
        assertThatThrownBy(() -> dec.decode(new float[3])).hasMessageContaining("3 probabilities for 5 classes");
    }
}

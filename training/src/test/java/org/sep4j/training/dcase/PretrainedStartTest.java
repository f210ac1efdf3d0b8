package org.sep4j.training.dcase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.tensor.TensorData;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.sed.SedConfig;
import org.sep4j.models.sed.SedTagger;

/** {@code model.sed.weights} / {@code model.separator.weights}: pretrained start points by name. */
class PretrainedStartTest {

    private static SedConfig small() {
        return new SedConfig(16000, 32, 32, 16, 8, 0, 8000, "slaney", 0, 1, 4, 8, 2, 2, 2, 1e-6, "attention", 6, 0, null, "m2d");
    }

    private static Graph tagger(long seed, String prefix) {
        Graph g = new Graph(seed);
        SedTagger t = new SedTagger(small(), prefix, 18, 16000);
        t.apply(g, t.input(g, "logmel"));
        return g;
    }

    private static Path save(Path dir, Graph g, java.util.function.Predicate<String> keep) throws IOException {
        Map<String, TensorData> t = new LinkedHashMap<>();
        g.params().forEach((n, v) -> {
            if (keep.test(n)) {
                t.put(n, TensorData.of(v.getArr().dup('c').data().asFloat(), v.getArr().shape()));
            }
        });
        Path file = dir.resolve("pretrained.safetensors");
        Safetensors.write(file, t, Map.of());
        return file;
    }

    @Test
    void weightsLoadByNameUnderThePrefixAndMissingOnesKeepTheirInitialisation(@TempDir Path dir) throws IOException {
        Graph pretrained = tagger(1, "");
        Path file = save(dir, pretrained, n -> !n.startsWith("head."));
        Graph separatorSed = tagger(2, "sed.");
        List<String> log = new ArrayList<>();
        Fitting.startFrom(separatorSed, file, "model.sed.weights", "sed.", false, log::add);
        pretrained.params().forEach((n, v) -> {
            if (!n.startsWith("head.")) {
                assertThat(separatorSed.params().get("sed." + n).getArr()).as(n).isEqualTo(v.getArr());
            } else {
                assertThat(separatorSed.params().get("sed." + n).getArr()).as(n).isNotEqualTo(v.getArr());
            }
        });
        assertThat(log).singleElement().asString().contains("started from").contains("keep their initialisation");
        // a complete start (trainer.tagger) refuses a file that lacks parameters
        assertThatThrownBy(() -> Fitting.startFrom(tagger(3, "sed."), file, "trainer.tagger", "sed.", true, s -> { }))
                .hasMessageContaining("trainer.tagger").hasMessageContaining("parameters missing");
    }

    @Test
    void aMissingOrForeignFileIsNamed(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> Fitting.startFrom(tagger(1, ""), dir.resolve("nope.safetensors"), "model.sed.weights", "", false,
                s -> { })).hasMessageContaining("model.sed.weights").hasMessageContaining("nope.safetensors")
                .hasMessageContaining("not found");
        Path foreign = dir.resolve("foreign.safetensors");
        Safetensors.write(foreign, Map.of("encoder.layer.0.weight", TensorData.of(new float[] {1, 1, 1, 1}, 2, 2)), Map.of());
        assertThatThrownBy(() -> Fitting.startFrom(tagger(1, ""), foreign, "model.sed.weights", "", false, s -> { }))
                .hasMessageContaining("does not fit").hasMessageContaining("encoder.layer.0.weight");
    }
}

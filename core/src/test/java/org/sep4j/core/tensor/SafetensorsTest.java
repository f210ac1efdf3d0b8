package org.sep4j.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.testing.Fixtures;

class SafetensorsTest {

    @TempDir
    Path dir;

    @Test
    void roundTrip() throws Exception {
        Map<String, TensorData> t = new LinkedHashMap<>();
        t.put("encoder.0.conv1.weight", TensorData.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        t.put("scalar", TensorData.of(new double[] {Math.PI}));
        Path f = dir.resolve("m.safetensors");
        Safetensors.write(f, t, Map.of("format", "pt"));
        Safetensors.Contents c = Safetensors.read(f);
        assertThat(c.tensors()).isEqualTo(t);
        assertThat(c.metadata()).containsEntry("format", "pt");
        assertThat(c.get("encoder.0.conv1.weight").floats2d()[1]).containsExactly(4, 5, 6);
    }

    @Test
    void readsFilesWrittenByThePythonFixtureScript() {
        Safetensors.Contents c = Fixtures.load("dsp/windows");
        assertThat(c.metadata()).containsKey("torch");
        assertThat(c.get("hann_periodic_400").shape()).containsExactly(400);
        assertThatThrownBy(() -> c.get("nope")).hasMessageContaining("hann_periodic_400");
    }

    @Test
    void corruptFilesAreClearErrors() throws Exception {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> Safetensors.read(f)).hasMessageContaining(f.toString()).hasMessageContaining("3 bytes");
        Map<String, TensorData> t = Map.of("w", TensorData.of(new float[100]));
        Path g = dir.resolve("cut.safetensors");
        byte[] bytes = Safetensors.encode(t, null);
        Files.write(g, java.util.Arrays.copyOf(bytes, bytes.length - 8));
        assertThatThrownBy(() -> Safetensors.read(g)).hasMessageContaining("tensor 'w'").hasMessageContaining("truncated");
    }
}

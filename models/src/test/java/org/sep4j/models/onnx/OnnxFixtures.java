package org.sep4j.models.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.tensor.TensorData;

/** The committed ONNX fixtures (tools/fixtures/make_*_fixtures.py), copied out of the class path for ONNX Runtime. */
final class OnnxFixtures {

    private OnnxFixtures() {}

    /** Copies {@code /fixtures/onnx/<name>} (name may hold a sub-folder) into {@code dir}. */
    static Path copy(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        try (var in = OnnxFixtures.class.getResourceAsStream("/fixtures/onnx/" + name)) {
            if (in == null) {
                throw new IOException("no test resource /fixtures/onnx/" + name);
            }
            Files.copy(in, p);
        }
        return p;
    }

    static INDArray array(TensorData t) {
        return Nd4j.create(t.floats(), t.shape(), 'c');
    }

    static double maxAbs(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }
}

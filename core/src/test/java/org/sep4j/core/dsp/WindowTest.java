package org.sep4j.core.dsp;

import static org.sep4j.core.testing.Close.assertClose;

import org.junit.jupiter.api.Test;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.testing.Fixtures;

class WindowTest {

    private static final Safetensors.Contents GOLD = Fixtures.load("dsp/windows");

    @Test
    void matchTorchWindows() {
        assertClose(GOLD.get("hann_periodic_400").floats(), Window.HANN.create(400, true), 0, 5e-7, "hann periodic");
        assertClose(GOLD.get("hann_symmetric_400").floats(), Window.HANN.create(400, false), 0, 5e-7, "hann symmetric");
        assertClose(GOLD.get("hamming_periodic_512").floats(), Window.HAMMING.create(512, true), 0, 5e-7, "hamming periodic");
        assertClose(GOLD.get("hamming_symmetric_31").floats(), Window.HAMMING.create(31, false), 0, 5e-7, "hamming symmetric");
        assertClose(GOLD.get("povey_400").floats(), Window.POVEY.create(400, true), 0, 1e-6, "povey (always symmetric)");
    }

    @Test
    void shortWindowIsPaddedCentrally() {
        float[] w = Window.padCentered(new float[] {1, 2, 3}, 8);
        assertClose(new float[] {0, 0, 1, 2, 3, 0, 0, 0}, w, 0, 0, "centred padding");
    }
}

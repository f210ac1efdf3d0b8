package org.sep4j.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkingTest {

    private static float[] noise(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static float maxDiff(float[] a, float[] b) {
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void anIdentityChunkFunctionReproducesTheSignal() {
        // 10 s at 16 kHz through 4-s chunks, 1 s overlap; also lengths at and around chunk edges
        for (Chunking.Fade fade : Chunking.Fade.values()) {
            Chunking c = new Chunking(64_000, 16_000, fade);
            for (int n : new int[] {160_000, 64_000, 63_999, 64_001, 112_000, 1_000}) {
                float[] x = noise(n, n);
                int count = c.count(n);
                float[][] chunks = new float[count][];
                for (int k = 0; k < count; k++) {
                    chunks[k] = c.chunk(x, k);
                }
                float[] y = c.stitch(chunks, n);
                assertThat(y).hasSize(n);
                assertThat(maxDiff(x, y)).as(fade + " n=" + n).isLessThan(1e-6f);
            }
        }
    }

    @Test
    void chunksCoverTheSignalWithTheGivenOverlapAndCrossFadeNeighbours() {
        Chunking c = new Chunking(100, 20, Chunking.Fade.LINEAR);
        assertThat(c.count(100)).isEqualTo(1);
        assertThat(c.count(101)).isEqualTo(2);
        assertThat(c.count(180)).isEqualTo(2);
        assertThat(c.count(181)).isEqualTo(3);
        float[] x = noise(180, 1);
        assertThat(c.chunk(x, 1)[0]).isEqualTo(x[80]);
        // two constant chunks, 0 and 1: across the overlap the output ramps from 0 to 1
        float[] y = c.stitch(new float[][] {new float[100], filled(100, 1f)}, 180);
        assertThat(y[79]).isZero();
        assertThat(y[80]).isCloseTo(0.025f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(y[99]).isCloseTo(0.975f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(y[100]).isEqualTo(1f);
        assertThatThrownBy(() -> new Chunking(100, 100, Chunking.Fade.HANN)).hasMessageContaining("overlap < length");
        assertThatThrownBy(() -> c.stitch(new float[1][100], 180)).hasMessageContaining("take 2 chunks");
        assertThatThrownBy(() -> Chunking.Fade.parse("box")).hasMessageContaining("linear or hann");
    }

    private static float[] filled(int n, float v) {
        float[] x = new float[n];
        java.util.Arrays.fill(x, v);
        return x;
    }
}

package org.sep4j.training.sslam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** EAT's inverse block masks: the exact visible count per row, visible patches in blocks, one draw per seed. */
class InverseBlockMaskTest {

    @Test
    void everyRowKeepsExactlyAFifthVisibleInBlocks() {
        InverseBlockMask m = InverseBlockMask.eat();
        boolean[][] masks = m.masks(64, 64, 8, new SplittableRandom(3)); // a 10-s clip's 64 × 8 patch grid, 8 clones × 8 clips
        assertThat(m.visible(64, 8)).isEqualTo(102);
        double clustered = 0;
        double shown = 0;
        for (boolean[] row : masks) {
            int visible = 0;
            for (boolean x : row) {
                visible += x ? 0 : 1;
            }
            assertThat(visible).isEqualTo(102);
            clustered += visibleWithVisibleNeighbour(row, 64, 8);
            shown += visible;
        }
        // blocks: nearly every visible patch touches another (a uniform 20 % draw: 1 − 0.8^4 ≈ 59 %)
        assertThat(clustered / shown).isGreaterThan(0.9);
        assertThat(masks[0]).as("each row its own blocks").isNotEqualTo(masks[1]);
        assertThat(m.masks(64, 64, 8, new SplittableRandom(3))).isDeepEqualTo(masks);
    }

    @Test
    void aUniformDrawWouldNotPassTheBlockCheck() {
        SplittableRandom r = new SplittableRandom(5);
        boolean[] row = new boolean[512];
        for (int k = 0; k < row.length; k++) {
            row[k] = r.nextDouble() >= 0.2;
        }
        int visible = 0;
        for (boolean x : row) {
            visible += x ? 0 : 1;
        }
        assertThat(visibleWithVisibleNeighbour(row, 64, 8) / (double) visible).isLessThan(0.75);
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> new InverseBlockMask(1.0, 5, 0.07)).hasMessageContaining("mask ratio in (0, 1)");
    }

    private static int visibleWithVisibleNeighbour(boolean[] masked, int rows, int cols) {
        int n = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (masked[r * cols + c]) {
                    continue;
                }
                boolean near = r > 0 && !masked[(r - 1) * cols + c] || r < rows - 1 && !masked[(r + 1) * cols + c]
                        || c > 0 && !masked[r * cols + c - 1] || c < cols - 1 && !masked[r * cols + c + 1];
                n += near ? 1 : 0;
            }
        }
        return n;
    }
}

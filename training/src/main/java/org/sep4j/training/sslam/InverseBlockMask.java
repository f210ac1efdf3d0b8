package org.sep4j.training.sslam;

import java.util.SplittableRandom;

/**
 * data2vec 2.0's inverse block masking on a patch grid, as EAT and SSLAM pre-train with it: what
 * stays visible is a few square blocks around random centres (clamped at the grid's edges), and
 * everything else is masked. The number of centres is ⌊L·(1 − p + adjust)/k²⌋ for L patches, mask
 * ratio p and block side k; then every row is evened out to exactly ⌊L·(1 − p)⌋ visible patches
 * (random visible ones hidden, or random hidden ones shown), so a batch's rows hold the same number
 * of visible tokens and the student's input has one shape. EAT: p = 0.8, k = 5, adjust = 0.07.
 */
public final class InverseBlockMask {

    private final double maskRatio;
    private final int block;
    private final double adjust;

    public InverseBlockMask(double maskRatio, int block, double adjust) {
        if (!(maskRatio > 0 && maskRatio < 1) || block < 1 || !(adjust >= 0)) {
            throw new IllegalArgumentException("inverse block mask: mask ratio in (0, 1), block at least 1 and adjust at least 0; "
                    + "got " + maskRatio + ", " + block + ", " + adjust);
        }
        this.maskRatio = maskRatio;
        this.block = block;
        this.adjust = adjust;
    }

    /** EAT's and SSLAM's masking: 80 % of patches, 5×5 visible blocks, adjust 0.07. */
    public static InverseBlockMask eat() {
        return new InverseBlockMask(0.8, 5, 0.07);
    }

    /** Visible patches of every row on a {@code rows × cols} grid. */
    public int visible(int rows, int cols) {
        return (int) (rows * cols * (1 - maskRatio));
    }

    /**
     * {@code batch} masks over a {@code rows × cols} grid (patch r·cols + c), true where masked; each
     * row draws its own blocks from {@code random}.
     */
    public boolean[][] masks(int batch, int rows, int cols, SplittableRandom random) {
        int n = rows * cols;
        int keep = visible(rows, cols);
        int centres = (int) (n * ((1 - maskRatio) + adjust) / (block * (double) block));
        int off = block / 2;
        boolean[][] masked = new boolean[batch][n];
        for (int b = 0; b < batch; b++) {
            boolean[] shown = new boolean[n];
            for (int c = 0; c < centres; c++) {
                int at = random.nextInt(n);
                int r0 = at / cols;
                int c0 = at % cols;
                for (int i = 0; i < block; i++) {
                    for (int j = 0; j < block; j++) {
                        int r = Math.min(rows - 1, Math.max(0, r0 + i - off));
                        int q = Math.min(cols - 1, Math.max(0, c0 + j - off));
                        shown[r * cols + q] = true;
                    }
                }
            }
            even(shown, keep, random);
            for (int k = 0; k < n; k++) {
                masked[b][k] = !shown[k];
            }
        }
        return masked;
    }

    /** Hides random shown patches, or shows random hidden ones, until exactly {@code keep} are shown. */
    private static void even(boolean[] shown, int keep, SplittableRandom random) {
        int count = 0;
        for (boolean s : shown) {
            count += s ? 1 : 0;
        }
        while (count != keep) {
            boolean hide = count > keep;
            int pick = random.nextInt(hide ? count : shown.length - count); // the pick-th patch of the kind to flip
            for (int k = 0; k < shown.length; k++) {
                if (shown[k] == hide && pick-- == 0) {
                    shown[k] = !hide;
                    break;
                }
            }
            count += hide ? -1 : 1;
        }
    }
}

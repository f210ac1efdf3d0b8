package org.sep4j.evaluation.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.testing.Fixtures;

class TaggingTest {

    private static final Safetensors.Contents GOLD = Fixtures.load("metrics/tagging");

    private static float[] column(float[][] m, int c) {
        float[] out = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i][c];
        }
        return out;
    }

    @Test
    void matchScikitLearn() {
        float[][] y = GOLD.get("tag.y").floats2d();
        float[][] s = GOLD.get("tag.scores").floats2d();
        double[] ap = GOLD.get("tag.ap").doubles();
        double[] pauc = GOLD.get("tag.pauc01").doubles();
        double[] auc = GOLD.get("tag.auc").doubles();
        for (int c = 0; c < ap.length; c++) {
            assertThat(Tagging.averagePrecision(column(y, c), column(s, c))).as("AP class %d", c).isCloseTo(ap[c], Offset.offset(1e-9));
            assertThat(Tagging.partialRocAuc(column(y, c), column(s, c), 0.1)).as("pAUC class %d", c).isCloseTo(pauc[c], Offset.offset(1e-9));
            assertThat(Tagging.rocAuc(column(y, c), column(s, c))).as("AUC class %d", c).isCloseTo(auc[c], Offset.offset(1e-9));
        }
        double mean = 0;
        for (double v : ap) {
            mean += v / ap.length;
        }
        assertThat(Tagging.meanAveragePrecision(y, s)).isCloseTo(mean, Offset.offset(1e-9));
    }

    @Test
    void analyticCases() {
        float[] y = {1, 0, 1, 0};
        assertThat(Tagging.averagePrecision(y, new float[] {0.9f, 0.1f, 0.8f, 0.2f})).isEqualTo(1.0);
        assertThat(Tagging.rocAuc(y, new float[] {0.9f, 0.1f, 0.8f, 0.2f})).isEqualTo(1.0);
        assertThat(Tagging.partialRocAuc(y, new float[] {0.9f, 0.1f, 0.8f, 0.2f}, 0.1)).isEqualTo(1.0);
        assertThat(Tagging.rocAuc(y, new float[] {0.1f, 0.9f, 0.2f, 0.8f})).isEqualTo(0.0);
        assertThat(Tagging.averagePrecision(new float[] {0, 0}, new float[] {0.3f, 0.4f})).isNaN();
        float[][] truth = {{1, 0}, {0, 1}, {1, 1}};
        assertThat(Tagging.macroF1(truth, new float[][] {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.7f, 0.3f}}, 0.5))
                .isCloseTo((1.0 + 2.0 / 3) / 2, Offset.offset(1e-12));
    }

    @Test
    void segmentsPoolFramesByMax() {
        // one clip, 50 frames, 1 class: positive in frames 10..14 only; 2 segments of 25 frames
        float[][][] truth = new float[1][50][1];
        float[][][] scores = new float[1][50][1];
        for (int f = 10; f < 15; f++) {
            truth[0][f][0] = 1;
        }
        scores[0][12][0] = 0.9f;   // segment 0 peak
        scores[0][40][0] = 0.3f;   // segment 1 peak
        float[][][] truth2 = {truth[0], truth[0]};
        float[][][] scores2 = {scores[0], scores[0]};
        assertThat(Tagging.segmentPartialRocAuc(truth2, scores2, 25, 1.0)).isEqualTo(1.0);
        scores[0][40][0] = 0.95f;  // the negative segment now outranks the positive one
        assertThat(Tagging.segmentPartialRocAuc(new float[][][] {truth[0]}, new float[][][] {scores[0]}, 25, 1.0)).isEqualTo(0.0);
    }
}

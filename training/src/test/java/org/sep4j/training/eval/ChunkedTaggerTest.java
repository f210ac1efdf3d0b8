package org.sep4j.training.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sep4j.core.audio.Audio;

/** Chunk pooling and frame stitching with stand-in taggers whose outputs are known in closed form. */
class ChunkedTaggerTest {

    private static final int RATE = 16_000;
    private static final int CHUNK = 16_000;        // 1-s chunks
    private static final int FRAMES = 50;           // 320-sample frames
    private static final int FRAME = CHUNK / FRAMES;

    @Test
    void framesAreStitchedInTimeAcrossChunksThatDoNotAlignWithTheFrameGrid() {
        int n = 3 * RATE + 1234;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) i / n;                   // a ramp: each frame's value says where it came from
        }
        // 0.25-s overlap: a 12,000-sample hop is 37.5 frames, so chunk frames and output frames interleave
        InferenceSettings s = new InferenceSettings(0.25, "hann", "max", 3, "onnx");
        ChunkedTagger tagger = new ChunkedTagger(chunks -> clip(chunks), ChunkedTaggerTest::frames, CHUNK, RATE, s);
        ChunkedTagger.Tags t = tagger.tag(Audio.mono(x, RATE));
        assertThat(t.frameRate()).isEqualTo(50.0);
        assertThat(t.frames()).hasNumberOfRows((n + FRAME - 1) / FRAME);
        for (int f = 0; f < t.frames().length - 1; f++) {
            double centre = (f + 0.5) * FRAME;
            // within half a frame of the output frame's centre, whichever chunk frames were blended
            assertThat((double) t.frames()[f][0]).as("frame " + f).isCloseTo(centre / n,
                    org.assertj.core.data.Offset.offset(0.5 * FRAME / n + 1e-6));
        }
        // clip: the max (or mean) over the 4 chunks (starts 0, 12000, 24000, 36000) of each chunk's
        // mean sample, the last chunk zero-padded past the end
        double[] means = new double[4];
        for (int k = 0; k < 4; k++) {
            for (int i = 12_000 * k; i < Math.min(n, 12_000 * k + CHUNK); i++) {
                means[k] += x[i] / (double) CHUNK;
            }
        }
        double max = java.util.Arrays.stream(means).max().orElseThrow();
        double avg = java.util.Arrays.stream(means).average().orElseThrow();
        assertThat((double) t.clip()[0]).isCloseTo(max, org.assertj.core.data.Offset.offset(1e-5));
        InferenceSettings mean = new InferenceSettings(0.25, "hann", "mean", 1, "onnx");
        float[] pooled = new ChunkedTagger(ChunkedTaggerTest::clip, CHUNK, RATE, mean).probabilities(Audio.mono(x, RATE));
        assertThat((double) pooled[0]).isCloseTo(avg, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void aRecordingAtAnotherRateIsTaggedAtTheTaggersRate() {
        float[] x = new float[2 * 32_000];
        java.util.Arrays.fill(x, 0.5f);
        ChunkedTagger tagger = new ChunkedTagger(ChunkedTaggerTest::clip, ChunkedTaggerTest::frames, CHUNK, RATE,
                InferenceSettings.DEFAULT);
        ChunkedTagger.Tags t = tagger.tag(Audio.mono(x, 32_000));
        assertThat(t.frames()).hasNumberOfRows(2 * 50);                 // 2 s at 50 frames per second
        assertThat(t.frames()[50][0]).isCloseTo(0.5f, org.assertj.core.data.Offset.offset(0.01f));
    }

    /** One "class": the chunk's mean sample. */
    private static List<float[]> clip(float[][] chunks) {
        List<float[]> out = new ArrayList<>();
        for (float[] c : chunks) {
            double s = 0;
            for (float v : c) {
                s += v;
            }
            out.add(new float[] {(float) (s / c.length)});
        }
        return out;
    }

    /** One "class" per frame: the chunk's sample at the frame centre. */
    private static List<float[][]> frames(float[][] chunks) {
        List<float[][]> out = new ArrayList<>();
        for (float[] c : chunks) {
            float[][] f = new float[FRAMES][1];
            for (int j = 0; j < FRAMES; j++) {
                f[j][0] = c[(int) ((j + 0.5) * FRAME)];
            }
            out.add(f);
        }
        return out;
    }
}

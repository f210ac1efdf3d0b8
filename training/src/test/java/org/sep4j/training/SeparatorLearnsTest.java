package org.sep4j.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.dsp.StftConfig;
import org.sep4j.core.track.LocalTracker;
import org.sep4j.core.track.RunInfo;
import org.sep4j.evaluation.metrics.SiSdr;
import org.sep4j.models.nn.Activations;
import org.sep4j.models.nn.Conv2d;
import org.sep4j.models.nn.DiffStft;
import org.sep4j.models.nn.Graph;
import org.sep4j.training.loss.Losses;
import org.sep4j.training.optim.LrSchedule;
import org.sep4j.training.optim.Optimizer;
import org.sep4j.training.optim.ParamGroup;

/**
 * The engine learns, not only runs: a small convolutional mask network on the in-graph STFT learns
 * to pull a low tone out of a mixture with a high tone and noise, trained on negative SI-SDR.
 */
class SeparatorLearnsTest {

    private static final int N = 4000;   // 0.5 s at 8 kHz
    private static final int BATCH = 8;

    /** mixture, target for one example (random frequencies, phases and levels). */
    private static float[][] example(SplittableRandom r) {
        double fLow = 250 + 300 * r.nextDouble();
        double fHigh = 1400 + 1200 * r.nextDouble();
        double aHigh = 0.5 + r.nextDouble();
        double ph1 = r.nextDouble() * 6.28;
        double ph2 = r.nextDouble() * 6.28;
        float[] mix = new float[N];
        float[] low = new float[N];
        for (int i = 0; i < N; i++) {
            low[i] = (float) (0.5 * Math.sin(2 * Math.PI * fLow * i / 8000 + ph1));
            mix[i] = low[i] + (float) (0.5 * aHigh * Math.sin(2 * Math.PI * fHigh * i / 8000 + ph2)
                    + 0.05 * (r.nextDouble() * 2 - 1));
        }
        return new float[][] {mix, low};
    }

    private static Map<String, INDArray> batch(long step) {
        SplittableRandom r = new SplittableRandom(7 + step);
        float[][] mix = new float[BATCH][];
        float[][] tgt = new float[BATCH][];
        for (int b = 0; b < BATCH; b++) {
            float[][] e = example(r);
            mix[b] = e[0];
            tgt[b] = e[1];
        }
        return Map.of("mix", Nd4j.create(mix), "target", Nd4j.create(tgt));
    }

    @Test
    void maskNetworkSeparatesTwoTones(@TempDir Path dir) throws Exception {
        Graph g = new Graph(11);
        SDVariable mix = g.input("mix", -1, N);
        SDVariable target = g.input("target", -1, N);
        DiffStft stft = new DiffStft(StftConfig.of(256, 64));
        SDVariable[] spec = stft.forward(g, mix);                                             // [B, F, T]
        SDVariable mag = g.sd().math().sqrt(spec[0].mul(spec[0]).add(spec[1].mul(spec[1])).add(1e-8));
        SDVariable logMag = g.sd().math().log(mag.add(1e-3)).reshape(-1, 1, stft.bins(), stft.frames(N));
        // Convolutions are blind to absolute frequency; a coordinate channel (bin index / F) lets the
        // network tell the low tone from the high one (CoordConv).
        INDArray coord = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 1, stft.bins(), stft.frames(N));
        for (int f = 0; f < stft.bins(); f++) {
            for (int t = 0; t < stft.frames(N); t++) {
                coord.putScalar(new long[] {0, 0, f, t}, (double) f / stft.bins());
            }
        }
        SDVariable coordB = logMag.mul(0).add(g.sd().constant(coord));
        SDVariable feat = g.sd().concat(1, logMag.mul(0.2), coordB);
        SDVariable h = Activations.leakyRelu(g, Conv2d.same("conv1", 2, 8, 3).apply(g, feat), 0.01);
        h = Activations.leakyRelu(g, Conv2d.same("conv2", 8, 8, 3).apply(g, h), 0.01);
        SDVariable mask = Activations.sigmoid(g, Conv2d.same("conv3", 8, 1, 3).apply(g, h)).reshape(-1, stft.bins(), stft.frames(N));
        SDVariable est = stft.inverse(g, spec[0].mul(mask), spec[1].mul(mask), N);
        est = g.sd().identity("estimate", est);
        SDVariable loss = Losses.negSiSdr(g.sd(), est, target);
        g.sd().setLossVariables(loss);
        LocalTracker tracker = new LocalTracker();
        tracker.start(new RunInfo("sep", "sep", "test", dir.resolve("run")), Map.of());
        new Trainer(g, loss.name(), new Optimizer(Optimizer.Settings.adamw(true), List.of(ParamGroup.all(0))),
                LrSchedule.cosine(3e-3, 10, 100), new Trainer.Settings(100, 1.0, 10, 1000), tracker, dir.resolve("ckpt"))
                .fit(SeparatorLearnsTest::batch);
        // held-out examples: SI-SDR of the estimate minus SI-SDR of the mixture
        Map<String, INDArray> test = batch(100_000);
        INDArray out = g.output(test, "estimate").get("estimate");
        double improvement = 0;
        for (int b = 0; b < BATCH; b++) {
            float[] e = out.getRow(b).toFloatVector();
            float[] t = test.get("target").getRow(b).toFloatVector();
            float[] m = test.get("mix").getRow(b).toFloatVector();
            improvement += (SiSdr.siSdr(e, t) - SiSdr.siSdr(m, t)) / BATCH;
        }
        assertThat(improvement).as("mean SI-SDR improvement, dB").isGreaterThan(10);
    }
}

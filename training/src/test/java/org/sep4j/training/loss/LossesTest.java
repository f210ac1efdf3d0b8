package org.sep4j.training.loss;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.BiFunction;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.testing.Signals;
import org.sep4j.evaluation.metrics.SiSdr;
import org.sep4j.evaluation.metrics.Snr;

/** The graph losses against the metric implementations of evaluation.metrics and closed forms. */
class LossesTest {

    private static double eval(float[][] est, float[][] ref, float[] mask,
            java.util.function.Function<SameDiff, SDVariable[]> inputs, BiFunction<SameDiff, SDVariable[], SDVariable> loss) {
        SameDiff sd = SameDiff.create();
        SDVariable[] in = inputs.apply(sd);
        SDVariable l = loss.apply(sd, in);
        Map<String, INDArray> ph = new java.util.HashMap<>();
        ph.put("est", Nd4j.create(est).castTo(DataType.DOUBLE));
        ph.put("ref", Nd4j.create(ref).castTo(DataType.DOUBLE));
        if (mask != null) {
            ph.put("mask", Nd4j.createFromArray(mask).castTo(DataType.DOUBLE));
        }
        return sd.output(ph, l.name()).get(l.name()).getDouble(0);
    }

    private static SDVariable[] vars(SameDiff sd) {
        return new SDVariable[] {sd.placeHolder("est", DataType.DOUBLE, -1, 800), sd.placeHolder("ref", DataType.DOUBLE, -1, 800),
            sd.placeHolder("mask", DataType.DOUBLE, -1)};
    }

    @Test
    void snrAndSiSdrLossesEqualTheMetrics() {
        float[][] ref = {Signals.noise(1, 800, 1), Signals.noise(2, 800, 1), Signals.noise(3, 800, 1)};
        float[][] est = new float[3][800];
        for (int i = 0; i < 3; i++) {
            float[] n = Signals.noise(10 + i, 800, 0.3 * (i + 1));
            for (int t = 0; t < 800; t++) {
                est[i][t] = 0.8f * ref[i][t] + n[t];
            }
        }
        double snrMean = 0;
        double siMean = 0;
        for (int i = 0; i < 3; i++) {
            snrMean += Snr.snr(est[i], ref[i]) / 3;
            siMean += SiSdr.siSdr(est[i], ref[i]) / 3;
        }
        assertThat(eval(est, ref, null, LossesTest::vars, (sd, v) -> Losses.negSnr(sd, v[0], v[1])))
                .isCloseTo(-snrMean, Offset.offset(1e-4));
        assertThat(eval(est, ref, null, LossesTest::vars, (sd, v) -> Losses.negSiSdr(sd, v[0], v[1])))
                .isCloseTo(-siMean, Offset.offset(1e-4));
        // the mask drops the third signal
        double firstTwo = (Snr.snr(est[0], ref[0]) + Snr.snr(est[1], ref[1])) / 2;
        assertThat(eval(est, ref, new float[] {1, 1, 0}, LossesTest::vars, (sd, v) -> Losses.negSnr(sd, v[0], v[1], v[2])))
                .isCloseTo(-firstTwo, Offset.offset(1e-4));
    }

    @Test
    void bceWithLogitsIsStableAndExact() {
        float[][] logits = {{-40f, -1f, 0f, 2f, 35f}};
        float[][] y = {{0f, 1f, 0f, 1f, 1f}};
        double expected = 0;
        for (int i = 0; i < 5; i++) {
            double x = logits[0][i];
            double p = 1 / (1 + Math.exp(-x));
            expected += -(y[0][i] * Math.log(Math.max(p, 1e-300)) + (1 - y[0][i]) * Math.log(Math.max(1 - p, 1e-300))) / 5;
        }
        double got = eval(logits, y, null, sd -> new SDVariable[] {sd.placeHolder("est", DataType.DOUBLE, -1, 5),
            sd.placeHolder("ref", DataType.DOUBLE, -1, 5)}, (sd, v) -> Losses.bceWithLogits(sd, v[0], v[1]));
        assertThat(got).isCloseTo(expected, Offset.offset(1e-9));
        assertThat(eval(new float[][] {{1, 2}}, new float[][] {{2, 4}}, null, sd -> new SDVariable[] {
            sd.placeHolder("est", DataType.DOUBLE, -1, 2), sd.placeHolder("ref", DataType.DOUBLE, -1, 2)},
            (sd, v) -> Losses.mse(sd, v[0], v[1]))).isCloseTo(2.5, Offset.offset(1e-12));
    }

    /** Finite differences of the SNR-family losses with respect to the estimate. */
    @Test
    void gradientsOfTheSignalLosses() {
        for (String which : new String[] {"snr", "sisdr"}) {
            SameDiff sd = SameDiff.create();
            INDArray est0 = Nd4j.create(new float[][] {Signals.noise(4, 64, 1), Signals.noise(5, 64, 1)}).castTo(DataType.DOUBLE);
            INDArray ref = Nd4j.create(new float[][] {Signals.noise(6, 64, 1), Signals.noise(7, 64, 1)}).castTo(DataType.DOUBLE);
            SDVariable est = sd.var("est", est0.dup());
            SDVariable r = sd.constant(ref);
            SDVariable loss = which.equals("snr") ? Losses.negSnr(sd, est, r) : Losses.negSiSdr(sd, est, r);
            sd.setLossVariables(loss);
            INDArray g = sd.calculateGradients(Map.of(), "est").get("est");
            INDArray p = est.getArr();
            for (int[] ix : new int[][] {{0, 0}, {1, 33}, {0, 63}}) {
                double orig = p.getDouble(ix[0], ix[1]);
                p.putScalar(ix[0], ix[1], orig + 1e-6);
                double plus = sd.output(Map.of(), loss.name()).get(loss.name()).getDouble(0);
                p.putScalar(ix[0], ix[1], orig - 1e-6);
                double minus = sd.output(Map.of(), loss.name()).get(loss.name()).getDouble(0);
                p.putScalar(ix[0], ix[1], orig);
                assertThat(g.getDouble(ix[0], ix[1])).as("%s gradient at %s", which, java.util.Arrays.toString(ix))
                        .isCloseTo((plus - minus) / 2e-6, Offset.offset(1e-5));
            }
        }
    }

    @Test
    void infoNceIsTheMeanCrossEntropyOfEachRowToItsDiagonal() {
        // a row of large logits checks the max shift (exp(300) overflows a double without it)
        double[][] logits = {{2.0, -1.0, 0.5}, {0.1, 0.3, -2.0}, {300.0, 299.0, 301.0}};
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            double max = Math.max(logits[i][0], Math.max(logits[i][1], logits[i][2]));
            double z = 0;
            for (double v : logits[i]) {
                z += Math.exp(v - max);
            }
            expected += (max + Math.log(z) - logits[i][i]) / 3;
        }
        SameDiff sd = SameDiff.create();
        SDVariable l = Losses.infoNce(sd, sd.placeHolder("logits", DataType.DOUBLE, 3, 3), 3);
        double got = sd.output(Map.of("logits", Nd4j.create(logits)), l.name()).get(l.name()).getDouble(0);
        assertThat(got).isCloseTo(expected, Offset.offset(1e-9));
    }
}

package org.sep4j.models.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sep4j.core.testing.Close.assertClose;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.dsp.PadMode;
import org.sep4j.core.dsp.Spectrogram;
import org.sep4j.core.dsp.Stft;
import org.sep4j.core.dsp.StftConfig;
import org.sep4j.core.testing.Close;
import org.sep4j.core.testing.Signals;

class DiffStftTest {

    private static float[] flat(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    @Test
    void matchesCoreStftAndInvertsItself() {
        float[][] x = {Signals.noise(1, 3000, 0.5), Signals.twoTones(3000, 16000)};
        for (StftConfig cfg : new StftConfig[] {StftConfig.of(256, 64), StftConfig.of(400, 160).withPadMode(PadMode.CONSTANT),
                StftConfig.of(512, 160).withNormalized(true)}) {
            Graph g = new Graph(1);
            SDVariable in = g.input("x", -1, 3000);
            DiffStft st = new DiffStft(cfg);
            SDVariable[] spec = st.forward(g, in);
            SDVariable back = st.inverse(g, spec[0], spec[1], 3000);
            Map<String, INDArray> out = g.output(Map.of("x", Nd4j.create(x)), spec[0].name(), spec[1].name(), back.name());
            Spectrogram ref = new Stft(cfg).forward(x);
            assertClose(ref.re(), flat(out.get(spec[0].name())), 1e-4, 1e-5, cfg + " real");
            assertClose(ref.im(), flat(out.get(spec[1].name())), 1e-4, 1e-5, cfg + " imaginary");
            assertClose(Close.flatten(x), flat(out.get(back.name())), 0, 1e-4, cfg + " round trip");
        }
    }

    /** Finite differences in float64 through both transforms: gradients reach the signal and are right. */
    @Test
    void gradientsReachTheSignal() {
        boolean helpers = Nd4j.getEnvironment().helpersAllowed();
        Nd4j.getEnvironment().allowHelpers(false); // no float64 oneDNN kernels
        try {
            for (PadMode mode : PadMode.values()) {
                checkGradients(StftConfig.of(128, 32).withPadMode(mode));
            }
        } finally {
            Nd4j.getEnvironment().allowHelpers(helpers);
        }
    }

    private static void checkGradients(StftConfig cfg) {
        {
            Graph g = new Graph(1, DataType.DOUBLE);
            INDArray x0 = Nd4j.create(new float[][] {Signals.noise(3, 600, 1)}).castTo(DataType.DOUBLE);
            SDVariable x = g.param("x", x0.dup());
            DiffStft st = new DiffStft(cfg);
            SDVariable[] spec = st.forward(g, x);
            SDVariable energy = spec[0].mul(spec[0]).add(spec[1].mul(spec[1])).sum();
            Nd4j.getRandom().setSeed(5);
            INDArray r = Nd4j.rand(DataType.DOUBLE, 1, 600);
            SDVariable loss = energy.mul(1e-3).add(st.inverse(g, spec[0].mul(0.5), spec[1], 600).mul(g.sd().constant(r)).sum());
            g.sd().setLossVariables(loss);
            INDArray grad = g.gradients(Map.of(), java.util.List.of("x")).get("x");
            INDArray p = g.params().get("x").getArr();
            for (int i : new int[] {0, 17, 300, 599}) {
                double orig = p.getDouble(0, i);
                p.putScalar(0, i, orig + 1e-6);
                double plus = g.output(Map.of(), loss.name()).get(loss.name()).getDouble(0);
                p.putScalar(0, i, orig - 1e-6);
                double minus = g.output(Map.of(), loss.name()).get(loss.name()).getDouble(0);
                p.putScalar(0, i, orig);
                double numeric = (plus - minus) / 2e-6;
                assertThat(grad.getDouble(0, i)).as("%s: d loss / d x[%d]", cfg.padMode(), i)
                        .isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-6 * (1 + Math.abs(numeric))));
            }
        }
    }
}

package org.sep4j.models.sep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.ModelGradients;
import org.sep4j.models.sed.SedConfig;
import org.sep4j.models.sed.SedTagger;

class SeparatorModelTest {

    /** A micro separator with every option on: 2 encoder levels, 16-point STFT, a 1-block SED. */
    static SeparatorConfig micro(boolean timeFilm, boolean soundbeam, boolean dprnn, int iterations) {
        return micro(timeFilm, "additive", soundbeam, "add", dprnn, iterations);
    }

    static SeparatorConfig micro(boolean timeFilm, String filmMode, boolean soundbeam, String merge, boolean dprnn, int iterations) {
        return new SeparatorConfig(16, 8, 2, List.of(4, 6), List.of(2, 1), List.of(2, 2), 1, 8,
                new SeparatorConfig.TimeFilm(timeFilm, filmMode), new SeparatorConfig.Soundbeam(soundbeam, true, merge),
                new SeparatorConfig.Dprnn(dprnn, 1, 3, 1, 0.0), new SeparatorConfig.Iterations(iterations), null);
    }

    static SedConfig microSed() {
        return new SedConfig(16000, 32, 32, 16, 8, 0, 8000, "slaney", 0, 1, 4, 8, 1, 2, 2, 1e-6, "attention", 6, 0, null, "m2d");
    }

    private static final int SAMPLES = 128;
    private static final int CLASSES = 3;

    private static Map<String, INDArray> inputs(ResUNet net, SedTagger sed, int iterations) {
        INDArray wave = ModelGradients.random(1, 2, 2, SAMPLES);
        float[][][] mix = new float[2][2][];
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < 2; c++) {
                mix[b][c] = wave.slice(b).slice(c).toFloatVector();
            }
        }
        Map<String, INDArray> in = new HashMap<>();
        net.analyse(mix).forEach((k, v) -> in.put(k, v.castTo(DataType.DOUBLE)));
        INDArray q = Nd4j.zeros(DataType.DOUBLE, 2, CLASSES);
        q.putScalar(0, 1, 1);
        q.putScalar(1, 2, 1);
        in.put(ResUNet.QUERY, q);
        in.put(ResUNet.ACTIVE, Nd4j.ones(DataType.DOUBLE, 2, 1));
        if (sed != null) {
            in.put(ResUNet.LOGMEL, ModelGradients.random(2, 2, 1, 8, sed.frames()));
        }
        if (iterations > 1) {
            in.put(ResUNet.FEEDBACK, net.feedback(ModelGradients.random(3, 2, 1, SAMPLES)).castTo(DataType.DOUBLE));
        }
        return in;
    }

    @Test
    void gradientsOfTheWholeSeparatorWithEveryOption() {
        SeparatorConfig cfg = micro(true, true, true, 2);
        SedTagger sed = new SedTagger(microSed(), "sed.", CLASSES, SAMPLES);
        Graph g = new Graph(11, DataType.DOUBLE);
        ResUNet net = new ResUNet(cfg, sed, CLASSES, SAMPLES);
        ResUNet.Built built = net.build(g, -1);
        ModelGradients.check(g, built.estimate(), inputs(net, sed, 2));
    }

    @Test
    void gradientsWithMultiplicativeTimeFilmAndConcatMerge() {
        SeparatorConfig cfg = micro(true, "multiplicative", true, "concat", false, 1);
        SedTagger sed = new SedTagger(microSed(), "sed.", CLASSES, SAMPLES);
        Graph g = new Graph(12, DataType.DOUBLE);
        ResUNet net = new ResUNet(cfg, sed, CLASSES, SAMPLES);
        ModelGradients.check(g, net.build(g, -1).estimate(), inputs(net, sed, 1));
        assertThat(g.params()).containsKey("soundbeam.merge.weight").doesNotContainKey("soundbeam.alpha");
    }

    @Test
    void silentQueriesGiveSilenceAndShapesFollowTheInput() {
        SeparatorConfig cfg = micro(false, false, false, 1);
        Graph g = new Graph(3, DataType.DOUBLE);
        ResUNet net = new ResUNet(cfg, null, CLASSES, SAMPLES);
        ResUNet.Built built = net.build(g, -1);
        Map<String, INDArray> in = inputs(net, null, 1);
        in.get(ResUNet.ACTIVE).putScalar(1, 0, 0.0);
        INDArray y = g.output(in, ResUNet.ESTIMATE).get(ResUNet.ESTIMATE);
        assertThat(y.shape()).containsExactly(2, 1, SAMPLES);
        assertThat(y.slice(1).amaxNumber().doubleValue()).isZero();
        assertThat(y.slice(0).amaxNumber().doubleValue()).isGreaterThan(0);
    }

    @Test
    void everyAblationSwitchChangesTheGraph() {
        SedTagger sed = new SedTagger(microSed(), "sed.", CLASSES, SAMPLES);
        long all = count(micro(true, true, false, 1), sed);
        long noTimeFilm = count(micro(false, true, false, 1), sed);
        long noSoundbeam = count(micro(true, false, false, 1), sed);
        long withDprnn = count(micro(true, true, true, 1), sed);
        long iterative = count(micro(true, true, false, 3), sed);
        assertThat(List.of(noTimeFilm, noSoundbeam, withDprnn, iterative)).doesNotContain(all).doesNotHaveDuplicates();
        assertThat(withDprnn).isGreaterThan(all);
        assertThat(noTimeFilm).isLessThan(all);
        assertThat(noSoundbeam).isLessThan(all);
    }

    private static long count(SeparatorConfig cfg, SedTagger sed) {
        Graph g = new Graph(1);
        new ResUNet(cfg, sed, CLASSES, SAMPLES).build(g, -1);
        return g.parameterCount();
    }

    @Test
    void badSettingsAreRejectedWithTheKeyNamed() {
        assertThatThrownBy(() -> new ResUNet(micro(true, false, false, 1), null, CLASSES, SAMPLES))
                .hasMessageContaining("time_film");
        assertThatThrownBy(() -> new SeparatorConfig(100, 8, 2, List.of(4, 6), List.of(2, 1), List.of(2, 2), 1, 8,
                new SeparatorConfig.TimeFilm(false, "additive"), new SeparatorConfig.Soundbeam(false, true, "add"),
                new SeparatorConfig.Dprnn(false, 1, 3, 1, 0.0), new SeparatorConfig.Iterations(1), null))
                .hasMessageContaining("n_fft");
    }
}

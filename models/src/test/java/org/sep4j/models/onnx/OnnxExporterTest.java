package org.sep4j.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.sed.SedConfig;
import org.sep4j.models.sed.SedTagger;

/** Exported sep4j graphs give, under ONNX Runtime, what SameDiff gives (random weights, free batch axis). */
class OnnxExporterTest {

    private static SedConfig config(String head) {
        return new SedConfig(16000, 32, 32, 16, 16, 0, 8000, "slaney", 0, 1, 4, 16, 2, 2, 2, 1e-6, head, 6, 0, null, "m2d");
    }

    private static Graph tagger(String head) {
        Graph g = new Graph(11);
        g.train(false);
        SedTagger t = new SedTagger(config(head), "", 18, 16000);
        SedTagger.Outputs o = t.apply(g, t.input(g, "logmel"));
        g.sd().identity("clip", o.clip());
        if (o.strong() != null) {
            g.sd().identity("strong", o.strong());
        }
        return g;
    }

    private static void assertParity(Graph g, List<String> outputs, Path dir, long batch) throws IOException {
        Path file = dir.resolve("model.onnx");
        OnnxExporter.export(g, outputs, file);
        long[] shape = g.sd().getVariable("logmel").getShape().clone();
        shape[0] = batch;
        INDArray x = Nd4j.randn(DataType.FLOAT, shape).muli(2);
        Map<String, INDArray> want = g.output(Map.of("logmel", x), outputs.toArray(String[]::new));
        try (OrtModel m = OrtModel.open(file, OrtModel.Options.defaults())) {
            assertThat(m.inputs()).singleElement().satisfies(p -> assertThat(p.shape()[0]).isEqualTo(-1));
            Map<String, INDArray> got = m.run(Map.of("logmel", x));
            for (String o : outputs) {
                assertThat(got.get(o).shape()).as(o).containsExactly(want.get(o).shape());
                double scale = Math.max(1e-3, want.get(o).amaxNumber().doubleValue());
                assertThat(got.get(o).sub(want.get(o)).amaxNumber().doubleValue() / scale).as("%s, batch %d", o, batch)
                        .isLessThan(1e-4);
            }
        }
    }

    @Test
    void theAttentionHeadTaggerRunsInOnnxRuntimeAsInSameDiff(@TempDir Path dir) throws IOException {
        Graph g = tagger("attention");
        assertParity(g, List.of("clip", "strong"), dir, 1);
        assertParity(g, List.of("clip", "strong"), dir, 3);
    }

    @Test
    void theBaselineHeadTaggerRunsInOnnxRuntimeAsInSameDiff(@TempDir Path dir) throws IOException {
        assertParity(tagger("baseline"), List.of("clip"), dir, 2);
    }

    /** The separator with its in-graph ISTFT (the STFT analysis stays outside: mixture magnitude, cos, sin are inputs). */
    private static void separatorParity(org.sep4j.models.sep.SeparatorConfig cfg, Path dir) throws IOException {
        int samples = 8000;
        SedTagger sed = cfg.needsSed() ? new SedTagger(config("attention"), "sed.", 18, samples) : null;
        org.sep4j.models.sep.ResUNet net = new org.sep4j.models.sep.ResUNet(cfg, sed, 18, samples);
        Graph g = new Graph(5);
        g.train(false);
        net.build(g, -1);
        java.util.SplittableRandom r = new java.util.SplittableRandom(2);
        int batch = 2;
        float[][][] mix = new float[batch][4][samples];
        float[][] query = new float[batch][18];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < 4; c++) {
                for (int t = 0; t < samples; t++) {
                    mix[b][c][t] = (float) (0.3 * Math.sin(0.01 * t * (c + 1 + b)) + 0.05 * (r.nextDouble() - 0.5));
                }
            }
            query[b][3 + b] = 1f;
        }
        Map<String, INDArray> in = new java.util.LinkedHashMap<>(net.analyse(mix));
        in.put(org.sep4j.models.sep.ResUNet.QUERY, Nd4j.create(query));
        in.put(org.sep4j.models.sep.ResUNet.ACTIVE, Nd4j.ones(DataType.FLOAT, batch, 1));
        if (sed != null) {
            in.put(org.sep4j.models.sep.ResUNet.LOGMEL, Nd4j.randn(DataType.FLOAT, batch, 1, 16, sed.frames()));
        }
        if (cfg.iterations().max() > 1) {
            in.put(org.sep4j.models.sep.ResUNet.FEEDBACK, Nd4j.randn(DataType.FLOAT, batch, 1, net.frames(), net.bins()));
        }
        String est = org.sep4j.models.sep.ResUNet.ESTIMATE;
        INDArray want = g.output(in, est).get(est);
        Path file = dir.resolve("separator.onnx");
        OnnxExporter.export(g, List.of(est), file);
        try (OrtModel m = OrtModel.open(file, OrtModel.Options.defaults())) {
            assertThat(m.inputs()).extracting(OrtModel.Port::name).containsExactlyInAnyOrderElementsOf(in.keySet());
            INDArray got = m.run(in).get(est);
            assertThat(got.shape()).containsExactly(want.shape());
            double scale = want.amaxNumber().doubleValue();
            assertThat(scale).isGreaterThan(0);
            assertThat(got.sub(want).amaxNumber().doubleValue() / scale).isLessThan(1e-4);
        }
    }

    @Test
    void theBaselineSeparatorRunsInOnnxRuntimeAsInSameDiff(@TempDir Path dir) throws IOException {
        separatorParity(org.sep4j.models.sep.SeparatorConfig.defaults(), dir);
    }

    @Test
    void theGuidedSeparatorWithEveryOptionRunsInOnnxRuntimeAsInSameDiff(@TempDir Path dir) throws IOException {
        var d = org.sep4j.models.sep.SeparatorConfig.defaults();
        var cfg = new org.sep4j.models.sep.SeparatorConfig(d.nFft(), d.hopLength(), d.inputChannels(), d.channels(), d.poolTime(),
                d.poolFreq(), 1, d.conditionDim(), new org.sep4j.models.sep.SeparatorConfig.TimeFilm(true, "additive"),
                new org.sep4j.models.sep.SeparatorConfig.Soundbeam(true, true, "add"),
                new org.sep4j.models.sep.SeparatorConfig.Dprnn(true, 1, 8, 1, 0.0),
                new org.sep4j.models.sep.SeparatorConfig.Iterations(2), null);
        separatorParity(cfg, dir);
    }

    @Test
    void anOpWithoutAMappingIsNamed(@TempDir Path dir) {
        Graph g = new Graph(1);
        var x = g.input("x", -1, 4);
        g.sd().identity("y", g.sd().math().cosh(x));
        assertThatThrownBy(() -> OnnxExporter.export(g, List.of("y"), dir.resolve("m.onnx"))).hasMessageContaining("cosh")
                .hasMessageContaining("no ONNX mapping");
        assertThatThrownBy(() -> OnnxExporter.export(g, List.of("nope"), dir.resolve("m.onnx"))).hasMessageContaining("'nope'");
    }
}

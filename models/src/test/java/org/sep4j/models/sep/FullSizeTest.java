package org.sep4j.models.sep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.sed.SedConfig;
import org.sep4j.models.sed.SedTagger;

/** Parameter counts of the full-size models, counted from the built graphs, against the spec. */
class FullSizeTest {

    static SedConfig m2d() {
        return new SedConfig(16000, 400, 400, 160, 80, 50, 8000, -7.1, 4.2, 16, 768, 12, 12, 4, 1e-6, "attention", 250, 0, null);
    }

    static SeparatorConfig resunet30(boolean dprnn) {
        return new SeparatorConfig(2048, 160, 4, List.of(32, 64, 128, 256, 384, 384), List.of(2, 2, 2, 2, 2, 1),
                List.of(2, 2, 2, 2, 2, 2), 1, 512, new SeparatorConfig.TimeFilm(false, "additive"),
                new SeparatorConfig.Soundbeam(false, true, "add"), new SeparatorConfig.Dprnn(dprnn, 2, 256, 2, 0.1),
                new SeparatorConfig.Iterations(1), null);
    }

    private static long count(Graph g, String prefix, boolean with) {
        return g.params().entrySet().stream().filter(e -> e.getKey().startsWith(prefix) == with)
                .mapToLong(e -> e.getValue().getArr().length()).sum();
    }

    @Test
    void m2dVitBaseHas85_5MillionBackboneParameters() {
        Graph g = new Graph(1);
        SedTagger sed = new SedTagger(m2d(), "", 18, 160_000);
        sed.apply(g, sed.input(g, "logmel"));
        assertThat(sed.timePatches()).isEqualTo(62);
        double backbone = count(g, "head.", false) / 1e6;
        System.out.printf("M2D ViT-B backbone %.3f M, head %.3f M%n", backbone, count(g, "head.", true) / 1e6);
        assertThat(backbone).isCloseTo(85.5, within(0.1));
    }

    @Test
    void resUNet30Has26_7MillionAndDprnn9_6MillionParameters() {
        Graph plain = new Graph(1);
        new ResUNet(resunet30(false), null, 18, 320_000).build(plain, -1);
        Graph withDprnn = new Graph(1);
        withDprnn.train(false); // an inference graph: GRU dropout needs a fixed batch only when training
        new ResUNet(resunet30(true), null, 18, 320_000).build(withDprnn, -1);
        double resunet = plain.parameterCount() / 1e6;
        double dprnn = count(withDprnn, "dprnn.", true) / 1e6;
        System.out.printf("ResUNet30 with class FiLM %.3f M, DPRNN %.3f M%n", resunet, dprnn);
        assertThat(dprnn).isCloseTo(9.6, within(0.05));
        assertThat(withDprnn.parameterCount() - plain.parameterCount()).isEqualTo(count(withDprnn, "dprnn.", true));
        assertThat(resunet).isCloseTo(26.7, within(26.7 * 0.05));
    }
}

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
        return new SedConfig(16000, 400, 400, 160, 80, 50, 8000, "slaney", -7.1, 4.2, 16, 768, 12, 12, 4, 1e-6, "attention", 250, 0, null, "m2d");
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
    void resUNet30AndDprnnHaveThePublishedParameterCounts() {
        Graph plain = new Graph(1);
        new ResUNet(resunet30(false), null, 18, 320_000).build(plain, -1);
        Graph withDprnn = new Graph(1);
        withDprnn.train(false); // an inference graph: GRU dropout needs a fixed batch only when training
        new ResUNet(resunet30(true), null, 18, 320_000).build(withDprnn, -1);
        double resunet = plain.parameterCount() / 1e6;
        double dprnn = count(withDprnn, "dprnn.", true) / 1e6;
        System.out.printf("ResUNet30 with class FiLM %d, DPRNN %.3f M%n", plain.parameterCount(), dprnn);
        assertThat(dprnn).isCloseTo(9.6, within(0.05));
        assertThat(withDprnn.parameterCount() - plain.parameterCount()).isEqualTo(count(withDprnn, "dprnn.", true));
        // AudioSep's ResUNet30 counts 26,722,766 (the spec's ≈ 26.7 M): its FiLM also makes a Linear(512 → C)
        // for each decoder block's bn2, which forward() never uses, as is bn2 itself (C = 384, 384, 384, 256,
        // 128, 64). sep4j builds neither; it adds the 4-weight 1×1 channel mix of the 4-mic input.
        long decoderIn = 384 + 384 + 384 + 256 + 128 + 64;
        assertThat(plain.parameterCount()).isEqualTo(audioSepResUNet30(1025, 4, 12) - 513 * decoderIn - 2 * decoderIn + 4);
        assertThat(resunet).isCloseTo(26.7, within(26.7 * 0.05));
    }

    /**
     * AudioSep's ResUNet30 with class FiLM, counted layer by layer from its published definition:
     * bn0 over the bins, 1×1 pre-conv, 7 encoder and 6 decoder residual blocks (two 3×3 convs without
     * bias, BN before each, a biased 1×1 shortcut when widths differ), a transposed conv (kernel =
     * stride) and two BNs per decoder, the 1×1 after-conv, a FiLM Linear(512 → C) per BN of every
     * block, and the 18 → 512 → 512 label MLP with layer norms.
     */
    private static long audioSepResUNet30(int bins, int in, int out) {
        int[][] enc = {{32, 32}, {32, 64}, {64, 128}, {128, 256}, {256, 384}, {384, 384}, {384, 384}};
        int[][] dec = {{384, 384, 2}, {384, 384, 4}, {384, 256, 4}, {256, 128, 4}, {128, 64, 4}, {64, 32, 4}};
        long n = 2L * bins + in * 32 + 32 + 32 * out + out;
        for (int[] e : enc) {
            n += block(e[0], e[1]);
        }
        for (int[] d : dec) {
            n += 2 * 2L * d[0] + (long) d[0] * d[1] * d[2] + 513L * 2 * d[0] + block(2 * d[1], d[1]);
        }
        return n + 18 * 512 + 512 + 2 * 512 + 512 * 512 + 512 + 2 * 512;
    }

    private static long block(int i, int o) {
        long n = 2L * i + 2L * o + 9L * i * o + 9L * o * o + 513L * (i + o);
        return i != o ? n + (long) i * o + o : n;
    }
}

package org.sep4j.models.sed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.models.nn.Graph;

class SedTaggerTest {

    private static SedConfig micro(String head) {
        return new SedConfig(16000, 32, 32, 16, 8, 0, 8000, "slaney", 0, 1, 4, 8, 2, 2, 2, 1e-6, head, 6, 0, null, "m2d");
    }

    @Test
    void attentionHeadPoolsStrongProbabilitiesWithSoftmaxWeights() {
        Graph g = new Graph(4, DataType.DOUBLE);
        SedTagger sed = new SedTagger(micro("attention"), "", 3, 160);      // 11 frames → 2 time patches
        SedTagger.Outputs out = sed.apply(g, sed.input(g, "x"));
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 1, 8, sed.frames());
        Map<String, INDArray> r = g.output(Map.of("x", x), out.strong().name(), out.weak().name(), out.clip().name(),
                out.frames().name(), out.layers().get(2).name());
        assertThat(r.get(out.strong().name()).shape()).containsExactly(2, 6, 3);
        assertThat(r.get(out.frames().name()).shape()).containsExactly(2, 2, 16);   // 2 freq patches × dim 8
        assertThat(r.get(out.layers().get(2).name()).shape()).containsExactly(2, 4, 8);
        assertThat(out.layers()).hasSize(3);                                          // embedding + 2 blocks
        // clip = Σ_t σ(s_t)·softmax_t(w_t), recomputed here from the strong and weak logits
        INDArray s = r.get(out.strong().name());
        INDArray w = r.get(out.weak().name());
        INDArray clip = r.get(out.clip().name());
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < 3; c++) {
                double z = 0;
                double acc = 0;
                for (int t = 0; t < 6; t++) {
                    z += Math.exp(w.getDouble(b, t, c));
                }
                for (int t = 0; t < 6; t++) {
                    acc += 1 / (1 + Math.exp(-s.getDouble(b, t, c))) * Math.exp(w.getDouble(b, t, c)) / z;
                }
                assertThat(clip.getDouble(b, c)).isCloseTo(acc, org.assertj.core.api.Assertions.within(1e-12));
            }
        }
    }

    @Test
    void aShortClipTakesTheFirstTimeColumnsOfTheWholeClipsPositions() {
        SedConfig cfg = micro("attention");
        Graph whole = new Graph(4, DataType.DOUBLE);
        SedTagger own = new SedTagger(cfg, "", 3, 160);                // 2 time patches, its own table
        SDVariable ownClip = own.apply(whole, own.input(whole, "x")).clip();
        Graph crop = new Graph(4, DataType.DOUBLE);
        SedTagger cropped = new SedTagger(cfg, "", 3, 160, 400);       // the table of a 6-patch clip
        SDVariable cropClip = cropped.apply(crop, cropped.input(crop, "x")).clip();
        assertThat(cfg.timePatches(400)).isEqualTo(6);
        assertThat(crop.params().get("pos_embed").getArr().shape()).containsExactly(1, 1 + 2 * 6, 8);
        assertThat(whole.params().get("pos_embed").getArr().shape()).containsExactly(1, 1 + 2 * 2, 8);
        whole.params().forEach((k, v) -> {
            if (!k.equals("pos_embed")) {
                crop.params().get(k).getArr().assign(v.getArr());
            }
        });
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 1, 8, own.frames());
        INDArray a = whole.output(Map.of("x", x), ownClip.name()).get(ownClip.name());
        INDArray b = crop.output(Map.of("x", x), cropClip.name()).get(cropClip.name());
        // sin-cos positions depend on (row, column) only, so the first columns are the short clip's own
        assertThat(b.sub(a).amaxNumber().doubleValue()).isLessThan(1e-12);
        org.sep4j.models.nn.ModelGradients.check(crop, cropClip, Map.of("x", x));
    }

    @Test
    void gradientsOfBothHeads() {
        for (String head : new String[] {"attention", "baseline"}) {
            Graph g = new Graph(4, DataType.DOUBLE);
            SedTagger sed = new SedTagger(micro(head), "", 3, 160);
            SDVariable clip = sed.apply(g, sed.input(g, "x")).clip();
            Nd4j.getRandom().setSeed(5);
            org.sep4j.models.nn.ModelGradients.check(g, clip, Map.of("x", Nd4j.rand(DataType.DOUBLE, 3, 1, 8, sed.frames())));
        }
    }
}

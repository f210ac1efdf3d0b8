package org.sep4j.models.clap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.models.nn.Graph;

/** The towers' shapes, unit norms, padding independence, and gradients that reach the waveform. */
class NativeClapTest {

    private static ClapConfig small() {
        return new ClapConfig(16000, 4000, 256, 128, 32, List.of(8, 16), 16, 1, 2, 6, 0, 8);
    }

    @Test
    void audioEmbeddingsAreUnitVectorsAndTheirGradientReachesTheWaveform() {
        Graph g = new Graph(1);
        NativeClap clap = new NativeClap(small(), 300);
        INDArray wave = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 4000).subi(0.5);
        SDVariable a = clap.audio(g, g.param("wave", wave)); // a parameter, so its gradient can be asked for
        SDVariable loss = a.get(org.nd4j.autodiff.samediff.SDIndex.all(), org.nd4j.autodiff.samediff.SDIndex.point(0)).sum();
        g.sd().setLossVariables(loss);
        Map<String, INDArray> out = g.output(Map.of(), a.name());
        INDArray e = out.get(a.name());
        assertThat(e.shape()).containsExactly(2, 8);
        assertThat(e.norm2(1).toDoubleVector()).containsExactly(new double[] {1, 1}, org.assertj.core.api.Assertions.within(1e-5));
        Map<String, INDArray> grads = g.gradients(Map.of(), List.of("wave"));
        assertThat(grads.get("wave").norm2Number().doubleValue()).isGreaterThan(0);
    }

    @Test
    void textHiddenStatesIgnorePaddingAndTheEmbeddingIsUnitNorm() {
        Graph g = new Graph(2);
        g.train(false);
        NativeClap clap = new NativeClap(small(), 300);
        NativeClap.Text t = clap.text(g, -1);
        INDArray ids = Nd4j.createFromArray(new float[][] {{0, 17, 44, 2, 1, 1}, {0, 17, 44, 2, 9, 250}});
        INDArray keep = Nd4j.createFromArray(new float[][] {{1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 0, 0}});
        Map<String, INDArray> out = g.output(Map.of(NativeClap.IDS, ids, NativeClap.KEEP, keep), t.hidden().name(),
                t.embedding().name());
        INDArray h = out.get(t.hidden().name());
        INDArray e = out.get(t.embedding().name());
        assertThat(h.shape()).containsExactly(2, 6, 16);
        // the same real tokens, different padding ids: the same hidden states at the real tokens, the same embedding
        for (int k = 0; k < 4; k++) {
            assertThat(h.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(k))
                    .equalsWithEps(h.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.point(k)), 1e-5))
                    .isTrue();
        }
        assertThat(e.getRow(0).equalsWithEps(e.getRow(1), 1e-5)).isTrue();
        assertThat(e.norm2(1).getDouble(0)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
        Graph train = new Graph(2); // a training graph (one-hot rows) gives the same embedding, and gradients
        NativeClap.Text tt = clap.text(train, -1);
        train.sd().setLossVariables(tt.embedding().sum());
        INDArray te = train.output(Map.of(NativeClap.IDS, ids, NativeClap.KEEP, keep), tt.embedding().name()).get(tt.embedding().name());
        assertThat(te.equalsWithEps(e, 1e-5)).isTrue();
        Map<String, INDArray> grads = train.gradients(Map.of(NativeClap.IDS, ids, NativeClap.KEEP, keep), List.of("text.token_embedding.weight"));
        assertThat(grads.get("text.token_embedding.weight").getRow(17).norm2Number().doubleValue()).isGreaterThan(0);
        assertThat(grads.get("text.token_embedding.weight").getRow(9).norm2Number().doubleValue()).isZero(); // padding only
    }
}

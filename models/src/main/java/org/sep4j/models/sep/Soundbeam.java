package org.sep4j.models.sep;

import java.util.List;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.models.nn.BatchNorm;
import org.sep4j.models.nn.Conv2d;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.Interpolate;
import org.sep4j.models.sed.SedTagger;

/**
 * Embedding injection ("Soundbeam"): the SED's token maps (patch embedding and every block),
 * mixed by softmax-normalised learnable layer weights (initially equal), laid out as an image
 * {@code [B, dim, timePatches, freqPatches]} → BatchNorm → LeakyReLU → bilinear resize to the
 * bottleneck grid → 1×1 conv to the bottleneck width, then merged with the bottleneck: {@code add}
 * instance-normalises both per channel (σ + 1e-6) and takes a·x̂ + b·f̂ with learnable scalars
 * (initially 1); {@code concat} stacks them and maps back with a 1×1 conv.
 */
final class Soundbeam {

    private Soundbeam() {
    }

    static SDVariable inject(Graph g, String name, SDVariable x, List<SDVariable> layers, SedTagger sed, int width, int t, int f,
            String merge) {
        int l = layers.size();
        int d = sed.config().dim();
        int fp = sed.config().freqPatches();
        int tp = sed.timePatches();
        SDVariable logits = g.constant(name + ".layer_weights", 1.0 / l, l);
        SDVariable weights = g.sd().nn().softmax(logits.reshape(1, l), 1);                         // [1, L]
        SDVariable stacked = g.sd().stack(0, layers.toArray(new SDVariable[0])).reshape(l, -1);    // [L, B·N·D]
        SDVariable mixed = weights.mmul(stacked).reshape(-1, fp, tp, d).permute(0, 3, 2, 1);      // [B, D, Tp, Fp]
        SDVariable h = BatchNorm.of(name + ".bn", d, 4).applyLeakyRelu(g, mixed, null, 0.01);
        h = Interpolate.bilinear(g, h, d, tp, fp, t, f);
        SDVariable feat = Conv2d.pointwise(name + ".proj", d, width, true).apply(g, h);            // [B, C, t, f]
        if (merge.equals("concat")) {
            return Conv2d.pointwise(name + ".merge", 2 * width, width, true).apply(g, g.sd().concat(1, x, feat));
        }
        SDVariable a = g.constant(name + ".alpha", 1, 1);
        SDVariable b = g.constant(name + ".beta", 1, 1);
        return normalise(g, x).mul(a).add(normalise(g, feat).mul(b));
    }

    /** Per example and channel over (T, F): (x − μ)/(σ + 1e-6). */
    static SDVariable normalise(Graph g, SDVariable x) {
        SDVariable flat = x.reshape(g.sd().concat(0, x.shape().get(SDIndex.interval(0, 2)),
                g.sd().constant(Nd4j.createFromArray(-1L))));                                       // [B, C, T·F]
        SDVariable centred = flat.sub(flat.mean(true, 2));
        SDVariable std = g.sd().math().sqrt(centred.mul(centred).mean(true, 2));
        return centred.div(std.add(1e-6)).reshape(x.shape());
    }
}

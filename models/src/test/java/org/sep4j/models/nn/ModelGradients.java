package org.sep4j.models.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Finite-difference checks of whole models in float64 (a few entries of every parameter). */
public final class ModelGradients {

    private ModelGradients() {
    }

    /**
     * Directional derivatives: for each group of parameters (names sharing their first two
     * components, e.g. {@code encoder_block1.conv_block1}), a random direction v over the group;
     * (L(θ + εv) − L(θ − εv))/2ε must equal Σ ∂L/∂θ·v. Two forward passes per group keep whole
     * models cheap to check, and a wrong gradient anywhere in a group shows.
     */
    public static void check(Graph g, SDVariable y, Map<String, INDArray> inputs) {
        boolean helpers = Nd4j.getEnvironment().helpersAllowed();
        Nd4j.getEnvironment().allowHelpers(false); // oneDNN has no float64 kernels
        try {
            long[] outShape = g.output(inputs, y.name()).get(y.name()).shape();
            Nd4j.getRandom().setSeed(7);
            INDArray r = Nd4j.rand(DataType.DOUBLE, outShape).subi(0.5);
            SDVariable loss = y.mul(g.sd().constant(r)).sum();
            g.sd().setLossVariables(loss);
            List<String> names = g.paramNames();
            Map<String, INDArray> grads = g.gradients(inputs, names);
            Map<String, List<String>> groups = new LinkedHashMap<>();
            for (String n : names) {
                String[] parts = n.split("\\.");
                String key = parts.length > 2 ? parts[0] + "." + parts[1] : parts[0];
                groups.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(n);
            }
            double eps = 1e-6;
            Map<String, String> failures = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> e : groups.entrySet()) {
                Map<String, INDArray> dir = new LinkedHashMap<>();
                double analytic = 0;
                for (String n : e.getValue()) {
                    INDArray p = g.params().get(n).getArr();
                    INDArray v = Nd4j.rand(DataType.DOUBLE, p.shape()).subi(0.5);
                    dir.put(n, v);
                    INDArray gr = grads.get(n);
                    analytic += gr == null ? 0 : gr.mul(v).sumNumber().doubleValue();
                }
                dir.forEach((n, v) -> g.params().get(n).getArr().addi(v.mul(eps)));
                double plus = g.output(inputs, loss.name()).get(loss.name()).getDouble(0);
                dir.forEach((n, v) -> g.params().get(n).getArr().subi(v.mul(2 * eps)));
                double minus = g.output(inputs, loss.name()).get(loss.name()).getDouble(0);
                dir.forEach((n, v) -> g.params().get(n).getArr().addi(v.mul(eps)));
                double numeric = (plus - minus) / (2 * eps);
                double err = Math.abs(numeric - analytic);
                if (!(err <= 1e-7 || err / (Math.abs(numeric) + Math.abs(analytic)) < 1e-5)) {
                    failures.put(e.getKey(), "numeric " + numeric + " vs analytic " + analytic);
                }
            }
            assertThat(groups.size()).isGreaterThan(3);
            assertThat(failures).isEmpty();
        } finally {
            Nd4j.getEnvironment().allowHelpers(helpers);
        }
    }

    public static INDArray random(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, shape).subi(0.5).muli(2);
    }
}

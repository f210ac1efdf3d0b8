package org.sep4j.models.nn;

import java.util.Map;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/**
 * Floating-point operations of a forward pass, counted from the shapes of one real run: 2 per
 * multiply-accumulate of the convolutions and matrix products (element-wise ops, norms and
 * activations are left out; they are a few percent of a ViT or a U-Net). A training step is
 * conventionally three forward passes (forward, and backward for inputs and weights).
 */
public final class Flops {

    private Flops() {
    }

    /** Multiply-accumulate FLOPs of one forward pass of {@code g} on {@code inputs}. */
    public static long forward(Graph g, Map<String, INDArray> inputs) {
        java.util.Set<String> wanted = new java.util.LinkedHashSet<>();
        for (SameDiffOp op : g.sd().getOps().values()) {
            String kind = op.getOp().opName();
            if (kind.equals("matmul") || kind.equals("conv2d")) {
                wanted.add(op.getOutputsOfOp().get(0));
                wanted.add(op.getInputsToOp().get(kind.equals("matmul") ? 0 : 1));
            }
        }
        wanted.removeIf(n -> g.sd().getVariable(n).getArr() != null || inputs.containsKey(n)); // parameters, constants, inputs
        Map<String, INDArray> arrays = new java.util.HashMap<>(wanted.isEmpty() ? Map.of() : g.output(inputs, wanted.toArray(String[]::new)));
        arrays.putAll(inputs);
        long total = 0;
        for (SameDiffOp op : g.sd().getOps().values()) {
            DifferentialFunction f = op.getOp();
            INDArray out = arrays.get(op.getOutputsOfOp().get(0));
            if (out == null) {
                continue;
            }
            switch (f.opName()) {
                case "matmul" -> {
                    INDArray a = value(g, arrays, op.getInputsToOp().get(0));
                    boolean ta = Boolean.TRUE.equals(f.propertiesForFunction().get("transposeA"));
                    long k = ta ? a.size(a.rank() - 2) : a.size(a.rank() - 1);
                    total += 2 * out.length() * k;
                }
                case "conv2d" -> {
                    long[] w = value(g, arrays, op.getInputsToOp().get(1)).shape();
                    long[] args = f instanceof DynamicCustomOp d ? d.iArgs() : new long[0];
                    long format = args.length > 10 ? args[10] : 0;
                    // weights [kH, kW, in, out] (0), [out, in, kH, kW] (1) or [out, kH, kW, in] (2): MACs per output = kH·kW·in
                    long perOutput = format == 0 ? w[0] * w[1] * w[2] : format == 1 ? w[1] * w[2] * w[3] : w[1] * w[2] * w[3];
                    total += 2 * out.length() * perOutput;
                }
                default -> {
                }
            }
        }
        return total;
    }

    private static INDArray value(Graph g, Map<String, INDArray> arrays, String name) {
        INDArray a = arrays.get(name);
        return a != null ? a : g.sd().getVariable(name).getArr();
    }
}

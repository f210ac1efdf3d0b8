package org.sep4j.models.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.tensor.TensorData;

/**
 * Loads named tensors (a PyTorch state_dict exported as safetensors) into a graph's parameters
 * and, where the file has them, its BatchNorm statistics, through an optional name map, and reports
 * what did not line up.
 */
public final class WeightImport {

    /**
     * @param loaded     parameters that received a tensor
     * @param missing    parameters the checkpoint lacks
     * @param unexpected checkpoint tensors no parameter wanted
     * @param mismatched "name: expected [..], found [..]" for shape disagreements
     */
    public record Report(List<String> loaded, List<String> missing, List<String> unexpected, List<String> mismatched) {

        public boolean clean() {
            return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
        }

        @Override
        public String toString() {
            return loaded.size() + " loaded, missing " + missing + ", unexpected " + unexpected + ", shape mismatches "
                    + mismatched;
        }
    }

    private WeightImport() {
    }

    /**
     * @param rename checkpoint name → parameter name (identity when the names already match)
     * @param strict fail unless every parameter is loaded and every tensor used
     */
    public static Report load(Graph g, Map<String, TensorData> tensors, UnaryOperator<String> rename, boolean strict) {
        List<String> loaded = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        Map<String, SDVariable> params = g.params();
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            String target = rename.apply(e.getKey());
            SDVariable p = params.get(target);
            INDArray buffer = g.buffers().get(target);
            if (target.endsWith("num_batches_tracked")) { // torch's BN step counter: nothing reads it
                continue;
            }
            if (p == null && buffer != null) { // BatchNorm statistics: loaded when given, never required
                if (!Arrays.equals(buffer.shape(), e.getValue().shape())) {
                    mismatched.add(target + ": expected " + Arrays.toString(buffer.shape()) + ", found "
                            + Arrays.toString(e.getValue().shape()));
                } else {
                    buffer.assign(Nd4j.create(e.getValue().doubles(), e.getValue().shape(), 'c').castTo(buffer.dataType()));
                    loaded.add(target);
                }
                continue;
            }
            if (p == null) {
                unexpected.add(e.getKey());
                continue;
            }
            long[] want = p.getArr().shape();
            long[] have = e.getValue().shape();
            if (!Arrays.equals(want, have)) {
                mismatched.add(target + ": expected " + Arrays.toString(want) + ", found " + Arrays.toString(have));
                continue;
            }
            INDArray value = Nd4j.create(e.getValue().doubles(), have, 'c').castTo(p.getArr().dataType());
            p.getArr().assign(value);
            loaded.add(target);
        }
        List<String> missing = new ArrayList<>();
        for (String name : params.keySet()) {
            if (!loaded.contains(name)) {
                missing.add(name);
            }
        }
        Report r = new Report(loaded, missing, unexpected, mismatched);
        if (strict && !r.clean()) {
            throw new IllegalArgumentException("weights do not match the model: " + r);
        }
        return r;
    }
}

package org.sep4j.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.sep4j.models.onnx.OrtModel;

/**
 * {@code ./sep4j bench}: JMH's own command line, except that benchmarks needing a GPU are left out,
 * with the reason, where the CUDA provider of ONNX Runtime cannot start here.
 */
public final class BenchMain {

    /** Benchmarks (JMH include/exclude regexes) that run only with a working CUDA provider. */
    static final String CUDA_ONLY = "OnnxCudaBenchmark";

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        boolean listing = a.contains("-h") || a.contains("-l") || a.contains("-lp");
        String problem = listing ? null : OrtModel.cudaProblem();
        if (problem != null) {
            System.err.println("sep4j bench: skipping " + CUDA_ONLY + " (no usable CUDA provider: " + problem + "; missing "
                    + OrtModel.missingCudaLibraries() + ")");
            a.add("-e");
            a.add(CUDA_ONLY);
        }
        org.openjdk.jmh.Main.main(a.toArray(String[]::new));
    }
}

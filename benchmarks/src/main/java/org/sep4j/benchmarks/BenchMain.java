package org.sep4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.sep4j.benchmarks.models.LibtorchTrainingBenchmark;
import org.sep4j.models.onnx.OrtModel;

/**
 * {@code ./sep4j bench}: JMH's own command line, except that benchmarks which cannot run here are
 * left out, with the reason: those needing a GPU where the CUDA provider of ONNX Runtime cannot
 * start, and the libtorch reference where no traced replicas were exported.
 */
public final class BenchMain {

    /** Benchmarks (JMH include/exclude regexes) that run only with a working CUDA provider. */
    static final String CUDA_ONLY = "OnnxCudaBenchmark";

    /** The libtorch reference, which needs the replicas {@code tools/bench/torch_training.py --export} traces. */
    static final String LIBTORCH = "LibtorchTrainingBenchmark";

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
        if (!listing && a.stream().noneMatch(x -> x.startsWith("scripts=")) && !exported(Path.of(LibtorchTrainingBenchmark.SCRIPTS))) {
            System.err.println("sep4j bench: skipping " + LIBTORCH + " (no traced replicas in " + LibtorchTrainingBenchmark.SCRIPTS
                    + "; tools/bench/torch_training.py --export " + LibtorchTrainingBenchmark.SCRIPTS + " writes them)");
            a.add("-e");
            a.add(LIBTORCH);
        }
        org.openjdk.jmh.Main.main(a.toArray(String[]::new));
    }

    private static boolean exported(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(f -> f.toString().endsWith(".pt"));
        }
    }
}

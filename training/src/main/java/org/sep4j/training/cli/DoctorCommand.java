package org.sep4j.training.cli;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sep4j doctor}: what this machine gives sep4j — JDK, CPU features, the ND4J backend (which
 * must be the oneDNN build) and ONNX Runtime with its execution providers. Exit 1 when something
 * sep4j needs is missing, with what to do about it.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check the JDK, CPU features, ND4J backend (oneDNN) and ONNX Runtime providers.")
final class DoctorCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--no-cuda-probe", description = "Skip trying to load the CUDA execution provider.")
    boolean noCudaProbe;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<String> problems = new ArrayList<>();

        section(out, "sep4j");
        row(out, "version", Versions.sep4j());

        section(out, "JDK");
        row(out, "version", Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        row(out, "home", System.getProperty("java.home"));
        long maxHeap = Runtime.getRuntime().maxMemory();
        row(out, "max heap", String.format(Locale.ROOT, "%.1f GiB", maxHeap / (double) (1L << 30)));
        if (Runtime.version().feature() < 25) {
            problems.add("JDK " + Runtime.version().feature() + " is too old: sep4j needs JDK 25 or newer");
        }

        section(out, "CPU");
        CpuInfo cpu = CpuInfo.read();
        row(out, "model", cpu.model());
        row(out, "cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        row(out, "features", cpu.flags().isEmpty() ? "unknown (no /proc/cpuinfo)" : String.join(" ", cpu.flags()));
        if (!cpu.flags().isEmpty() && !cpu.flags().contains("avx2")) {
            problems.add("the CPU lacks AVX2, which the ND4J oneDNN-AVX2 build needs");
        }

        section(out, "ND4J");
        try {
            String backend = Nd4j.getBackend().getClass().getSimpleName();
            String build = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
            boolean onednn = build != null && build.toUpperCase(Locale.ROOT).contains("ONEDNN");
            row(out, "version", Versions.nd4j());
            row(out, "backend", backend + (onednn ? " with oneDNN" : " WITHOUT oneDNN"));
            row(out, "threads", Integer.toString(Nd4j.getEnvironment().maxMasterThreads()));
            row(out, "native build", buildFlags(build));
            if (!onednn) {
                problems.add("ND4J loaded a native build without oneDNN (convolutions will be ~7x slower): "
                        + "check that nd4j-native-" + Versions.nd4j() + " is on the class path");
            }
        } catch (Throwable t) {
            row(out, "backend", "FAILED to load: " + t);
            problems.add("ND4J's native backend did not load: " + t.getMessage());
        }

        section(out, "ONNX Runtime");
        try {
            // FATAL only: a failed CUDA probe otherwise prints a C++ stack of errors; we report it ourselves.
            OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "sep4j");
            row(out, "version", env.getVersion());
            EnumSet<OrtProvider> built = OrtEnvironment.getAvailableProviders();
            row(out, "providers built in", built.toString());
            List<String> usable = new ArrayList<>(List.of("CPU"));
            if (built.contains(OrtProvider.CUDA)) {
                if (noCudaProbe) {
                    row(out, "CUDA", "not probed (--no-cuda-probe)");
                } else {
                    String cuda = org.sep4j.models.onnx.OrtModel.cudaProblem();
                    List<String> missing = org.sep4j.models.onnx.OrtModel.missingCudaLibraries();
                    row(out, "CUDA", cuda == null ? "usable" : "not usable: " + cuda);
                    if (cuda != null && !missing.isEmpty()) {
                        row(out, "missing libraries", String.join(", ", missing));
                    }
                    if (cuda == null) {
                        usable.add("CUDA");
                    }
                }
            }
            row(out, "usable providers", String.join(", ", usable));
        } catch (Throwable t) {
            row(out, "runtime", "FAILED to load: " + t);
            problems.add("ONNX Runtime did not load: " + t.getMessage());
        }

        out.println();
        if (problems.isEmpty()) {
            out.println("doctor: all good");
            out.flush();
            return 0;
        }
        for (String p : problems) {
            out.println("doctor: PROBLEM: " + p);
        }
        out.flush();
        return 1;
    }

    /** The HAVE_* switches of the ND4J native build (HAVE_ONEDNN, HAVE_OPENBLAS, ...). */
    private static String buildFlags(String build) {
        if (build == null) {
            return "unknown";
        }
        return java.util.Arrays.stream(build.split("\\s+")).filter(w -> w.startsWith("HAVE_")).distinct()
                .reduce((a, b) -> a + " " + b).orElse(firstLine(build));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip() + " ...";
    }

    private static void section(PrintWriter out, String name) {
        out.println(name);
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf(Locale.ROOT, "  %-20s %s%n", key, value);
    }

    /** The CPU model and the SIMD flags that matter for the native engines. */
    record CpuInfo(String model, List<String> flags) {

        private static final List<String> INTERESTING = List.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f",
                "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "amx_tile");

        static CpuInfo read() {
            Path proc = Path.of("/proc/cpuinfo");
            String model = System.getProperty("os.arch");
            List<String> flags = new ArrayList<>();
            if (Files.isReadable(proc)) {
                try {
                    for (String line : Files.readAllLines(proc)) {
                        if (line.startsWith("model name") && model.equals(System.getProperty("os.arch"))) {
                            model = line.substring(line.indexOf(':') + 1).strip();
                        } else if (line.startsWith("flags") && flags.isEmpty()) {
                            List<String> have = List.of(line.substring(line.indexOf(':') + 1).strip().split("\\s+"));
                            for (String f : INTERESTING) {
                                if (have.contains(f)) {
                                    flags.add(f);
                                }
                            }
                        }
                    }
                } catch (IOException e) {
                    // leave what we have: doctor reports "unknown"
                }
            }
            return new CpuInfo(model, flags);
        }
    }
}

package org.sep4j.benchmarks.models;

import java.util.Locale;
import java.util.Map;

/**
 * Where a training step's time goes, by op kind: {@link ModelTrainingBenchmark}'s step run under
 * {@code Graph.profile}, the kinds sorted by total time. Not a benchmark (profiling adds a clock read
 * per op); run it as {@code java -cp ... org.sep4j.benchmarks.models.TrainingProfile MODEL BATCH
 * [STEPS] [CROP_SECONDS] [--shapes]}.
 */
public final class TrainingProfile {

    private TrainingProfile() {
    }

    public static void main(String[] args) {
        ModelTrainingBenchmark b = new ModelTrainingBenchmark();
        b.model = args.length > 0 ? args[0] : "baseline";
        b.batch = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        b.crop = args.length > 3 ? args[3] : "0";
        boolean shapes = java.util.Arrays.asList(args).contains("--shapes");
        b.size = "tiny";
        b.engine = "plan";
        b.setup();
        b.trainingStep(); // compiles the plans
        b.trainingStep();
        org.sep4j.models.nn.Graph.profile(true, shapes);
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            b.trainingStep();
        }
        double ms = (System.nanoTime() - t0) / 1e6 / steps;
        Map<String, long[]> ops = org.sep4j.models.nn.Graph.profile(false);
        double total = ops.values().stream().mapToLong(v -> v[1]).sum() / 1e6 / steps;
        System.out.printf(Locale.ROOT, "%s batch %d: %.1f ms per step, %.1f ms in ops%n", b.model, b.batch, ms, total);
        ops.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1])).limit(40)
                .forEach(e -> System.out.printf(Locale.ROOT, "%8.2f ms %6.1f %% %5d calls  %s%n", e.getValue()[1] / 1e6 / steps,
                        100 * e.getValue()[1] / 1e6 / steps / total, e.getValue()[0] / steps, e.getKey()));
    }
}

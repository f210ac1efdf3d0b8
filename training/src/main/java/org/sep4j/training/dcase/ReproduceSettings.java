package org.sep4j.training.dcase;

import java.nio.file.Path;
import org.sep4j.core.config.Doc;

/** The {@code reproduce} block: how long each model of the DCASE 2025 table trains and what it is scored on. */
public record ReproduceSettings(
        @Doc("tagger training steps") long taggerSteps,
        @Doc("distinct training scenes of the tagger, each taken once per epoch (0: a new scene for every item)") long taggerItems,
        @Doc("training steps of each separator variant") long separatorSteps,
        @Doc("separator training crops, seconds (scored on whole scenes); 0: whole scenes") double cropSeconds,
        @Doc("the separators' peak learning rate (trainer.lr of their runs; the tagger keeps trainer.lr)") double separatorLr,
        @Doc("mixtures per separator step") int separatorBatchSize,
        @Doc("validation mixtures of each separator run (checks the best checkpoint)") int validationItems,
        @Doc("validation mixtures of the tagger run (label accuracy moves in steps of 1/n: too few pick a checkpoint by "
                + "chance)") int taggerValidationItems,
        @Doc("generated test soundscapes (disjoint from training and validation scenes)") int testItems,
        @Doc("test soundscapes whose mixture, targets and every variant's estimates (oracle labels) go to report.html to "
                + "listen to (0: none)") int listenItems,
        @Doc("seeds per separator variant (mean and std over seeds in the table)") int seeds,
        @Doc("where results/<preset>/ go") Path out,
        @Doc("what scores the trained separators: onnx (the run's model exported and run in ONNX Runtime, 2-8x faster on "
                + "CPU, outputs equal to 1e-4) or samediff") String engine,
        @Doc("what the table scores: casdri, plus pesq with +pesq (the mean wideband PESQ, P.862.2 at 16 kHz, of each "
                + "target's estimate with oracle labels against its dry target)") String metrics) {

    public ReproduceSettings {
        if (taggerItems < 0 || cropSeconds < 0 || listenItems < 0) {
            throw new IllegalArgumentException("reproduce.tagger_items, crop_seconds and listen_items must be at least 0");
        }
        if (!(separatorLr > 0)) {
            throw new IllegalArgumentException("reproduce.separator_lr must be positive, got " + separatorLr);
        }
        if (taggerSteps < 1 || separatorSteps < 1 || separatorBatchSize < 1 || validationItems < 1 || taggerValidationItems < 1
                || testItems < 1 || seeds < 1) {
            throw new IllegalArgumentException("reproduce.tagger_steps, separator_steps, separator_batch_size, validation_items, "
                    + "tagger_validation_items, test_items and seeds must be at least 1");
        }
        pesq(metrics);
    }

    /** Whether the table gets a PESQ column. */
    public boolean pesq() {
        return pesq(metrics);
    }

    private static boolean pesq(String metrics) {
        boolean pesq = false;
        for (String m : metrics.split(",")) {
            String name = m.strip().replaceFirst("^\\+", "").toLowerCase(java.util.Locale.ROOT);
            switch (name) {
                case "casdri", "" -> { }
                case "pesq" -> pesq = true;
                default -> throw new IllegalArgumentException("reproduce.metrics: unknown metric '" + m.strip()
                        + "' (expected casdri, or +pesq to add PESQ)");
            }
        }
        return pesq;
    }

    public static ReproduceSettings defaults() {
        return new ReproduceSettings(1000, 2000, 320, 1.0, 0.003, 4, 16, 100, 100, 4, 1, Path.of("results", "dcase2025"), "onnx", "casdri");
    }
}

package org.sep4j.training.dcase;

import java.nio.file.Path;
import org.sep4j.core.config.Doc;

/** The {@code trainer} block. Defaults suit the tiny preset on a 2-core machine. */
public record TrainSettings(
        @Doc("optimiser steps") long steps,
        @Doc("mixtures per step") int batchSize,
        @Doc("peak learning rate of new parameters") double lr,
        @Doc("linear warm-up steps") long warmup,
        @Doc("cosine, linear, constant or step") String schedule,
        @Doc("AdamW weight decay (norms and biases excluded)") double weightDecay,
        @Doc("AdamW with amsgrad") boolean amsgrad,
        @Doc("global gradient-norm limit (0: none)") double clipNorm,
        @Doc("steps between logged rows") int logEvery,
        @Doc("steps between checkpoints") int checkpointEvery,
        @Doc("steps between validations (0: only at the end)") int validateEvery,
        @Doc("validation mixtures (a fixed set, disjoint from training items)") int validationItems,
        @Doc("validations without improvement before stopping (0: never stop early)") int patience,
        @Doc("learning-rate factor of the stage-2 SED inside the separator") double sedLrScale,
        @Doc("learning-rate factor of the DPRNN") double dprnnLrScale,
        @Doc("tagger checkpoint (a run's checkpoints/best) that initialises the separator's SED; null: random") Path tagger,
        @Doc("data-loading threads") int workers,
        @Doc("distinct training mixtures, taken once per epoch in a new order each epoch (0: a new mixture for every "
                + "item)") long trainItems,
        @Doc("separator training crops, seconds (each holds the queried event where it fits); 0: whole scenes") double cropSeconds) {

    public TrainSettings {
        if (steps < 1 || batchSize < 1 || validationItems < 1 || workers < 1) {
            throw new IllegalArgumentException("trainer.steps, trainer.batch_size, trainer.validation_items and "
                    + "trainer.workers must be at least 1");
        }
        if (trainItems < 0 || trainItems > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("trainer.train_items must be 0 (a new scene for every item) or 1.."
                    + Integer.MAX_VALUE + ", got " + trainItems);
        }
        if (cropSeconds < 0) {
            throw new IllegalArgumentException("trainer.crop_seconds must be 0 (whole scenes) or positive, got " + cropSeconds);
        }
    }

    public static TrainSettings defaults() {
        return new TrainSettings(300, 8, 6e-3, 30, "cosine", 0.0, true, 0.5, 10, 50, 100, 32, 0, 0.4, 0.5, null, 2, 0, 0.0);
    }

    /** The learning-rate schedule these settings describe: warm-up, then {@code schedule} to the last step. */
    public org.sep4j.training.optim.LrSchedule lrSchedule() {
        return new org.sep4j.training.optim.LrSchedule(schedule, lr, Math.min(warmup, steps), steps, 0.5, Math.max(1, steps / 3));
    }
}

package org.sep4j.training.optim;

import java.util.Locale;

/**
 * Learning rate by step (stepped every iteration), the shapes the reference trainers use:
 * linear warm-up from 0 over {@code warmup} steps, then cosine to 0, linear to 0 or constant
 * over the remaining steps (transformers' get_*_schedule_with_warmup), or step decay
 * (lr·γ^⌊step/every⌋).
 *
 * @param shape  cosine | linear | constant | step
 * @param base   peak learning rate
 * @param warmup warm-up steps
 * @param total  total steps (end of the decay)
 * @param gamma  step decay factor
 * @param every  step decay period
 */
public record LrSchedule(String shape, double base, long warmup, long total, double gamma, long every) {

    public LrSchedule {
        shape = shape.toLowerCase(Locale.ROOT);
        if (!java.util.Set.of("cosine", "linear", "constant", "step").contains(shape)) {
            throw new IllegalArgumentException("schedule must be cosine, linear, constant or step, got '" + shape + "'");
        }
        if (base <= 0 || warmup < 0 || total < 1 || warmup > total) {
            throw new IllegalArgumentException("schedule needs base > 0 and 0 <= warmup <= total, got base " + base
                    + ", warmup " + warmup + ", total " + total);
        }
    }

    public static LrSchedule cosine(double base, long warmup, long total) {
        return new LrSchedule("cosine", base, warmup, total, 1, 1);
    }

    public double at(long step) {
        if (shape.equals("step")) {
            return base * Math.pow(gamma, Math.floorDiv(step, Math.max(1, every)));
        }
        if (step < warmup) {
            return base * step / Math.max(1, warmup);
        }
        double progress = (double) (step - warmup) / Math.max(1, total - warmup);
        return switch (shape) {
            case "cosine" -> base * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
            case "linear" -> base * Math.max(0, 1 - progress);
            default -> base;
        };
    }
}

package org.sep4j.training.sslam;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.track.LocalTracker;
import org.sep4j.core.track.RunInfo;
import org.sep4j.models.sslam.EatConfig;
import org.sep4j.training.Trainer;
import org.sep4j.training.optim.LrSchedule;
import org.sep4j.training.optim.Optimizer;
import org.sep4j.training.optim.ParamGroup;

/** EAT's masked-prediction step joined end to end: the student learns its teacher's targets, and the EMA teacher follows. */
class EatPretrainingTest {

    /** Four 64-frame "spectrograms": a time envelope times a frequency profile, plus a little noise. */
    private static INDArray clips() {
        SplittableRandom r = new SplittableRandom(7);
        float[] v = new float[4 * 64 * 128];
        for (int b = 0; b < 4; b++) {
            double f0 = 10 + 25 * b;
            double rate = 0.05 + 0.05 * b;
            for (int t = 0; t < 64; t++) {
                for (int f = 0; f < 128; f++) {
                    v[(b * 64 + t) * 128 + f] = (float) (Math.sin(rate * t) * Math.exp(-Math.pow((f - f0) / 8, 2))
                            + 0.05 * (r.nextDouble() - 0.5));
                }
            }
        }
        return Nd4j.create(v, new long[] {4, 1, 64, 128}, 'c');
    }

    private static EatPretraining pretraining(double ema) {
        EatPretraining.Settings s = new EatPretraining.Settings(new InverseBlockMask(0.75, 2, 0.07), 2, 0.01, 1.0, ema, ema, 0, 2, 4);
        return new EatPretraining(new EatConfig(32, 2, 4, 4.0, 1e-6), 64, s, 3);
    }

    private static Trainer trainer(EatPretraining p, Path dir, long steps) {
        LocalTracker t = new LocalTracker();
        t.start(new RunInfo("t", "t", "test", dir.resolve("run")), Map.of());
        return new Trainer(p.student(), EatPretraining.LOSS, new Optimizer(Optimizer.Settings.adamw(false), List.of(ParamGroup.all(0.0))),
                LrSchedule.cosine(2e-3, 4, steps), new Trainer.Settings(steps, 4.0, 5, 20), t, dir.resolve("ckpt")).teacher(p.ema());
    }

    @Test
    void theStudentLearnsAFrozenTeachersTargets(@TempDir Path dir) throws Exception {
        EatPretraining p = pretraining(1.0); // decay 1: the teacher stays the initial network, so the targets hold still
        INDArray x = clips();
        Map<String, INDArray> probe = p.batch(x, new SplittableRandom(99));
        assertThat(probe.get("select").sumNumber().doubleValue()).as("8 visible of 32 in each of 8 copies").isEqualTo(8 * 8);
        assertThat(probe.get("masked").sumNumber().doubleValue()).isEqualTo(8 * 24);
        double before = p.student().output(probe, EatPretraining.LOSS).get(EatPretraining.LOSS).getDouble(0);
        double last = trainer(p, dir, 60).fit(step -> p.batch(x, new SplittableRandom(step)));
        double after = p.student().output(probe, EatPretraining.LOSS).get(EatPretraining.LOSS).getDouble(0);
        System.out.printf(java.util.Locale.ROOT, "EAT pre-training, frozen teacher: loss on held-out masks %.4f -> %.4f%n", before, after);
        assertThat(last).isFinite();
        assertThat(after).as("the loss on held-out masks, before %.4f", before).isLessThan(0.7 * before);
    }

    @Test
    void anEmaTeacherMovesTowardsTheStudent(@TempDir Path dir) throws Exception {
        EatPretraining p = pretraining(0.9);
        INDArray x = clips();
        String w = "blocks.0.mlp.fc1.weight";
        INDArray before = p.ema().teacher().params().get(w).getArr().dup();
        trainer(p, dir, 10).fit(step -> p.batch(x, new SplittableRandom(step)));
        INDArray teacher = p.ema().teacher().params().get(w).getArr();
        INDArray student = p.student().params().get(w).getArr();
        double moved = teacher.sub(before).norm2Number().doubleValue();
        double studentMoved = student.sub(before).norm2Number().doubleValue();
        assertThat(moved).isPositive().isLessThan(studentMoved);
    }
}

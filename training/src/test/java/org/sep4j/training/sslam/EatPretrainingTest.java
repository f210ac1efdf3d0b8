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

    /** SSLAM stage 2 on the same clips: windows of 16 frames (one patch row) stay unmixed. */
    private static EatPretraining stage2(double ema) {
        EatPretraining.Settings s = new EatPretraining.Settings(new InverseBlockMask(0.75, 2, 0.07), 2, 0.01, 1.0, ema, ema, 0, 2, 4);
        return new EatPretraining(new EatConfig(32, 2, 4, 4.0, 1e-6), 64, s, new EatPretraining.Mixing(16, 2.0, true), 3);
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

    @Test
    void aMixtureIsTheMaximumOfTwoClipsOutsideItsUnmixedWindows() {
        EatPretraining p = stage2(1.0);
        INDArray x = clips();
        EatPretraining.Mixture m = p.mix(x, new SplittableRandom(5));
        assertThat(m.partnerAlone().shape()).containsExactly(4, 1, 32, 128);
        for (int b = 0; b < 4; b++) {
            int partner = (b + 3) % 4;
            int unmixedRows = 0;
            int kept = 0;
            for (int t = 0; t < 64; t++) {
                boolean alone = m.unmixed()[b][t / 16];
                for (int f = 0; f < 128; f += 17) {
                    double clip = x.getDouble(b, 0, t, f);
                    double other = x.getDouble(partner, 0, t, f);
                    assertThat(m.fbank().getDouble(b, 0, t, f)).as("clip %d frame %d bin %d", b, t, f)
                            .isEqualTo(alone ? clip : Math.max(clip, other));
                    if (!alone) {
                        assertThat(m.partnerAlone().getDouble(b, 0, kept, f)).isEqualTo(other);
                    }
                }
                kept += alone ? 0 : 1;
            }
            for (boolean u : m.unmixed()[b]) {
                unmixedRows += u ? 1 : 0;
            }
            assertThat(unmixedRows).as("two windows of one patch row each").isEqualTo(2);
        }
    }

    @Test
    void theRetentionTargetAveragesTheTeachersViewsOfTheTwoSources() {
        EatPretraining p = stage2(1.0);
        INDArray x = clips();
        Map<String, INDArray> feed = p.batch(x, new SplittableRandom(11));
        assertThat(feed.get("fbank").size(0)).as("4 clean + 4 mixed clips, 2 copies each").isEqualTo(16);
        INDArray retained = feed.get("retained");
        INDArray masked = feed.get("masked");
        // only the mixtures' masked, mixed patches: none on the clean copies (rows 0..7)
        assertThat(retained.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 8)).sumNumber().doubleValue()).isZero();
        assertThat(retained.sumNumber().doubleValue()).isPositive();
        assertThat(retained.sub(masked).maxNumber().doubleValue()).as("retained within masked").isLessThanOrEqualTo(0);
        // the teacher's targets, computed here from its own weights: clean clip 2, and its partner 1 alone
        EatPretraining.Mixture m = p.mix(x, new SplittableRandom(11));
        org.sep4j.models.nn.Graph full = teacherTargets(p, 64);
        org.sep4j.models.nn.Graph shorter = teacherTargets(p, 32);
        INDArray clean = full.output(Map.of("fbank", x), "t").get("t");
        INDArray alone = shorter.output(Map.of("fbank", m.partnerAlone()), "t").get("t");
        INDArray retention = feed.get("retention");
        int row = (4 + 2) * 2; // the first copy of mixture 2
        int k = 0;
        for (int t = 0; t < 4; t++) {
            if (m.unmixed()[2][t]) {
                assertThat(retention.get(org.nd4j.linalg.indexing.NDArrayIndex.point(row),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(t * 8, t * 8 + 8)).sumNumber().doubleValue()).isZero();
                continue;
            }
            for (int f = 0; f < 8; f++) {
                for (int c = 0; c < 32; c += 7) {
                    double want = 0.5 * (clean.getDouble(2, t * 8 + f, c) + alone.getDouble(2, k * 8 + f, c));
                    assertThat(retention.getDouble(row, t * 8 + f, c)).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-5));
                }
            }
            k++;
        }
    }

    /** A teacher of {@code frames} frames with the EMA teacher's weights, its frame target named "t". */
    private static org.sep4j.models.nn.Graph teacherTargets(EatPretraining p, int frames) {
        org.sep4j.models.nn.Graph g = new org.sep4j.models.nn.Graph(0);
        g.train(false);
        org.sep4j.models.sslam.EatEncoder enc = new org.sep4j.models.sslam.EatEncoder(new EatConfig(32, 2, 4, 4.0, 1e-6), frames);
        var o = enc.encode(g, enc.input(g, "fbank"));
        var t = org.sep4j.models.sslam.EatTargets.frames(g, o.mlp(), 32, frames / 16 * 8);
        g.sd().getVariable(t.name()).rename("t");
        g.copyWeightsFrom(p.ema().teacher());
        return g;
    }

    @Test
    void theStage2StudentLearnsBothLosses(@TempDir Path dir) throws Exception {
        EatPretraining p = stage2(1.0);
        INDArray x = clips();
        Map<String, INDArray> probe = p.batch(x, new SplittableRandom(99));
        double before = p.student().output(probe, EatPretraining.LOSS).get(EatPretraining.LOSS).getDouble(0);
        trainer(p, dir, 60).fit(step -> p.batch(x, new SplittableRandom(step)));
        double after = p.student().output(probe, EatPretraining.LOSS).get(EatPretraining.LOSS).getDouble(0);
        System.out.printf(java.util.Locale.ROOT, "SSLAM stage 2, frozen teacher: loss on held-out masks %.4f -> %.4f%n", before, after);
        assertThat(after).as("before %.4f", before).isLessThan(0.7 * before);
    }
}

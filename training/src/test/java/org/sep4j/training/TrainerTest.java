package org.sep4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.track.LocalTracker;
import org.sep4j.core.track.RunInfo;
import org.sep4j.models.nn.Activations;
import org.sep4j.models.nn.Conv2d;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.Linear;
import org.sep4j.training.loss.Losses;
import org.sep4j.training.optim.LrSchedule;
import org.sep4j.training.optim.Optimizer;
import org.sep4j.training.optim.ParamGroup;

class TrainerTest {

    /** A small conv net regressing a fixed smooth function of its input image. */
    private static Graph model() {
        Graph g = new Graph(5);
        SDVariable x = g.input("x", -1, 1, 8, 8);
        SDVariable h = Activations.leakyRelu(g, Conv2d.same("conv1", 1, 8, 3).apply(g, x), 0.01);
        h = Activations.leakyRelu(g, Conv2d.same("conv2", 8, 8, 3).apply(g, h), 0.01);
        SDVariable flat = h.reshape(-1, 8 * 8 * 8);
        SDVariable y = new Linear("head", 8 * 8 * 8, 2).apply(g, flat);
        SDVariable target = g.input("y", -1, 2);
        SDVariable loss = Losses.mse(g.sd(), y, target);
        g.sd().setLossVariables(loss);
        g.sd().getVariable(loss.name()).rename("loss");
        return g;
    }

    /** Batch of a step: deterministic images and targets (mean brightness and a left/right contrast). */
    private static Map<String, INDArray> batch(long step) {
        Nd4j.getRandom().setSeed(1000 + step);
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 1, 8, 8);
        INDArray mean = x.mean(1, 2, 3).reshape(16, 1);
        INDArray left = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)).mean(1, 2, 3);
        INDArray y = Nd4j.concat(1, mean.mul(4), left.reshape(16, 1).sub(mean).mul(8));
        return Map.of("x", x, "y", y);
    }

    private static Trainer trainer(Graph g, long steps, Path dir) {
        LocalTracker t = new LocalTracker();
        t.start(new RunInfo("t", "t", "test", dir.resolve("run")), Map.of());
        return new Trainer(g, "loss", new Optimizer(Optimizer.Settings.adamw(true), List.of(ParamGroup.all(0.0))),
                LrSchedule.cosine(3e-3, 5, 60), new Trainer.Settings(steps, 1.0, 5, 10), t, dir.resolve("ckpt"));
    }

    @Test
    void lossFallsFiveFold(@TempDir Path dir) throws Exception {
        Graph g = model();
        double first = g.output(batch(0), "loss").get("loss").getDouble(0);
        double last = trainer(g, 60, dir).fit(TrainerTest::batch);
        assertThat(last).isLessThan(first / 5);
    }

    @Test
    void anEmaTeacherFollowsTheStudentAndResumesFromTheCheckpoint(@TempDir Path dir) throws Exception {
        Graph straight = model();
        Graph straightTeacher = model();
        INDArray initial = straightTeacher.params().get("head.weight").getArr().dup();
        trainer(straight, 20, dir.resolve("a")).teacher(new Ema(straight, straightTeacher, 0.8, 0.95, 10)).fit(TrainerTest::batch);
        Graph half = model();
        trainer(half, 10, dir.resolve("b")).teacher(new Ema(half, model(), 0.8, 0.95, 10)).fit(TrainerTest::batch);
        assertThat(dir.resolve("b/ckpt/last/teacher.safetensors")).exists();
        Graph resumed = model(); // a fresh process: the student and its teacher come back from step 10
        Graph resumedTeacher = model();
        trainer(resumed, 20, dir.resolve("b")).teacher(new Ema(resumed, resumedTeacher, 0.8, 0.95, 10)).fit(TrainerTest::batch);
        for (String n : straightTeacher.paramNames()) {
            INDArray a = straightTeacher.params().get(n).getArr();
            INDArray b = resumedTeacher.params().get(n).getArr();
            assertThat(a.sub(b).amaxNumber().doubleValue()).as(n).isLessThanOrEqualTo(1e-6);
        }
        INDArray t = straightTeacher.params().get("head.weight").getArr();
        INDArray s = straight.params().get("head.weight").getArr();
        assertThat(t.sub(initial).amaxNumber().doubleValue()).as("the teacher moved").isGreaterThan(1e-4);
        assertThat(t.sub(s).amaxNumber().doubleValue()).as("and lags the student").isGreaterThan(1e-5);
    }

    @Test
    void resumingGivesTheSameWeightsAsOneRun(@TempDir Path dir) throws Exception {
        Graph straight = model();
        trainer(straight, 20, dir.resolve("a")).fit(TrainerTest::batch);
        Graph half = model();
        trainer(half, 10, dir.resolve("b")).fit(TrainerTest::batch);
        Graph resumed = model(); // a fresh process: same init, then the checkpoint of step 10
        trainer(resumed, 20, dir.resolve("b")).fit(TrainerTest::batch);
        for (String n : straight.paramNames()) {
            INDArray a = straight.params().get(n).getArr();
            INDArray b = resumed.params().get(n).getArr();
            assertThat(a.sub(b).amaxNumber().doubleValue()).as(n).isLessThanOrEqualTo(1e-6);
        }
        assertThat(java.nio.file.Files.readString(dir.resolve("b/ckpt/last/state.json"))).contains("\"step\": 20");
    }

    @Test
    void divergenceStopsWithTheStepNamed(@TempDir Path dir) {
        Graph g = model();
        assertThatThrownBy(() -> trainer(g, 10, dir).fit(step -> {
            Map<String, INDArray> b = new java.util.HashMap<>(batch(step));
            if (step == 3) {
                b.get("y").putScalar(0, Float.NaN);
            }
            return b;
        })).isInstanceOf(Trainer.DivergedException.class).hasMessageContaining("step 3");
    }

    @Test
    void validationKeepsTheBestCheckpointAndStopsEarly(@TempDir Path dir) throws Exception {
        Graph g = model();
        double[] script = {3.0, 2.0, 2.5, 2.6, 2.7, 1.0};  // the metric at steps 5, 10, 15, ...: best at 10
        Trainer.Settings s = new Trainer.Settings(60, 1.0, 5, 10).validating(5, "score", false, 3);
        Trainer t = new Trainer(g, "loss", new Optimizer(Optimizer.Settings.adamw(true), List.of(ParamGroup.all(0.0))),
                LrSchedule.cosine(3e-3, 5, 60), s, tracker(dir), dir.resolve("ckpt"));
        List<Long> asked = new java.util.ArrayList<>();
        Trainer.Result r = t.fit(TrainerTest::batch, step -> {
            asked.add(step);
            double held = g.output(batch(10_000), "loss").get("loss").getDouble(0);
            return Map.of("score", script[(int) (step / 5) - 1], "loss", held);
        });
        assertThat(asked).containsExactly(5L, 10L, 15L, 20L, 25L);
        assertThat(r.stoppedEarly()).isTrue();
        assertThat(r.bestStep()).isEqualTo(10);
        assertThat(r.best()).isEqualTo(2.0);
        assertThat(Checkpoint.step(dir.resolve("ckpt/best"))).isEqualTo(10);
        assertThat(Checkpoint.step(dir.resolve("ckpt/last"))).isEqualTo(25);
        // the best weights are those of step 10, not the last ones
        Graph best = model();
        Checkpoint.loadWeights(dir.resolve("ckpt/best"), best);
        assertThat(best.params().get("head.weight").getArr()).isNotEqualTo(g.params().get("head.weight").getArr());
        // a rerun of a run that stopped early does not train further
        Graph again = model();
        Trainer.Result rerun = new Trainer(again, "loss", new Optimizer(Optimizer.Settings.adamw(true),
                List.of(ParamGroup.all(0.0))), LrSchedule.cosine(3e-3, 5, 60), s, tracker(dir), dir.resolve("ckpt"))
                .fit(TrainerTest::batch, step -> {
                    throw new AssertionError("validated again at " + step);
                });
        assertThat(rerun.stoppedEarly()).isTrue();
        assertThat(rerun.bestStep()).isEqualTo(10);
        java.util.List<String> rows = java.nio.file.Files.readAllLines(dir.resolve("run/metrics.jsonl"));
        assertThat(String.join("\n", rows)).contains("val/score").contains("val/loss");
    }

    private static LocalTracker tracker(Path dir) {
        LocalTracker t = new LocalTracker();
        t.start(new RunInfo("t", "t", "test", dir.resolve("run")), Map.of());
        return t;
    }
}

package org.sep4j.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.tensor.TensorData;
import org.sep4j.models.nn.Graph;

/**
 * An exponential-moving-average teacher (data2vec 2.0, EAT, SSLAM): a second graph built by the
 * same model code, whose parameters follow the student's after every optimiser step,
 * θ_teacher ← d·θ_teacher + (1 − d)·θ_student, with the decay d moving linearly from
 * {@code start} to {@code end} over the first {@code rampUpdates} updates and held there (EAT:
 * 0.9998 → 0.99999 over 100k). Parameters pair by name; the teacher starts as a copy of the
 * student. A {@link Trainer} given one updates it after each step and keeps it in its checkpoints
 * ({@code teacher.safetensors}), so a resumed run continues the same average.
 */
public final class Ema {

    /** The checkpoint file (without extension) the teacher's parameters are saved in. */
    public static final String FILE = "teacher";

    private final Graph student;
    private final Graph teacher;
    private final double start;
    private final double end;
    private final long rampUpdates;

    public Ema(Graph student, Graph teacher, double start, double end, long rampUpdates) {
        if (!(start >= 0 && start <= 1 && end >= 0 && end <= 1) || rampUpdates < 0) {
            throw new IllegalArgumentException("EMA decay must lie in [0, 1] and its ramp be 0 or more updates; got " + start
                    + " → " + end + " over " + rampUpdates);
        }
        for (Map.Entry<String, SDVariable> e : teacher.params().entrySet()) {
            SDVariable s = student.params().get(e.getKey());
            if (s == null || !java.util.Arrays.equals(s.getArr().shape(), e.getValue().getArr().shape())) {
                throw new IllegalArgumentException("EMA teacher parameter '" + e.getKey() + "' "
                        + java.util.Arrays.toString(e.getValue().getArr().shape()) + " has no student parameter of that name "
                        + "and shape" + (s == null ? "" : " (the student's is " + java.util.Arrays.toString(s.getArr().shape()) + ")"));
            }
        }
        this.student = student;
        this.teacher = teacher;
        this.start = start;
        this.end = end;
        this.rampUpdates = rampUpdates;
        teacher.params().forEach((n, v) -> v.getArr().assign(student.params().get(n).getArr()));
    }

    public Graph teacher() {
        return teacher;
    }

    /** The decay of the update that follows {@code done} earlier ones. */
    public double decay(long done) {
        if (done >= rampUpdates) {
            return end;
        }
        return start + (end - start) * done / rampUpdates;
    }

    /** One update, after {@code done} earlier ones (the optimiser step just taken is number done + 1). */
    public void update(long done) {
        double d = decay(done);
        for (Map.Entry<String, SDVariable> e : teacher.params().entrySet()) {
            INDArray t = e.getValue().getArr();
            INDArray s = student.params().get(e.getKey()).getArr();
            t.muli(d).addi(s.mul(1 - d));
        }
    }

    /** The teacher's parameters, as a checkpoint stores them. */
    Map<String, TensorData> tensors() {
        Map<String, TensorData> out = new LinkedHashMap<>();
        teacher.params().forEach((n, v) -> out.put(n, Checkpoint.tensor(v.getArr())));
        return out;
    }

    /** Restores the teacher from a checkpoint's {@code teacher.safetensors}. */
    void restore(Path checkpoint, Map<String, TensorData> saved) throws IOException {
        for (Map.Entry<String, SDVariable> e : teacher.params().entrySet()) {
            TensorData t = saved.get(e.getKey());
            INDArray target = e.getValue().getArr();
            if (t == null || !java.util.Arrays.equals(t.shape(), target.shape())) {
                throw new IOException(checkpoint.resolve(FILE + ".safetensors") + ": no teacher tensor '" + e.getKey() + "' of shape "
                        + java.util.Arrays.toString(target.shape()) + (t == null ? "" : " (found " + java.util.Arrays.toString(t.shape()) + ")"));
            }
            target.assign(Nd4j.create(t.doubles(), t.shape(), 'c').castTo(target.dataType()));
        }
    }
}

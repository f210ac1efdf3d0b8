package org.sep4j.training;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.io.Folders;
import org.sep4j.core.io.Json;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.tensor.TensorData;
import org.sep4j.models.nn.Graph;
import org.sep4j.training.optim.Optimizer;

/**
 * A training checkpoint folder: {@code weights.safetensors} (parameters and buffers under their
 * state_dict names), {@code optimizer.safetensors} ({@code <param>/m}, {@code /v}, {@code /vmax})
 * and {@code state.json} (format version, step, per-parameter optimiser steps, caller metadata).
 * The folder is written beside its final name and renamed into place, so a killed run never leaves
 * a half-written checkpoint.
 */
public final class Checkpoint {

    /** Bumped when the files change meaning; older versions keep a reader. */
    public static final long FORMAT_VERSION = 1;

    private Checkpoint() {
    }

    public static void save(Path dir, Graph g, Optimizer opt, long step, Map<String, Object> meta) throws IOException {
        save(dir, g, opt, step, meta, Map.of());
    }

    /**
     * As {@link #save(Path, Graph, Optimizer, long, Map)}, with further tensor files in the same
     * folder ({@code <name>.safetensors}, e.g. an EMA teacher's), written before the folder moves into place.
     */
    public static void save(Path dir, Graph g, Optimizer opt, long step, Map<String, Object> meta,
            Map<String, Map<String, TensorData>> extras) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".");
        try {
            Map<String, TensorData> weights = new LinkedHashMap<>();
            g.params().forEach((n, v) -> weights.put(n, tensor(v.getArr())));
            g.buffers().forEach((n, v) -> weights.put(n, tensor(v)));
            Safetensors.write(tmp.resolve("weights.safetensors"), weights, Map.of("format", "pt", "sep4j", "1"));
            Map<String, TensorData> state = new LinkedHashMap<>();
            Map<String, Object> steps = new LinkedHashMap<>();
            opt.state().forEach((n, s) -> {
                s.arrays().forEach((k, a) -> state.put(n + "/" + k, tensor(a)));
                steps.put(n, s.step());
            });
            Safetensors.write(tmp.resolve("optimizer.safetensors"), state, Map.of());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("format_version", FORMAT_VERSION);
            json.put("step", step);
            json.put("optimizer_steps", steps);
            json.put("meta", meta);
            for (Map.Entry<String, Map<String, TensorData>> e : extras.entrySet()) {
                Safetensors.write(tmp.resolve(e.getKey() + ".safetensors"), e.getValue(), Map.of());
            }
            Files.writeString(tmp.resolve("state.json"), Json.pretty(json));
            replace(tmp, dir);
        } finally {
            Folders.deleteTree(tmp);
        }
    }

    /** Restores parameters, buffers and optimiser state; returns the saved step. */
    @SuppressWarnings("unchecked")
    public static long load(Path dir, Graph g, Optimizer opt) throws IOException {
        Map<String, Object> json = state(dir);
        assignWeights(dir, g);
        Safetensors.Contents o = Safetensors.read(dir.resolve("optimizer.safetensors"));
        Map<String, Object> steps = (Map<String, Object>) json.get("optimizer_steps");
        opt.state().clear();
        for (Map.Entry<String, Object> e : steps.entrySet()) {
            INDArray p = g.params().get(e.getKey()).getArr();
            Map<String, INDArray> arrays = new LinkedHashMap<>();
            for (String k : new String[] {"m", "v", "vmax"}) {
                TensorData t = o.tensors().get(e.getKey() + "/" + k);
                if (t != null) {
                    arrays.put(k, Nd4j.create(t.doubles(), t.shape(), 'c').castTo(p.dataType()));
                }
            }
            opt.restore(e.getKey(), arrays, ((Number) e.getValue()).longValue());
        }
        return ((Number) json.get("step")).longValue();
    }

    /** Restores parameters and buffers only (evaluation, fine-tuning from a checkpoint). */
    public static void loadWeights(Path dir, Graph g) throws IOException {
        state(dir); // a readable checkpoint of this format, before any tensor is touched
        assignWeights(dir, g);
    }

    private static void assignWeights(Path dir, Graph g) throws IOException {
        Safetensors.Contents w = Safetensors.read(dir.resolve("weights.safetensors"));
        for (Map.Entry<String, SDVariable> e : g.params().entrySet()) {
            assign(e.getValue().getArr(), w.tensors().get(e.getKey()), dir, e.getKey());
        }
        for (Map.Entry<String, INDArray> e : g.buffers().entrySet()) {
            assign(e.getValue(), w.tensors().get(e.getKey()), dir, e.getKey());
        }
    }

    /** A further tensor file of a checkpoint ({@code <name>.safetensors}); an error naming the file when it is missing. */
    public static Map<String, TensorData> extra(Path dir, String name) throws IOException {
        state(dir);
        Path f = dir.resolve(name + ".safetensors");
        if (!Files.isRegularFile(f)) {
            throw new IOException(f + ": missing (the run was checkpointed without it; start it again without resuming)");
        }
        return Safetensors.read(f).tensors();
    }

    /** The {@code meta} map saved with the checkpoint (loss, best metric, ...). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> meta(Path dir) throws IOException {
        Object m = state(dir).get("meta");
        return m instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** The saved step of a checkpoint. */
    public static long step(Path dir) throws IOException {
        return ((Number) state(dir).get("step")).longValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> state(Path dir) throws IOException {
        Path stateFile = dir.resolve("state.json");
        if (!Files.isRegularFile(stateFile)) {
            throw new IOException(dir + ": not a checkpoint (no state.json)");
        }
        Map<String, Object> json;
        try {
            json = (Map<String, Object>) Json.parse(Files.readString(stateFile));
        } catch (IllegalArgumentException e) {
            throw new IOException(stateFile + ": corrupt checkpoint state: " + e.getMessage());
        }
        long version = ((Number) json.get("format_version")).longValue();
        if (version != FORMAT_VERSION) {
            throw new IOException(stateFile + ": checkpoint format " + version + ", this sep4j reads " + FORMAT_VERSION);
        }
        return json;
    }

    private static void assign(INDArray target, TensorData t, Path dir, String name) throws IOException {
        if (t == null) {
            throw new IOException(dir + ": checkpoint has no tensor '" + name + "' (a different model?)");
        }
        if (!java.util.Arrays.equals(target.shape(), t.shape())) {
            throw new IOException(dir + ": tensor '" + name + "' has shape " + java.util.Arrays.toString(t.shape())
                    + ", the model expects " + java.util.Arrays.toString(target.shape()));
        }
        target.assign(Nd4j.create(t.doubles(), t.shape(), 'c').castTo(target.dataType()));
    }

    static TensorData tensor(INDArray a) {
        INDArray c = a.dup('c');
        if (c.dataType() == DataType.DOUBLE) {
            return TensorData.of(c.data().asDouble(), c.shape());
        }
        return TensorData.of(c.castTo(DataType.FLOAT).data().asFloat(), c.shape());
    }

    private static void replace(Path tmp, Path dir) throws IOException {
        Path old = null;
        if (Files.exists(dir)) {
            old = dir.resolveSibling("." + dir.getFileName() + ".old");
            Folders.deleteTree(old);
            Files.move(dir, old);
        }
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir);
        }
        if (old != null) {
            Folders.deleteTree(old);
        }
    }
}

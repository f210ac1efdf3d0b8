package org.sep4j.training.dcase;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.sep4j.core.track.Tracker;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.WeightImport;
import org.sep4j.training.Trainer;
import org.sep4j.training.optim.LrSchedule;
import org.sep4j.training.optim.Optimizer;
import org.sep4j.training.optim.ParamGroup;

/** The optimiser, schedule and trainer every DCASE task uses, from the {@code trainer} block. */
final class Fitting {

    private Fitting() {
    }

    /**
     * Parameter groups: the stage-2 SED and the DPRNN at their own rates, norms and biases without
     * weight decay, fixed positional embeddings never trained; a frozen SED is in no group.
     */
    static List<ParamGroup> groups(TrainSettings s, boolean sedTrainable) {
        Predicate<String> trainable = n -> !n.endsWith("pos_embed") && (sedTrainable || !n.startsWith("sed."));
        ParamGroup noDecay = ParamGroup.noDecay(1.0);
        List<ParamGroup> groups = new ArrayList<>();
        groups.add(new ParamGroup("sed", n -> trainable.test(n) && n.startsWith("sed."), s.sedLrScale(), s.weightDecay()));
        groups.add(new ParamGroup("dprnn", n -> n.startsWith("dprnn."), s.dprnnLrScale(), s.weightDecay()));
        groups.add(new ParamGroup("no-decay", n -> trainable.test(n) && noDecay.selects().test(n), 1.0, 0.0));
        groups.add(new ParamGroup("all", trainable, 1.0, s.weightDecay()));
        return groups;
    }

    static Trainer trainer(Graph g, TrainSettings s, Tracker tracker, Path checkpoints, String monitor, boolean maximize,
            List<ParamGroup> groups) {
        Optimizer opt = new Optimizer(Optimizer.Settings.adamw(s.amsgrad()), groups);
        LrSchedule schedule = s.lrSchedule();
        Trainer.Settings ts = new Trainer.Settings(s.steps(), s.clipNorm(), s.logEvery(), s.checkpointEvery())
                .validating(s.validateEvery() > 0 ? s.validateEvery() : (int) s.steps(), monitor, maximize, s.patience());
        return new Trainer(g, "loss", opt, schedule, ts, tracker, checkpoints);
    }

    /**
     * Starts {@code g} from pretrained weights: a safetensors file, or a checkpoint folder holding
     * {@code weights.safetensors}; file names map to graph names by {@code prefix}. Every tensor that
     * names a parameter must have its shape; with {@code complete} every parameter under the prefix
     * must be in the file. Parameters the file lacks keep their initialisation (said in the log).
     */
    static void startFrom(Graph g, Path weights, String key, String prefix, boolean complete,
            java.util.function.Consumer<String> log) throws java.io.IOException {
        Path file = java.nio.file.Files.isDirectory(weights) ? weights.resolve("weights.safetensors") : weights;
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new java.io.IOException(key + ": " + weights + " not found; expected a .safetensors file of pretrained weights "
                    + "or a run's checkpoint folder (checkpoints/best) holding weights.safetensors");
        }
        WeightImport.Report r = WeightImport.load(g, Safetensors.read(file).tensors(), n -> prefix + n, false);
        List<String> missing = r.missing().stream().filter(n -> n.startsWith(prefix)).toList();
        if (!r.mismatched().isEmpty() || r.loaded().isEmpty() || (complete && !missing.isEmpty())) {
            throw new java.io.IOException(key + ": " + file + " does not fit the model (" + r.loaded().size() + " tensors fit, "
                    + missing.size() + " parameters missing" + (missing.isEmpty() ? "" : " e.g. " + missing.get(0)) + ", shape "
                    + "mismatches: " + r.mismatched() + (r.loaded().isEmpty() && !r.unexpected().isEmpty()
                            ? ", names like " + r.unexpected().get(0) + " match no parameter" : "") + ")");
        }
        log.accept(key + ": started from " + file + " (" + r.loaded().size() + " tensors" + (missing.isEmpty() ? ""
                : "; " + missing.size() + " parameters keep their initialisation") + (r.unexpected().isEmpty() ? ""
                : "; " + r.unexpected().size() + " tensors unused") + ")");
    }
}

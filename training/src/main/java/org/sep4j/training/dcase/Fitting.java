package org.sep4j.training.dcase;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.sep4j.core.track.Tracker;
import org.sep4j.models.nn.Graph;
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
        LrSchedule schedule = new LrSchedule(s.schedule(), s.lr(), Math.min(s.warmup(), s.steps()), s.steps(), 0.5,
                Math.max(1, s.steps() / 3));
        Trainer.Settings ts = new Trainer.Settings(s.steps(), s.clipNorm(), s.logEvery(), s.checkpointEvery())
                .validating(s.validateEvery() > 0 ? s.validateEvery() : (int) s.steps(), monitor, maximize, s.patience());
        return new Trainer(g, "loss", opt, schedule, ts, tracker, checkpoints);
    }
}

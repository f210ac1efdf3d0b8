package org.sep4j.training.sslam;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.config.Doc;
import org.sep4j.core.track.Tracker;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.sslam.EatConfig;
import org.sep4j.models.sslam.EatEncoder;
import org.sep4j.training.Trainer;
import org.sep4j.training.dcase.TrainSettings;
import org.sep4j.training.optim.Optimizer;
import org.sep4j.training.optim.ParamGroup;

/**
 * {@code task: sslam_finetune}: EAT's fine-tuning for tagging: the whole encoder and the CLS head
 * train on the clips' labels (BCE), the encoder's layers at layer-wise decayed learning rates
 * (block i of L at {@code layer_decay^(L−i)}, the patch embedding, CLS and context norm at
 * {@code layer_decay^(L+1)}, the head at 1), scored by mAP on the validation clips.
 */
public final class FinetuneTask {

    /** The {@code finetune} block. */
    public record Settings(
            @Doc("fbank frames per clip (a multiple of 16; 1024 for 10 s)") int frames,
            @Doc("encoder weights: a pre-training run's checkpoints/last, or a .safetensors file; null: random") Path weights,
            @Doc("labelled clips: a folder of <class>/*.wav, or a CSV of files and labels; null: the generated scenes")
            Path data,
            @Doc("their validation clips (same forms); null: every 5th clip of finetune.data (the scenes have their own)")
            Path validationData,
            @Doc("generated training scenes, cycled (when finetune.data is null)") int trainItems,
            @Doc("learning-rate factor per layer from the top (EAT: 0.65; 1: none)") double layerDecay) {
    }

    private static final String LOGITS = "logits";

    private final EatConfig model;
    private final Settings settings;
    private final TaggedClips train;
    private final TaggedClips validation;
    private final TrainSettings trainer;

    public FinetuneTask(EatConfig model, Settings settings, SceneGenerator data, TrainSettings trainer) throws IOException {
        if (!(settings.layerDecay() > 0 && settings.layerDecay() <= 1)) {
            throw new IllegalArgumentException("finetune.layer_decay: expected a value in (0, 1], got " + settings.layerDecay());
        }
        TaggedClips[] clips = TaggedClips.open("finetune", settings.data(), settings.validationData(), data, model, settings.frames(),
                settings.trainItems(), trainer.validationItems());
        this.model = model;
        this.settings = settings;
        this.train = clips[0];
        this.validation = clips[1];
        this.trainer = trainer;
    }

    Graph graph(long seed) {
        Graph g = new Graph(seed);
        EatEncoder enc = new EatEncoder(model, settings.frames());
        SDVariable cls = enc.apply(g, enc.input(g, TaggedClips.FBANK)).get(SDIndex.all(), SDIndex.point(0), SDIndex.all());
        SDVariable logits = Heads.tagging(g, cls, model.dim(), train.classes().size());
        g.sd().getVariable(logits.name()).rename(LOGITS);
        Heads.bceLoss(g, g.sd().getVariable(LOGITS), train.classes().size());
        return g;
    }

    public long parameterCount(long seed) {
        return graph(seed).parameterCount();
    }

    /** Layer-wise decayed groups, biases and norms without weight decay in each. */
    List<ParamGroup> groups() {
        int depth = model.depth();
        List<ParamGroup> groups = new ArrayList<>();
        addGroup(groups, Heads.PREFIX, 1.0);
        for (int i = depth - 1; i >= 0; i--) {
            addGroup(groups, EatEncoder.BLOCKS + "." + i + ".", Math.pow(settings.layerDecay(), depth - i));
        }
        addGroup(groups, "", Math.pow(settings.layerDecay(), depth + 1)); // the patch embedding, CLS, context norm
        return groups;
    }

    private void addGroup(List<ParamGroup> groups, String prefix, double scale) {
        ParamGroup noDecay = ParamGroup.noDecay(scale);
        groups.add(new ParamGroup(prefix + "(no decay)", n -> n.startsWith(prefix) && noDecay.selects().test(n), scale, 0.0));
        groups.add(ParamGroup.prefix(prefix, scale, trainer.weightDecay()));
    }

    public Trainer.Result train(Path checkpoints, Tracker tracker, long seed, Consumer<String> log) throws IOException {
        Graph g = graph(seed);
        if (settings.weights() != null) {
            Heads.startFrom(g, settings.weights(), "finetune.weights", log);
        } else {
            log.accept("finetune.weights: null, a random encoder");
        }
        log.accept("fine-tuning on " + train.where() + " (" + train.size() + " clips), scored on " + validation.where() + " ("
                + validation.size() + " clips), " + train.classes().size() + " classes");
        Graph eval = graph(seed);
        eval.train(false);
        Optimizer opt = new Optimizer(Optimizer.Settings.adamw(false), groups());
        int b = trainer.batchSize();
        return Heads.trainer(g, opt, trainer, tracker, checkpoints).fit(step -> {
            return train.batch(Heads.batch(train.size(), b, seed, step), settings.frames());
        }, step -> {
            eval.copyWeightsFrom(g);
            TaggedClips.Outputs v = validation.outputs(eval, LOGITS, settings.frames(), b, null);
            return Map.of("map", Heads.meanAveragePrecision(v.labels(), v.values()));
        });
    }
}

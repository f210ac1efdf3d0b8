package org.sep4j.training.sslam;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.config.Doc;
import org.sep4j.core.progress.ProgressBar;
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
 * {@code task: sslam_linear}: the linear evaluation of an EAT/SSLAM encoder. The frozen encoder
 * computes each clip's CLS feature once; a LayerNorm and a linear layer on them train with binary
 * cross-entropy on the clips' labels (weak labels of the generated scenes, or a user's
 * {@code probe.data}), scored by mean average precision (mAP) on the validation clips. The
 * encoder starts from {@code probe.weights} (a pre-training run's checkpoint, or a safetensors
 * file with fairseq's names), or random: the baseline to read it against.
 */
public final class LinearProbeTask {

    /** The {@code probe} block. */
    public record Settings(
            @Doc("fbank frames per clip (a multiple of 16; 1024 for 10 s)") int frames,
            @Doc("encoder weights: a pre-training run's checkpoints/last (or best), or a .safetensors file; null: random")
            Path weights,
            @Doc("labelled clips: a folder of <class>/*.wav, or a CSV of files and labels; null: the generated scenes")
            Path data,
            @Doc("their validation clips (same forms); null: every 5th clip of probe.data (the scenes have their own)")
            Path validationData,
            @Doc("generated training scenes whose features the head learns from (when probe.data is null)") int trainItems,
            @Doc("the clip's feature: cls (EAT's linear evaluation) or mean (the patch tokens' mean)") String pool) {

        public Settings {
            if (!"cls".equals(pool) && !"mean".equals(pool)) {
                throw new IllegalArgumentException("probe.pool: expected cls or mean, found " + pool);
            }
        }
    }

    static final String FEATURES = "features";
    static final String LOGITS = "logits";
    /** Clips per encoder pass while the features are computed. */
    private static final int EXTRACT_BATCH = 16;

    private final EatConfig model;
    private final Settings settings;
    private final TaggedClips train;
    private final TaggedClips validation;
    private final TrainSettings trainer;

    public LinearProbeTask(EatConfig model, Settings settings, SceneGenerator data, TrainSettings trainer) throws IOException {
        TaggedClips[] clips = TaggedClips.open("probe", settings.data(), settings.validationData(), data, model, settings.frames(),
                settings.trainItems(), trainer.validationItems());
        this.model = model;
        this.settings = settings;
        this.train = clips[0];
        this.validation = clips[1];
        this.trainer = trainer;
    }

    /** The head: features {@code [B, D]} → LayerNorm → linear → logits, BCE against the labels. */
    Graph head(long seed) {
        Graph g = new Graph(seed);
        SDVariable logits = Heads.tagging(g, g.input(FEATURES, -1, model.dim()), model.dim(), train.classes().size());
        g.sd().getVariable(logits.name()).rename(LOGITS);
        Heads.bceLoss(g, g.sd().getVariable(LOGITS), train.classes().size());
        return g;
    }

    public long parameterCount(long seed) {
        return head(seed).parameterCount();
    }

    public Trainer.Result train(Path checkpoints, Tracker tracker, long seed, Consumer<String> log) throws IOException {
        Graph encoder = new Graph(seed);
        encoder.train(false);
        EatEncoder enc = new EatEncoder(model, settings.frames());
        SDVariable tokens = enc.apply(encoder, enc.input(encoder, TaggedClips.FBANK));
        SDVariable cls = settings.pool().equals("cls") ? tokens.get(SDIndex.all(), SDIndex.point(0), SDIndex.all())
                : tokens.get(SDIndex.all(), SDIndex.interval(1, enc.tokens()), SDIndex.all()).mean(1);
        if (settings.weights() != null) {
            Heads.startFrom(encoder, settings.weights(), "probe.weights", log);
        } else {
            log.accept("probe.weights: null, a random encoder (the baseline to read a pre-trained one against)");
        }
        log.accept("linear evaluation on " + train.where() + " (" + train.size() + " clips) and " + validation.where() + " ("
                + validation.size() + " clips), " + train.classes().size() + " classes");
        TaggedClips.Outputs tr = features(encoder, cls.name(), train, "training");
        TaggedClips.Outputs val = features(encoder, cls.name(), validation, "validation");

        Graph g = head(seed);
        Graph eval = head(seed);
        Optimizer opt = new Optimizer(Optimizer.Settings.adamw(false), List.of(ParamGroup.noDecay(1.0),
                ParamGroup.all(trainer.weightDecay())));
        return Heads.trainer(g, opt, trainer, tracker, checkpoints).fit(step -> {
            int[] idx = Heads.batch(train.size(), trainer.batchSize(), seed, step);
            return Map.of(FEATURES, tr.values().getRows(idx), TaggedClips.LABELS, tr.labels().getRows(idx));
        }, step -> {
            eval.copyWeightsFrom(g);
            INDArray logits = eval.output(Map.of(FEATURES, val.values()), LOGITS).get(LOGITS);
            return Map.of("map", Heads.meanAveragePrecision(val.labels(), logits));
        });
    }

    private TaggedClips.Outputs features(Graph encoder, String output, TaggedClips clips, String what) {
        try (ProgressBar bar = ProgressBar.start("features (" + what + ")", clips.size(), "clips")) {
            return clips.outputs(encoder, output, settings.frames(), EXTRACT_BATCH, bar);
        }
    }
}

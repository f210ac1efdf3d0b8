package org.sep4j.training.clap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.config.Doc;
import org.sep4j.core.track.Tracker;
import org.sep4j.data.captions.Captions;
import org.sep4j.data.clips.ClassClips;
import org.sep4j.models.clap.ClapConfig;
import org.sep4j.models.clap.NativeClap;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.onnx.ByteLevelBpe;
import org.sep4j.training.Trainer;
import org.sep4j.training.dcase.TrainSettings;
import org.sep4j.training.loss.Losses;
import org.sep4j.training.optim.Optimizer;
import org.sep4j.training.optim.ParamGroup;

/**
 * {@code task: clap}: sep4j's CLAP trained contrastively (CLIP's symmetric InfoNCE, learned
 * temperature) on clips of the sound library with captions generated from their labels. Each step's
 * batch holds distinct label sets: distinct main classes, and with {@code clap.mix_probability} a
 * second class from outside the batch's main ones, so no caption is a false negative of another clip.
 * Validation: text→audio recall@1 over groups of held-out clips, one per class, queried by each
 * class's plain caption ("the sound of a doorbell"); chance is 1/classes.
 */
public final class ClapTask {

    /** The {@code clap} block. */
    public record Settings(
            @Doc("fraction of training clips that mix a second class in (captioned as a pair)") double mixProbability,
            @Doc("held-out groups (one clip per class each) that recall@1 is measured on") int validationGroups) {
    }

    static final String LOSS = "loss";

    private final ClapConfig cfg;
    private final Settings settings;
    private final ClassClips clips;
    private final TrainSettings trainer;
    private final ByteLevelBpe tokenizer;

    public ClapTask(ClapConfig cfg, Settings settings, ClassClips clips, TrainSettings trainer) {
        if (clips.samples() != cfg.samples() || clips.sampleRate() != cfg.sampleRate()) {
            throw new IllegalArgumentException("model.clap: clips of " + cfg.samples() + " samples at " + cfg.sampleRate()
                    + " Hz, the library gives " + clips.samples() + " at " + clips.sampleRate());
        }
        if (trainer.batchSize() > clips.classes().size()) {
            throw new IllegalArgumentException("trainer.batch_size: a CLAP batch holds distinct classes, so at most "
                    + clips.classes().size() + " (the library's classes), found " + trainer.batchSize());
        }
        if (!(settings.mixProbability() >= 0 && settings.mixProbability() <= 1) || settings.validationGroups() < 1) {
            throw new IllegalArgumentException("clap: mix_probability in [0, 1] and validation_groups >= 1 expected, found "
                    + settings.mixProbability() + " and " + settings.validationGroups());
        }
        this.cfg = cfg;
        this.settings = settings;
        this.clips = clips;
        this.trainer = trainer;
        this.tokenizer = tokenizer(cfg, clips.classes());
    }

    /** The library's event classes (targets and interference) as clips of the CLAP's length and rate. */
    public static ClassClips clips(org.sep4j.data.LibraryConfig library, int sampleRate, int samples) throws IOException {
        List<String> classes = new ArrayList<>(library.targets());
        library.interference().stream().filter(c -> !classes.contains(c)).forEach(classes::add);
        return new ClassClips(library.open(sampleRate), classes, samples);
    }

    /** The BPE learned from every caption the templates form for these classes: the same for the same classes and merges. */
    public static ByteLevelBpe tokenizer(ClapConfig cfg, List<String> classes) {
        return ByteLevelBpe.learn(Captions.corpus(classes), cfg.merges());
    }

    public ByteLevelBpe tokenizer() {
        return tokenizer;
    }

    /** The training graph: both towers and the contrastive loss, at a fixed batch. */
    Graph graph(long seed) {
        Graph g = new Graph(seed);
        NativeClap clap = new NativeClap(cfg, tokenizer.vocabularySize());
        SDVariable a = clap.audio(g, trainer.batchSize());
        SDVariable t = clap.text(g, trainer.batchSize()).embedding();
        SDVariable scale = g.sd().math().exp(NativeClap.logitScale(g)).reshape(1, 1);
        SDVariable logits = a.mmul(t.permute(1, 0)).mul(scale);                                    // [B, B] audio × text
        int b = trainer.batchSize();
        SDVariable loss = Losses.infoNce(g.sd(), logits, b).add(Losses.infoNce(g.sd(), logits.permute(1, 0), b)).mul(0.5);
        g.sd().setLossVariables(loss);
        g.sd().getVariable(loss.name()).rename(LOSS);
        return g;
    }

    /** Evaluation graph: unit embeddings of any batch, named {@code audio} and {@code text}. */
    Graph encoders(long seed) {
        Graph g = new Graph(seed);
        g.train(false);
        NativeClap clap = new NativeClap(cfg, tokenizer.vocabularySize());
        g.sd().identity("audio", clap.audio(g, -1));
        g.sd().identity("text", clap.text(g, -1).embedding());
        NativeClap.logitScale(g);
        return g;
    }

    public long parameterCount(long seed) {
        return graph(seed).parameterCount();
    }

    /** One step's batch: clips, their captions' ids and masks. */
    Map<String, INDArray> batch(long seed, long step) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        List<String> classes = clips.classes();
        int b = trainer.batchSize();
        int[] order = org.sep4j.data.loader.DataLoader.permutation(classes.size(), r);
        float[][] audio = new float[b][];
        String[] captions = new String[b];
        for (int i = 0; i < b; i++) {
            String main = classes.get(order[i]);
            float[] x = clips.clip(main, r.nextLong(), false, r);
            List<String> labels = new ArrayList<>(List.of(main));
            if (b < classes.size() && r.nextDouble() < settings.mixProbability()) {
                String second = classes.get(order[b + r.nextInt(classes.size() - b)]);
                float[] y = clips.clip(second, r.nextLong(), false, r);
                double ga = 0.5 + r.nextDouble();
                double gb = 0.5 + r.nextDouble();
                for (int k = 0; k < x.length; k++) {
                    x[k] = (float) ((ga * x[k] + gb * y[k]) / 2);
                }
                labels.add(second);
                if (r.nextBoolean()) {
                    java.util.Collections.reverse(labels);
                }
            }
            double gain = 0.25 + 0.75 * r.nextDouble();
            for (int k = 0; k < x.length; k++) {
                x[k] *= (float) gain;
            }
            audio[i] = x;
            captions[i] = Captions.describe(labels, r);
        }
        Map<String, INDArray> in = new LinkedHashMap<>(text(tokenizer, cfg.textTokens(), captions));
        in.put(NativeClap.WAVEFORM, Nd4j.create(audio));
        return in;
    }

    /** Token ids and masks of captions as the text tower's placeholders. */
    public static Map<String, INDArray> text(ByteLevelBpe tokenizer, int tokens, String... captions) {
        float[][] ids = new float[captions.length][tokens];
        float[][] keep = new float[captions.length][tokens];
        for (int i = 0; i < captions.length; i++) {
            ByteLevelBpe.Encoding e = tokenizer.encode(captions[i], tokens);
            for (int k = 0; k < tokens; k++) {
                ids[i][k] = e.ids()[k];
                keep[i][k] = e.mask()[k];
            }
        }
        return Map.of(NativeClap.IDS, Nd4j.create(ids), NativeClap.KEEP, Nd4j.create(keep));
    }

    /** Text→audio recall@1 over the held-out groups: each class's plain caption against one held-out clip per class. */
    static double recallAt1(Graph encoders, ClassClips clips, ByteLevelBpe tokenizer, int tokens, int groups) {
        List<String> classes = clips.classes();
        String[] queries = classes.stream().map(Captions::query).toArray(String[]::new);
        INDArray text = encoders.output(text(tokenizer, tokens, queries), "text").get("text").dup();
        int hits = 0;
        for (int grp = 0; grp < groups; grp++) {
            float[][] audio = new float[classes.size()][];
            for (int c = 0; c < classes.size(); c++) {
                SplittableRandom r = new SplittableRandom(0x5EED + 7919L * grp + c);
                audio[c] = clips.clip(classes.get(c), grp, true, r);
            }
            INDArray a = encoders.output(Map.of(NativeClap.WAVEFORM, Nd4j.create(audio)), "audio").get("audio");
            INDArray sim = text.mmul(a.transpose());                                           // [queries, clips]
            for (int c = 0; c < classes.size(); c++) {
                if (sim.getRow(c).argMax().getInt(0) == c) {
                    hits++;
                }
            }
        }
        return hits / (double) (groups * classes.size());
    }

    public Trainer.Result train(Path checkpoints, Tracker tracker, long seed, Consumer<String> log) throws IOException {
        tokenizer.save(checkpoints.getParent().resolve(TrainedClap.TOKENIZER));
        log.accept(String.format(java.util.Locale.ROOT, "clap: %d classes, a %d-token BPE learned from their captions; "
                + "recall@1 on %d held-out groups (chance %.3f)", clips.classes().size(), tokenizer.vocabularySize(),
                settings.validationGroups(), 1.0 / clips.classes().size()));
        Graph g = graph(seed);
        Graph eval = encoders(seed);
        Optimizer opt = new Optimizer(Optimizer.Settings.adamw(trainer.amsgrad()), List.of(
                new ParamGroup("no-decay", n -> ParamGroup.noDecay(1.0).selects().test(n) || n.equals(NativeClap.LOGIT_SCALE)
                        || n.contains("embedding"), 1.0, 0.0),
                ParamGroup.all(trainer.weightDecay())));
        Trainer.Settings ts = new Trainer.Settings(trainer.steps(), trainer.clipNorm(), trainer.logEvery(), trainer.checkpointEvery())
                .validating(trainer.validateEvery() > 0 ? trainer.validateEvery() : (int) trainer.steps(), "r_at_1", true,
                        trainer.patience());
        return new Trainer(g, LOSS, opt, trainer.lrSchedule(), ts, tracker, checkpoints).fit(step -> batch(seed, step), step -> {
            eval.copyWeightsFrom(g);
            double r1 = recallAt1(eval, clips, tokenizer, cfg.textTokens(), settings.validationGroups());
            return Map.of("r_at_1", r1, "chance", 1.0 / clips.classes().size());
        });
    }
}

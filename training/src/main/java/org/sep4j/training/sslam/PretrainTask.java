package org.sep4j.training.sslam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.WeightImport;
import org.sep4j.training.Ema;
import java.util.SplittableRandom;
import org.sep4j.core.config.Doc;
import org.sep4j.core.track.Tracker;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.models.sslam.EatConfig;
import org.sep4j.training.Trainer;
import org.sep4j.training.dcase.TrainSettings;
import org.sep4j.training.optim.LrSchedule;
import org.sep4j.training.optim.Optimizer;
import org.sep4j.training.optim.ParamGroup;

/**
 * {@code task: sslam_pretrain}: EAT's self-supervised pre-training ({@link EatPretraining}), or
 * with {@code pretrain.stage=2} SSLAM's second stage (mixtures and source retention), on
 * channel 0 of generated scenes at 16 kHz, as AudioSet-normalised 128-bin fbanks; Adam β (0.9,
 * 0.95) as EAT, the trainer's schedule, clipping and checkpoints, the EMA teacher kept in them.
 */
public final class PretrainTask {

    /** The {@code pretrain} block: every weight and ratio of the method. */
    public record Settings(
            @Doc("fbank frames per clip (a multiple of 16; 1024 for 10 s)") int frames,
            @Doc("fraction of patches masked for the student") double maskRatio,
            @Doc("side of the visible square blocks, in patches") int maskBlock,
            @Doc("extra block centres, as a fraction of the patches (data2vec's mask_prob_adjust)") double maskAdjust,
            @Doc("differently masked copies of each clip per step") int clones,
            @Doc("standard deviation of the noise at the decoder's masked positions") double noiseStd,
            @Doc("weight of the CLS (utterance) loss beside the frame loss") double utteranceWeight,
            @Doc("EMA teacher decay at the first update") double emaStart,
            @Doc("EMA teacher decay after the ramp") double emaEnd,
            @Doc("updates over which the decay moves linearly from ema_start to ema_end") long emaRamp,
            @Doc("decoder layers (grouped 3x3 convolutions on the patch grid)") int decoderLayers,
            @Doc("groups of each decoder convolution") int decoderGroups,
            @Doc("Adam beta2 (EAT: 0.95)") double beta2,
            @Doc("1: EAT (clean clips); 2: SSLAM's stage 2 (mixtures beside them, the source-retention loss, the CLS target "
                    + "from the last block)") int stage,
            @Doc("stage 2: frames of each of the two windows a mixture keeps its clip alone in (a multiple of 16; SSLAM: 240 "
                    + "of 1024)") int unmixedFrames,
            @Doc("stage 2: weight of the source-retention loss (SSLAM: 2)") double retentionWeight,
            @Doc("a pre-training checkpoint (e.g. stage 1's checkpoints/last) to start student, decoder and teacher from; "
                    + "null: random") Path init) {

        EatPretraining.Settings method() {
            return new EatPretraining.Settings(new InverseBlockMask(maskRatio, maskBlock, maskAdjust), clones, noiseStd,
                    utteranceWeight, emaStart, emaEnd, emaRamp, decoderLayers, decoderGroups);
        }

        EatPretraining.Mixing mixing() {
            if (stage != 1 && stage != 2) {
                throw new IllegalArgumentException("stage: expected 1 (EAT) or 2 (SSLAM's mixtures), got " + stage);
            }
            return stage == 2 ? new EatPretraining.Mixing(unmixedFrames, retentionWeight, true) : null;
        }
    }

    private final EatConfig model;
    private final Settings settings;
    private final SceneGenerator data;
    private final TrainSettings trainer;

    private final EatPretraining method;

    /** Builds the student and teacher once; a bad {@code pretrain.*} value is an error here, before any run folder. */
    public PretrainTask(EatConfig model, Settings settings, SceneGenerator data, TrainSettings trainer, long seed) {
        Clips.check(data, model, settings.frames(), "pretrain.frames", "sslam pre-training");
        try {
            this.method = new EatPretraining(model, settings.frames(), settings.method(), settings.mixing(), seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pretrain: " + e.getMessage(), e);
        }
        this.model = model;
        this.settings = settings;
        this.data = data;
        this.trainer = trainer;
    }

    public long parameterCount() {
        return method.student().parameterCount();
    }

    public Trainer.Result train(Path checkpoints, Tracker tracker, long seed, Consumer<String> log) throws IOException {
        EatPretraining p = method;
        if (settings.init() != null) {
            startFrom(settings.init(), log);
        }
        Optimizer opt = new Optimizer(new Optimizer.Settings(Optimizer.Kind.ADAMW, 0.9, settings.beta2(), 1e-8, false, false),
                java.util.List.of(ParamGroup.noDecay(1.0), ParamGroup.all(trainer.weightDecay())));
        LrSchedule schedule = trainer.lrSchedule();
        Trainer t = new Trainer(p.student(), EatPretraining.LOSS, opt, schedule,
                new Trainer.Settings(trainer.steps(), trainer.clipNorm(), trainer.logEvery(), trainer.checkpointEvery()), tracker,
                checkpoints).teacher(p.ema());
        return t.fit(step -> p.batch(Clips.fbanks(Clips.ofStep(data, step, trainer.batchSize()), settings.frames()),
                new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step)), null);
    }

    /** Student and decoder from {@code init}'s weights, the teacher from its teacher (or the student's encoder when it has none). */
    private void startFrom(Path init, Consumer<String> log) throws IOException {
        Path weights = init.resolve("weights.safetensors");
        if (!Files.isRegularFile(weights)) {
            throw new IOException("pretrain.init: " + init + " holds no weights.safetensors; expected a pre-training run's "
                    + "checkpoints/last");
        }
        WeightImport.Report r = WeightImport.load(method.student(), Safetensors.read(weights).tensors(), n -> n, false);
        if (!r.missing().isEmpty() || !r.mismatched().isEmpty()) {
            throw new IOException("pretrain.init: " + weights + " does not fit this student (model.sslam, pretrain.decoder_*): "
                    + "missing " + r.missing() + ", mismatched " + r.mismatched());
        }
        Graph teacher = method.ema().teacher();
        Path saved = init.resolve(Ema.FILE + ".safetensors");
        if (Files.isRegularFile(saved)) {
            WeightImport.Report t = WeightImport.load(teacher, Safetensors.read(saved).tensors(), n -> n, false);
            if (!t.missing().isEmpty() || !t.mismatched().isEmpty()) {
                throw new IOException("pretrain.init: " + saved + " does not fit this teacher: missing " + t.missing()
                        + ", mismatched " + t.mismatched());
            }
        } else {
            teacher.params().forEach((n, v) -> v.getArr().assign(method.student().params().get(n).getArr()));
        }
        log.accept("pretrain.init: student, decoder and teacher from " + init + (Files.isRegularFile(saved) ? ""
                : " (no teacher there: a copy of the student's encoder)"));
    }
}

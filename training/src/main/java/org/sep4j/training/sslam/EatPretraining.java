package org.sep4j.training.sslam;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.sslam.EatConfig;
import org.sep4j.models.sslam.EatDecoder;
import org.sep4j.models.sslam.EatEncoder;
import org.sep4j.models.sslam.EatTargets;
import org.sep4j.training.Ema;

/**
 * EAT's self-supervised step (data2vec 2.0 for audio), stage 1 of SSLAM: the EMA teacher encodes
 * each whole clip into frame and utterance targets; the student sees {@code clones} differently
 * masked copies of each clip (inverse block masks), encodes only their visible patches, and its
 * decoder predicts every patch. The loss ({@code loss}) is the frame regression on the masked
 * patches, Σ(prediction − target)²/√D over their channels averaged over them, plus
 * {@code utteranceWeight} times the CLS regression on the utterance target, Σ(cls − target)²/√D
 * averaged over the copies. Build a {@link org.sep4j.training.Trainer} on {@link #student()} with
 * {@link #ema()} as its teacher and {@link #batch} as its batches.
 */
public final class EatPretraining {

    /**
     * @param utteranceWeight weight of the CLS loss beside the frame loss (EAT: 1)
     * @param noiseStd        standard deviation of the decoder's masked-position noise (EAT: 0.01)
     */
    public record Settings(InverseBlockMask mask, int clones, double noiseStd, double utteranceWeight, double emaStart,
            double emaEnd, long emaRamp, int decoderLayers, int decoderGroups) {

        public Settings {
            if (clones < 1 || !(noiseStd >= 0) || !(utteranceWeight >= 0) || decoderLayers < 1 || decoderGroups < 1) {
                throw new IllegalArgumentException("EAT pre-training: clones and decoder layers/groups at least 1, noise std and "
                        + "utterance weight at least 0");
            }
        }
    }

    public static final String LOSS = "loss";

    private final EatConfig cfg;
    private final Settings settings;
    private final int rows;
    private final int cols;
    private final int patches;
    private final int visible;
    private final Graph student;
    private final Graph teacher;
    private final Ema ema;
    private final String targetName;
    private final String utteranceName;

    public EatPretraining(EatConfig cfg, int frames, Settings settings, long seed) {
        this.cfg = cfg;
        this.settings = settings;
        this.rows = frames / EatConfig.PATCH;
        this.cols = EatConfig.MEL_BINS / EatConfig.PATCH;
        this.patches = rows * cols;
        this.visible = settings.mask().visible(rows, cols);
        int d = cfg.dim();
        EatEncoder enc = new EatEncoder(cfg, frames);

        student = new Graph(seed);
        SDVariable select = student.input("select", -1, patches, visible);
        SDVariable noise = student.input("noise", -1, patches, d);
        SDVariable masked = student.input("masked", -1, patches, 1);
        SDVariable target = student.input("target", -1, patches, d);
        SDVariable utterance = student.input("utterance", -1, d);
        SDVariable features = enc.encodeVisible(student, enc.input(student, "fbank"), select, visible).features();
        SDVariable cls = features.get(SDIndex.all(), SDIndex.point(0), SDIndex.all());                      // [B, D]
        SDVariable tokens = features.get(SDIndex.all(), SDIndex.interval(1, visible + 1), SDIndex.all()); // [B, V, D]
        SDVariable prediction = new EatDecoder(d, settings.decoderLayers(), settings.decoderGroups(), 3)
                .apply(student, tokens, select, noise, rows, cols);
        double scale = 1 / Math.sqrt(d);
        SDVariable err = prediction.sub(target);
        SDVariable frameLoss = err.mul(err).mul(masked).sum().div(masked.sum()).mul(scale);
        SDVariable clsErr = cls.sub(utterance);
        SDVariable clsLoss = clsErr.mul(clsErr).sum(1).mean().mul(scale);
        SDVariable loss = frameLoss.add(clsLoss.mul(settings.utteranceWeight()));
        student.sd().setLossVariables(loss);
        student.sd().getVariable(loss.name()).rename(LOSS);

        teacher = new Graph(seed);
        teacher.train(false);
        EatEncoder.Outputs o = enc.encode(teacher, enc.input(teacher, "fbank"));
        SDVariable frameTarget = EatTargets.frames(teacher, o.mlp(), d, patches);
        targetName = frameTarget.name();
        utteranceName = EatTargets.utterance(frameTarget).name();
        ema = new Ema(student, teacher, settings.emaStart(), settings.emaEnd(), settings.emaRamp());
    }

    public Graph student() {
        return student;
    }

    public Ema ema() {
        return ema;
    }

    /**
     * One step's placeholders from {@code B} normalised fbanks {@code [B, 1, frames, 128]}: the
     * teacher's targets of each clip, then {@code clones} masked copies of it (rows b·clones + c).
     */
    public Map<String, INDArray> batch(INDArray fbank, SplittableRandom random) {
        int b = (int) fbank.size(0);
        int n = b * settings.clones();
        Map<String, INDArray> t = teacher.output(Map.of("fbank", fbank), targetName, utteranceName);
        boolean[][] masks = settings.mask().masks(n, rows, cols, random);
        float[] select = new float[n * patches * visible];
        float[] masked = new float[n * patches];
        float[] noise = new float[n * patches * cfg.dim()];
        for (int k = 0; k < n; k++) {
            int v = 0;
            for (int p = 0; p < patches; p++) {
                if (masks[k][p]) {
                    masked[k * patches + p] = 1;
                    for (int c = 0; c < cfg.dim(); c++) {
                        noise[(k * patches + p) * cfg.dim() + c] = (float) (settings.noiseStd() * gaussian(random));
                    }
                } else {
                    select[(k * patches + p) * visible + v++] = 1;
                }
            }
        }
        Map<String, INDArray> feed = new LinkedHashMap<>();
        feed.put("fbank", fbank.repeat(0, settings.clones()));       // copy k of clip k / clones
        feed.put("select", Nd4j.create(select, new long[] {n, patches, visible}, 'c'));
        feed.put("noise", Nd4j.create(noise, new long[] {n, patches, cfg.dim()}, 'c'));
        feed.put("masked", Nd4j.create(masked, new long[] {n, patches, 1}, 'c'));
        feed.put("target", t.get(targetName).repeat(0, settings.clones()));
        feed.put("utterance", t.get(utteranceName).repeat(0, settings.clones()));
        return feed;
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}

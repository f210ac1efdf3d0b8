package org.sep4j.training.sslam;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
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
 * averaged over the copies.
 *
 * <p>With {@link Mixing} this is SSLAM's stage 2: each clip is also mixed with the previous clip of
 * the batch (element-wise maximum of the normalised fbanks, two windows of the clip left unmixed),
 * the mixtures enter the student beside the clean clips with the same EAT losses (their targets the
 * teacher's view of the mixture), and the source-retention loss regresses the student's prediction
 * at each masked, mixed patch on the mean of the teacher's targets of the two sources: the clean
 * clip, and the partner alone with the unmixed columns dropped. Build a
 * {@link org.sep4j.training.Trainer} on {@link #student()} with {@link #ema()} as its teacher and
 * {@link #batch} as its batches.
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

    /**
     * SSLAM's stage 2.
     *
     * @param unmixedFrames   frames of each of the two windows a mixture keeps its clip alone in (a multiple of 16; SSLAM: 240 of 1024)
     * @param retentionWeight weight of the source-retention loss (SSLAM: 2)
     * @param lastLayerUtterance the CLS target from the last block's target only (SSLAM's stage 2) instead of every block's
     */
    public record Mixing(int unmixedFrames, double retentionWeight, boolean lastLayerUtterance) {

        public Mixing {
            if (unmixedFrames < 0 || unmixedFrames % EatConfig.PATCH != 0 || !(retentionWeight >= 0)) {
                throw new IllegalArgumentException("SSLAM mixing: unmixed frames a multiple of " + EatConfig.PATCH
                        + " (0 or more), retention weight at least 0; got " + unmixedFrames + " and " + retentionWeight);
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

    private final Mixing mixing;
    private final int frames;
    private final Graph partnerTeacher;
    private final String partnerTargetName;

    public EatPretraining(EatConfig cfg, int frames, Settings settings, long seed) {
        this(cfg, frames, settings, null, seed);
    }

    /** Stage 2 with {@code mixing}, EAT alone without (null). */
    public EatPretraining(EatConfig cfg, int frames, Settings settings, Mixing mixing, long seed) {
        this.cfg = cfg;
        this.settings = settings;
        this.mixing = mixing;
        this.frames = frames;
        if (mixing != null && frames - 2 * mixing.unmixedFrames() < EatConfig.PATCH) {
            throw new IllegalArgumentException("SSLAM mixing: two unmixed windows of " + mixing.unmixedFrames()
                    + " frames leave too little of a " + frames + "-frame clip to mix (at least " + EatConfig.PATCH + " frames)");
        }
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
        if (mixing != null) {
            SDVariable retention = student.input("retention", -1, patches, d);
            SDVariable retained = student.input("retained", -1, patches, 1);   // 1 at masked, mixed patches of a mixture
            SDVariable rErr = prediction.sub(retention);
            SDVariable srl = rErr.mul(rErr).mul(retained).sum().div(retained.sum().add(1e-6)).mul(scale);
            loss = loss.add(srl.mul(mixing.retentionWeight()));
        }
        student.sd().setLossVariables(loss);
        student.sd().getVariable(loss.name()).rename(LOSS);

        teacher = new Graph(seed);
        teacher.train(false);
        EatEncoder.Outputs o = enc.encode(teacher, enc.input(teacher, "fbank"));
        SDVariable frameTarget = EatTargets.frames(teacher, o.mlp(), d, patches);
        targetName = frameTarget.name();
        utteranceName = (mixing != null && mixing.lastLayerUtterance()
                ? EatTargets.utterance(EatTargets.frames(teacher, o.mlp().subList(o.mlp().size() - 1, o.mlp().size()), d, patches))
                : EatTargets.utterance(frameTarget)).name();
        ema = new Ema(student, teacher, settings.emaStart(), settings.emaEnd(), settings.emaRamp());
        if (mixing != null) { // the partner alone, its unmixed columns dropped: a shorter clip, the same teacher weights
            int shorter = frames - 2 * mixing.unmixedFrames();
            partnerTeacher = new Graph(seed);
            partnerTeacher.train(false);
            EatEncoder partner = new EatEncoder(cfg, shorter);
            partnerTargetName = EatTargets.frames(partnerTeacher, partner.encode(partnerTeacher, partner.input(partnerTeacher, "fbank"))
                    .mlp(), d, (shorter / EatConfig.PATCH) * cols).name();
        } else {
            partnerTeacher = null;
            partnerTargetName = null;
        }
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
     * With mixing, the B mixtures follow the B clean clips (rows (B + b)·clones + c), with their
     * source-retention targets.
     */
    public Map<String, INDArray> batch(INDArray fbank, SplittableRandom random) {
        int b = (int) fbank.size(0);
        Mixture m = mixing == null ? null : mix(fbank, random);
        INDArray clips = m == null ? fbank : Nd4j.concat(0, fbank, m.fbank());
        Map<String, INDArray> targets = teacher.output(Map.of("fbank", clips), targetName, utteranceName); // one pass over clips and mixtures
        INDArray retention = null;
        INDArray retained = null;
        if (m != null) {
            INDArray clean = targets.get(targetName).get(NDArrayIndex.interval(0, b));                 // the clean clips' targets
            partnerTeacher.copyWeightsFrom(teacher);
            INDArray alone = partnerTeacher.output(Map.of("fbank", m.partnerAlone()), partnerTargetName).get(partnerTargetName);
            int d = cfg.dim();
            float[] c = clean.dup('c').data().asFloat();
            float[] a = alone.dup('c').data().asFloat();
            float[] r = new float[2 * b * patches * d];
            float[] kept = new float[2 * b * patches];
            int shorterPatches = (int) alone.size(1);
            for (int j = 0; j < b; j++) {
                int k = 0; // the k-th mixed patch row of mixture j is row k of its partner alone
                for (int t = 0; t < rows; t++) {
                    if (m.unmixed()[j][t]) {
                        continue;
                    }
                    for (int f = 0; f < cols; f++) {
                        int p = t * cols + f;
                        int at = ((b + j) * patches + p) * d;
                        int fromClean = (j * patches + p) * d;
                        int fromAlone = (j * shorterPatches + k * cols + f) * d;
                        for (int e = 0; e < d; e++) {
                            r[at + e] = 0.5f * (c[fromClean + e] + a[fromAlone + e]);
                        }
                        kept[(b + j) * patches + p] = 1;
                    }
                    k++;
                }
            }
            retention = Nd4j.create(r, new long[] {2L * b, patches, d}, 'c');
            retained = Nd4j.create(kept, new long[] {2L * b, patches, 1}, 'c');
        }
        int n = (int) clips.size(0) * settings.clones();
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
        feed.put("fbank", clips.repeat(0, settings.clones()));       // copy k of clip k / clones
        feed.put("select", Nd4j.create(select, new long[] {n, patches, visible}, 'c'));
        feed.put("noise", Nd4j.create(noise, new long[] {n, patches, cfg.dim()}, 'c'));
        INDArray maskedArr = Nd4j.create(masked, new long[] {n, patches, 1}, 'c');
        feed.put("masked", maskedArr);
        feed.put("target", targets.get(targetName).repeat(0, settings.clones()));
        feed.put("utterance", targets.get(utteranceName).repeat(0, settings.clones()));
        if (m != null) {
            feed.put("retention", retention.repeat(0, settings.clones()));
            feed.put("retained", retained.repeat(0, settings.clones()).muli(maskedArr));
        }
        return feed;
    }

    /**
     * Mixtures of each clip with the previous one of the batch (the first with the last), the
     * partners alone without the unmixed columns, and which patch rows of each mixture are unmixed.
     */
    record Mixture(INDArray fbank, INDArray partnerAlone, boolean[][] unmixed) {
    }

    Mixture mix(INDArray fbank, SplittableRandom random) {
        int b = (int) fbank.size(0);
        int w = mixing.unmixedFrames();
        int shorter = frames - 2 * w;
        float[] x = fbank.dup('c').data().asFloat();
        int bins = EatConfig.MEL_BINS;
        float[] mixed = x.clone();
        float[] alone = new float[b * shorter * bins];
        boolean[][] unmixed = new boolean[b][rows];
        int step = EatConfig.PATCH;
        for (int j = 0; j < b; j++) {
            int partner = Math.floorMod(j - 1, b);
            // window starts on the patch grid: the first in [0, T − 2W], the second in [first + W, T − W]
            int first = step * random.nextInt((frames - 2 * w) / step + 1);
            int second = first + w + step * random.nextInt((frames - w - (first + w)) / step + 1);
            int kept = 0;
            for (int t = 0; t < frames; t++) {
                boolean alone0 = t >= first && t < first + w || t >= second && t < second + w;
                if (alone0) {
                    unmixed[j][t / step] = true;
                    continue;
                }
                int at = (j * frames + t) * bins;
                int from = (partner * frames + t) * bins;
                for (int f = 0; f < bins; f++) {
                    mixed[at + f] = Math.max(x[at + f], x[from + f]);
                }
                System.arraycopy(x, from, alone, (j * shorter + kept) * bins, bins);
                kept++;
            }
        }
        return new Mixture(Nd4j.create(mixed, new long[] {b, 1, frames, bins}, 'c'),
                Nd4j.create(alone, new long[] {b, 1, shorter, bins}, 'c'), unmixed);
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}

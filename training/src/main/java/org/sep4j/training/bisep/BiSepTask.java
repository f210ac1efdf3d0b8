package org.sep4j.training.bisep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.config.Doc;
import org.sep4j.core.track.Tracker;
import org.sep4j.evaluation.metrics.BssEval;
import org.sep4j.evaluation.metrics.SiSdr;
import org.sep4j.models.bisep.BiSepConfig;
import org.sep4j.models.bisep.CondAttUNet;
import org.sep4j.models.clap.NativeClap;
import org.sep4j.models.nn.Graph;
import org.sep4j.training.Trainer;
import org.sep4j.training.clap.ClapTowers;
import org.sep4j.training.clap.OnnxClap;
import org.sep4j.training.clap.TrainedClap;
import org.sep4j.training.dcase.TrainSettings;
import org.sep4j.training.optim.Optimizer;
import org.sep4j.training.optim.ParamGroup;

/**
 * {@code task: bisep}: BiSep's separator trained on mixtures of mixtures ({@link BiSepData}), by
 * {@code bisep.mode}:
 * <ul>
 *   <li>{@code unsupervised}: the mix-and-separate baseline, L = w_u·L_unsup, L_unsup = Σ_n
 *       ℓ(Ŝ(caption_n), |X_n|; W), W = clip(log1p|X|, 1e-3, 10), ℓ(A, B; W) = mean(W ⊙ |A − B|);</li>
 *   <li>{@code weak}: BiSep, L = w_c·L_CNT + w_r·L_CRL + w_u·L_unsup, with L_CRL = Σ_n ℓ(Σ_k w_k
 *       Ŝ(p_{n,k}), |X_n|; W_n), W_n = clip(log1p|X_n|, 1e-3, 10), and L_CNT the audio→text
 *       cross-entropy of τ·A·Tᵀ, A the frozen CLAP audio embeddings of the phrase estimates
 *       (inverse STFT with the mixture's phase; the gradient passes through the frozen tower), T the
 *       phrases' text embeddings, negatives the batch's other phrases;</li>
 *   <li>{@code supervised}: the upper bound with full labels, on mixtures of two single-class
 *       clips (the test condition): Σ_k ℓ(Ŝ(query_k), |S_k|; W) against each clip.</li>
 * </ul>
 * Queries are encoded by the frozen CLAP text tower ({@code bisep.clap}): a sep4j CLAP, whose audio
 * tower is part of the training graph, or an exported LAION-CLAP in ONNX Runtime, for which
 * {@link OnnxClap} computes L_CNT and its gradient with respect to the phrase estimates outside the
 * graph and the graph adds the surrogate Σ ŝ ⊙ ∂L_CNT/∂ŝ (same gradient, the loss reports L_CNT's
 * value). Validation and test:
 * SDR (BSS Eval v3 sources, no permutation) of each source queried by its class, its SDRi over the
 * mixture as estimate, and SI-SDR.
 */
public final class BiSepTask {

    /** The {@code bisep} block. */
    public record Settings(
            @Doc("unsupervised (mix-and-separate), weak (BiSep) or supervised (the single clips as targets)") String mode,
            @Doc("the frozen CLAP: a run folder of sep4j train experiment=clap/tiny, or a LAION-CLAP exported by "
                    + "tools/export/export_clap.py (model.bisep's text_dim, text_tokens, embedding_dim set to its)") Path clap,
            @Doc("weight of the CLAP contrastive term L_CNT (the paper: 0.5)") double cntWeight,
            @Doc("weight of the phrase reconstruction term L_CRL (5)") double crlWeight,
            @Doc("weight of the caption (mix-and-separate) term L_unsup (5)") double unsupWeight,
            @Doc("weight of the supervised term (mode=supervised)") double supWeight,
            @Doc("test mixtures scored after training (0: none)") int testItems) {

        public Settings {
            mode = mode == null ? "" : mode.toLowerCase(Locale.ROOT);
            if (!List.of("unsupervised", "weak", "supervised").contains(mode)) {
                throw new IllegalArgumentException("bisep.mode: expected unsupervised, weak or supervised, found '" + mode + "'");
            }
        }
    }

    static final String LOSS = "loss";
    static final String ESTIMATE = "estimate";
    private static final String W_MIX = "weight_mixture";
    private static final String SOURCES = "source_magnitude";
    private static final String W_SOURCES = "weight_sources";
    private static final String CLIPS = "clip_magnitude";
    private static final String PHRASE_COS = "phrase_cos";
    private static final String PHRASE_SIN = "phrase_sin";
    private static final String PHRASE_EMBEDDING = "phrase_embedding";
    private static final String COS = "mixture_cos";
    private static final String SIN = "mixture_sin";
    private static final String PHRASE_WAVE = "phrase_wave";
    private static final String CNT_GRADIENT = "cnt_gradient";
    private static final String CNT_OFFSET = "cnt_offset";

    private final BiSepConfig cfg;
    private final Settings settings;
    private final BiSepData data;
    private final TrainSettings trainer;
    private final CondAttUNet net;
    private final ClapTowers clap;

    public BiSepTask(BiSepConfig cfg, Settings settings, BiSepData data, ClapTowers clap, TrainSettings trainer) {
        if (clap instanceof TrainedClap t && (t.config().samples() != cfg.samples() || t.config().sampleRate() != cfg.sampleRate())) {
            throw new IllegalArgumentException("model.clap takes " + t.config().samples() + " samples at "
                    + t.config().sampleRate() + " Hz, model.bisep " + cfg.samples() + " at " + cfg.sampleRate()
                    + ": the contrastive term scores the separator's estimates, so they must agree");
        }
        if (clap.textDim() != cfg.textDim() || clap.textTokens() != cfg.textTokens() || clap.embeddingDim() != cfg.embeddingDim()) {
            throw new IllegalArgumentException("model.bisep: text_dim, text_tokens and embedding_dim must be the CLAP's ("
                    + clap.textDim() + ", " + clap.textTokens() + ", " + clap.embeddingDim() + " for " + clap.source() + "), found "
                    + cfg.textDim() + ", " + cfg.textTokens() + ", " + cfg.embeddingDim());
        }
        if (clap instanceof OnnxClap o && settings.mode().equals("weak") && settings.cntWeight() != 0 && !o.trainsThroughAudio()) {
            throw new IllegalArgumentException("bisep.clap: " + o.source() + " has no " + org.sep4j.models.onnx.ClapEncoder.AUDIO_VJP_FILE
                    + " and " + org.sep4j.models.onnx.ClapEncoder.SETTINGS_FILE + ", which L_CNT needs to train through the audio "
                    + "tower: export them with tools/export/export_clap.py, or set bisep.cnt_weight=0");
        }
        this.cfg = cfg;
        this.settings = settings;
        this.data = data;
        this.trainer = trainer;
        this.net = new CondAttUNet(cfg);
        this.clap = clap;
    }

    /** Builds the task from its parts: the library's clips at the separator's length, the CLAP from {@code bisep.clap}. */
    public static BiSepTask of(BiSepConfig cfg, Settings settings, org.sep4j.data.LibraryConfig library,
            org.sep4j.models.clap.ClapConfig clapConfig, TrainSettings trainer) throws IOException {
        BiSepData data = new BiSepData(org.sep4j.training.clap.ClapTask.clips(library, cfg.sampleRate(), cfg.samples()));
        return new BiSepTask(cfg, settings, data, ClapTowers.open(settings.clap(), clapConfig, cfg.sampleRate(), "bisep.clap"), trainer);
    }

    /** Queries per mixture in a training step. */
    private int queries() {
        return switch (settings.mode()) {
            case "unsupervised" -> 2;
            case "weak" -> 2 + 2 * BiSepData.PHRASES;
            default -> 2;
        };
    }

    /** The training graph at the trainer's batch. */
    Graph graph(long seed) {
        Graph g = new Graph(seed);
        int b = trainer.batchSize();
        int q = queries();
        int f = cfg.bins();
        int t = cfg.frames();
        SDVariable mask = net.build(g, (long) b * q);
        SDVariable tiled = g.sd().getVariable(CondAttUNet.MAGNITUDE);
        SDVariable[] est = g.sd().unstack(CondAttUNet.separate(mask, tiled).reshape(b, q, f, t), 1, q);     // each [B, F, T]
        SDVariable loss;
        if (settings.mode().equals("supervised")) {
            SDVariable[] targets = g.sd().unstack(g.input(CLIPS, b, 2, f, t), 1, 2);
            SDVariable w = g.input(W_MIX, b, f, t);
            loss = null;
            for (int k = 0; k < 2; k++) {
                SDVariable l = weightedL1(g, est[k], targets[k], w);
                loss = loss == null ? l : loss.add(l);
            }
            loss = loss.mul(settings.supWeight());
        } else {
            SDVariable[] sources = g.sd().unstack(g.input(SOURCES, b, 2, f, t), 1, 2);
            SDVariable w = g.input(W_MIX, b, f, t);
            loss = weightedL1(g, est[0], sources[0], w).add(weightedL1(g, est[1], sources[1], w)).mul(settings.unsupWeight());
            if (settings.mode().equals("weak")) {
                SDVariable[] wn = g.sd().unstack(g.input(W_SOURCES, b, 2, f, t), 1, 2);
                SDVariable crl = null;
                for (int n = 0; n < 2; n++) { // Σ_k w_k Ŝ(p_k): each distinct phrase once
                    SDVariable sum = est[2 + 2 * n].add(est[3 + 2 * n]);
                    SDVariable l = weightedL1(g, sum, sources[n], wn[n]);
                    crl = crl == null ? l : crl.add(l);
                }
                SDVariable phrases = g.sd().stack(1, est[2], est[3], est[4], est[5]).reshape(-1, f, t);     // [B·4, F, T]
                SDVariable wave = net.waveform(g, phrases, g.input(PHRASE_COS, (long) b * 4, f, t), g.input(PHRASE_SIN,
                        (long) b * 4, f, t));
                SDVariable cnt;
                if (clap instanceof TrainedClap nativeClap) {
                    SDVariable audio = nativeClap.audio(g, wave);                                                // [B·4, E], frozen
                    SDVariable text = g.input(PHRASE_EMBEDDING, (long) b * 4, cfg.embeddingDim());
                    SDVariable tau = g.sd().math().exp(g.sd().getVariable(NativeClap.LOGIT_SCALE)).reshape(1, 1);
                    cnt = org.sep4j.training.loss.Losses.infoNce(g.sd(), audio.mmul(text.permute(1, 0)).mul(tau), b * 4);
                } else { // the surrogate: its gradient is L_CNT's (computed outside), its value L_CNT's
                    g.sd().identity(PHRASE_WAVE, wave);
                    cnt = wave.mul(g.input(CNT_GRADIENT, (long) b * 4, cfg.samples())).sum().add(g.input(CNT_OFFSET, 1).sum());
                }
                loss = loss.add(crl.mul(settings.crlWeight())).add(cnt.mul(settings.cntWeight()));
                g.sd().identity("loss_cnt", cnt);
                g.sd().identity("loss_crl", crl);
            }
        }
        g.sd().setLossVariables(loss);
        g.sd().getVariable(loss.name()).rename(LOSS);
        return g;
    }

    private static SDVariable weightedL1(Graph g, SDVariable a, SDVariable b, SDVariable w) {
        return g.sd().math().abs(a.sub(b)).mul(w).mean();
    }

    /** The evaluation graph: estimates {@code [B, samples]} for mixtures and queries. */
    Graph evaluation(long seed) {
        Graph g = new Graph(seed);
        g.train(false);
        SDVariable mask = net.build(g, -1);
        SDVariable mag = g.sd().getVariable(CondAttUNet.MAGNITUDE);
        int f = cfg.bins();
        int t = cfg.frames();
        g.sd().identity(ESTIMATE, net.waveform(g, CondAttUNet.separate(mask, mag), g.input(COS, -1, f, t), g.input(SIN, -1, f, t)));
        return g;
    }

    public long parameterCount(long seed) {
        Graph g = new Graph(seed);
        net.build(g, -1);
        return g.parameterCount();
    }

    /** Parameters that train: the separator's (the CLAP's are frozen). */
    static boolean trainable(String name) {
        return !name.startsWith("audio.") && !name.equals(NativeClap.LOGIT_SCALE);
    }

    /** One step's inputs. */
    Map<String, INDArray> batch(long seed, long step) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        int b = trainer.batchSize();
        int[][] classes = data.classes(r, b);
        int f = cfg.bins();
        int t = cfg.frames();
        if (settings.mode().equals("supervised")) {
            float[][] mixes = new float[b][];
            float[][] targets = new float[2 * b][];
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < b; i++) {
                BiSepData.TestItem it = data.supervised(r, classes[i]);
                mixes[i] = it.mixture();
                targets[2 * i] = it.sources()[0];
                targets[2 * i + 1] = it.sources()[1];
                texts.addAll(List.of(it.queries()));
            }
            CondAttUNet.Polar mix = net.analyse(mixes);
            Map<String, INDArray> in = new LinkedHashMap<>(text(texts));
            in.put(CondAttUNet.MAGNITUDE, tile(mix.magnitude(), 2));
            in.put(W_MIX, weight(mix.magnitude()));
            in.put(CLIPS, net.analyse(targets).magnitude().reshape(b, 2, f, t));
            return in;
        }
        BiSepData.Mixture[] items = new BiSepData.Mixture[b];
        for (int i = 0; i < b; i++) {
            items[i] = data.training(r, classes[i]);
        }
        float[][] mixes = new float[b][];
        float[][] sources = new float[2 * b][];
        List<String> texts = new ArrayList<>();
        List<String> phraseTexts = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            BiSepData.Mixture m = items[i];
            mixes[i] = m.mixture();
            for (int n = 0; n < 2; n++) {
                sources[2 * i + n] = m.sources()[n];
                phraseTexts.addAll(List.of(m.phrases()[n]));
            }
            texts.addAll(List.of(m.captions()));
            if (settings.mode().equals("weak")) {
                texts.addAll(phraseTexts.subList(4 * i, 4 * i + 4));
            }
        }
        CondAttUNet.Polar mix = net.analyse(mixes);
        Map<String, INDArray> in = new LinkedHashMap<>(text(texts));
        in.put(CondAttUNet.MAGNITUDE, tile(mix.magnitude(), queries()));
        in.put(W_MIX, weight(mix.magnitude()));
        INDArray src = net.analyse(sources).magnitude();
        in.put(SOURCES, src.reshape(b, 2, f, t));
        if (settings.mode().equals("weak")) {
            in.put(W_SOURCES, weight(src).reshape(b, 2, f, t));
            in.put(PHRASE_COS, tile(mix.cos(), 4));
            in.put(PHRASE_SIN, tile(mix.sin(), 4));
            float[][] emb = new float[phraseTexts.size()][];
            for (int i = 0; i < emb.length; i++) {
                emb[i] = clap.text(phraseTexts.get(i))[1].toFloatVector();
            }
            in.put(PHRASE_EMBEDDING, Nd4j.create(emb));
        }
        return in;
    }

    /**
     * One step's inputs for the training graph {@code g}; with an exported CLAP in weak mode, L_CNT's
     * gradient with respect to the phrase estimates of the graph's current weights, and the offset
     * that makes the surrogate's value L_CNT's.
     */
    Map<String, INDArray> trainingInputs(Graph g, long seed, long step) {
        Map<String, INDArray> in = batch(seed, step);
        if (!(clap instanceof OnnxClap o) || !settings.mode().equals("weak")) {
            return in;
        }
        INDArray texts = in.remove(PHRASE_EMBEDDING);
        INDArray wave = g.output(in, PHRASE_WAVE).get(PHRASE_WAVE);
        INDArray gradient;
        double loss = 0;
        if (settings.cntWeight() == 0) {
            gradient = Nd4j.zerosLike(wave);
        } else {
            OnnxClap.Contrast c = o.contrastive(wave.toFloatMatrix(), texts.toFloatMatrix());
            gradient = Nd4j.create(c.gradient());
            loss = c.loss();
        }
        in.put(CNT_GRADIENT, gradient.castTo(wave.dataType()));
        in.put(CNT_OFFSET, Nd4j.createFromArray((float) (loss - wave.mul(gradient).sumNumber().doubleValue())));
        return in;
    }

    /** The text inputs of queries, in order. */
    Map<String, INDArray> text(List<String> queries) {
        int n = queries.size();
        INDArray hidden = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, cfg.textTokens(), cfg.textDim());
        INDArray emb = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, cfg.embeddingDim());
        float[][] keep = new float[n][];
        for (int i = 0; i < n; i++) {
            INDArray[] e = clap.text(queries.get(i));
            hidden.slice(i).assign(e[0]);
            emb.getRow(i).assign(e[1]);
            keep[i] = clap.keep(queries.get(i));
        }
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put(CondAttUNet.TEXT, hidden);
        in.put(CondAttUNet.TEXT_KEEP, Nd4j.create(keep));
        in.put(CondAttUNet.EMBEDDING, emb);
        return in;
    }

    /** {@code [B, F, T]} → {@code [B·q, F, T]}, each item repeated q times in a row. */
    private static INDArray tile(INDArray x, int q) {
        long b = x.size(0);
        INDArray out = Nd4j.create(x.dataType(), b * q, x.size(1), x.size(2));
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < q; k++) {
                out.slice(i * q + k).assign(x.slice(i));
            }
        }
        return out;
    }

    /** clip(log1p|X|, 1e-3, 10): the paper's spectral weights. */
    private static INDArray weight(INDArray magnitude) {
        INDArray w = org.nd4j.linalg.ops.transforms.Transforms.log(magnitude.add(1.0), true);
        return org.nd4j.linalg.ops.transforms.Transforms.max(org.nd4j.linalg.ops.transforms.Transforms.min(w, 10.0, false), 1e-3,
                false);
    }

    /** Mean scores over test items: SDR, SDRi, SI-SDR, SI-SDRi and the mixture's SDR, sources averaged, then items. */
    public record Scores(int items, double sdr, double sdri, double siSdr, double siSdri, double mixtureSdr) {
        Map<String, Double> asMap() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("sdr", sdr);
            m.put("sdri", sdri);
            m.put("si_sdr", siSdr);
            m.put("si_sdri", siSdri);
            m.put("mixture_sdr", mixtureSdr);
            m.put("items", (double) items);
            return m;
        }
    }

    /** Scores the evaluation graph on test items {@code from .. from+count−1} (items with a near-silent source skipped). */
    Scores score(Graph eval, long from, int count) {
        double sdr = 0;
        double sdri = 0;
        double si = 0;
        double sii = 0;
        double mixSdr = 0;
        int used = 0;
        int chunk = 8;
        try (org.sep4j.core.progress.ProgressBar bar = org.sep4j.core.progress.ProgressBar.start("score", count, "mixtures")) {
            for (int start = 0; start < count; start += chunk) {
                List<BiSepData.TestItem> items = new ArrayList<>();
                for (int i = start; i < Math.min(count, start + chunk); i++) {
                    BiSepData.TestItem it = data.test(from + i);
                    if (silent(it.sources()[0]) || silent(it.sources()[1])) {
                        continue;
                    }
                    items.add(it);
                }
                if (items.isEmpty()) {
                    bar.step(Math.min(chunk, count - start));
                    continue;
                }
                float[][] mixes = new float[2 * items.size()][];
                List<String> queries = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    mixes[2 * i] = items.get(i).mixture();
                    mixes[2 * i + 1] = items.get(i).mixture();
                    queries.addAll(List.of(items.get(i).queries()));
                }
                CondAttUNet.Polar p = net.analyse(mixes);
                Map<String, INDArray> in = new LinkedHashMap<>(text(queries));
                in.put(CondAttUNet.MAGNITUDE, p.magnitude());
                in.put(COS, p.cos());
                in.put(SIN, p.sin());
                float[][] est = eval.output(in, ESTIMATE).get(ESTIMATE).toFloatMatrix();
                for (int i = 0; i < items.size(); i++) {
                    float[][] refs = items.get(i).sources();
                    float[] mix = items.get(i).mixture();
                    BssEval.Sources s = BssEval.sources(refs, new float[][] {est[2 * i], est[2 * i + 1]}, false);
                    BssEval.Sources m = BssEval.sources(refs, new float[][] {mix, mix}, false);
                    for (int k = 0; k < 2; k++) {
                        double e = SiSdr.siSdr(est[2 * i + k], refs[k]);
                        double em = SiSdr.siSdr(mix, refs[k]);
                        sdr += s.sdr()[k] / 2;
                        sdri += (s.sdr()[k] - m.sdr()[k]) / 2;
                        si += e / 2;
                        sii += (e - em) / 2;
                        mixSdr += m.sdr()[k] / 2;
                    }
                    used++;
                }
                bar.step(Math.min(chunk, count - start));
            }
        }
        return new Scores(used, sdr / used, sdri / used, si / used, sii / used, mixSdr / used);
    }

    private static boolean silent(float[] x) {
        double s = 0;
        for (float v : x) {
            s += Math.abs(v);
        }
        return s <= 1e-5;
    }

    /** Validation items: the test set's generator, from an offset the test set never reaches. */
    private static final long VALIDATION = 1L << 20;

    public Trainer.Result train(Path checkpoints, Tracker tracker, long seed, Consumer<String> log) throws IOException {
        log.accept(String.format(Locale.ROOT, "bisep (%s): %d queries per mixture, %d classes, queries encoded by %s",
                settings.mode(), queries(), data.clips().classes().size(), clap.source()));
        Graph g = graph(seed);
        Graph eval = evaluation(seed);
        Optimizer opt = new Optimizer(Optimizer.Settings.adamw(trainer.amsgrad()), List.of(
                new ParamGroup("no-decay", n -> trainable(n) && ParamGroup.noDecay(1).selects().test(n), 1.0, 0.0),
                new ParamGroup("all", BiSepTask::trainable, 1.0, trainer.weightDecay())));
        Trainer.Settings ts = new Trainer.Settings(trainer.steps(), trainer.clipNorm(), trainer.logEvery(), trainer.checkpointEvery())
                .validating(trainer.validateEvery() > 0 ? trainer.validateEvery() : (int) trainer.steps(), "sdri", true,
                        trainer.patience());
        int valItems = Math.max(1, trainer.validationItems());
        return new Trainer(g, LOSS, opt, trainer.lrSchedule(), ts, tracker, checkpoints).fit(step -> trainingInputs(g, seed, step), step -> {
            eval.copyWeightsFrom(g);
            return score(eval, VALIDATION, valItems).asMap();
        });
    }

    /** Scores a trained run's best (else last) checkpoint on the test set. */
    public Scores test(Path checkpoints, long seed, int items) throws IOException {
        Graph eval = evaluation(seed);
        Path at = java.nio.file.Files.isDirectory(checkpoints.resolve("best")) ? checkpoints.resolve("best") : checkpoints.resolve("last");
        org.sep4j.models.nn.WeightImport.Report r = org.sep4j.models.nn.WeightImport.load(eval,
                org.sep4j.core.tensor.Safetensors.read(at.resolve("weights.safetensors")).tensors(), n -> n, false);
        if (!r.missing().isEmpty() || !r.mismatched().isEmpty()) {
            throw new IOException(at + " does not fit model.bisep: missing " + r.missing() + ", mismatched " + r.mismatched());
        }
        return score(eval, 0, items);
    }
}

package org.sep4j.models.sep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.dsp.Spectrogram;
import org.sep4j.core.dsp.Stft;
import org.sep4j.core.dsp.StftConfig;
import org.sep4j.models.nn.Activations;
import org.sep4j.models.nn.BatchNorm;
import org.sep4j.models.nn.Conv2d;
import org.sep4j.models.nn.ConvTranspose2d;
import org.sep4j.models.nn.DiffStft;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.Interpolate;
import org.sep4j.models.nn.LayerNorm;
import org.sep4j.models.nn.Linear;
import org.sep4j.models.nn.Pooling;
import org.sep4j.models.sed.SedTagger;

/**
 * The query-conditioned ResUNet separator (AudioSep / DCASE 2025 Task 4 baseline topology) with
 * the 2nd-place system's additions, each a config switch.
 *
 * <p>Pipeline: STFT of each mixture channel (computed outside the graph by {@link #analyse}: it
 * needs no gradient) → magnitudes, BatchNorm over frequency
 * bins, the Nyquist bin dropped and time padded to the pooling multiple → 1×1 stem → encoder of
 * {@code ConvBlockRes} + average pooling → bottleneck block → [Soundbeam injection] → [DPRNN] →
 * decoder of transposed convolutions, skip concatenation and {@code ConvBlockRes} → 1×1 conv to a
 * magnitude mask and a phase rotation per channel and source → masked complex spectrum, channels
 * mixed by a 1×1 conv → inverse STFT → multiplied by the source's activity (silent slots are zero).
 *
 * <p>{@code ConvBlockRes}: [BN → +β → LeakyReLU(0.01) → 3×3 conv] ×2 plus the input (through a 1×1
 * conv when the width changes). β is class FiLM: a label MLP (Linear–LN–ReLU ×2) and one linear
 * projection per BN; with Time-FiLM the SED's strong logits of the queried class pass through a
 * per-frame MLP and the same projections, resized to each block's time axis.
 */
public final class ResUNet {

    /** Graph inputs and outputs by name. */
    public static final String MAGNITUDE = "mixture_magnitude";
    public static final String COS = "mixture_phase_cos";
    public static final String SIN = "mixture_phase_sin";
    public static final String QUERY = "query";
    public static final String ACTIVE = "active";
    public static final String LOGMEL = "logmel";
    public static final String FEEDBACK = "feedback";
    public static final String ESTIMATE = "estimate";

    private static final double SLOPE = 0.01;

    private final SeparatorConfig cfg;
    private final SedTagger sed;
    private final int classes;
    private final int samples;
    private final DiffStft stft;
    private final Stft analysis;
    private final int frames;
    private final int paddedFrames;
    private final int bins;

    /**
     * @param sed     the stage-2 tagger (needed for Soundbeam and Time-FiLM; else may be null)
     * @param classes classes a query can name
     * @param samples mixture length in samples (fixes the time-frequency grid)
     */
    public ResUNet(SeparatorConfig cfg, SedTagger sed, int classes, int samples) {
        if (cfg.needsSed() && sed == null) {
            throw new IllegalArgumentException("model.separator: time_film.use or soundbeam.apply needs a SED model");
        }
        if (cfg.timeFilm().use() && !sed.config().head().equals("attention")) {
            throw new IllegalArgumentException("model.separator.time_film needs strong logits: set model.sed.head=attention");
        }
        this.cfg = cfg;
        this.sed = sed;
        this.classes = classes;
        this.samples = samples;
        this.stft = new DiffStft(StftConfig.of(cfg.nFft(), cfg.hopLength()));
        this.analysis = new Stft(StftConfig.of(cfg.nFft(), cfg.hopLength()));
        this.frames = stft.frames(samples);
        int tm = SeparatorConfig.product(cfg.poolTime());
        this.paddedFrames = (frames + tm - 1) / tm * tm;
        this.bins = cfg.nFft() / 2;          // the Nyquist bin is dropped inside the network
    }

    public SeparatorConfig config() {
        return cfg;
    }

    public int samples() {
        return samples;
    }

    /** STFT frames of a mixture. */
    public int frames() {
        return frames;
    }

    /** One-sided STFT bins (n_fft/2 + 1). */
    public int bins() {
        return stft.bins();
    }

    /**
     * The spectral inputs of mixtures {@code [B][channels][samples]}: STFT magnitudes and the cosine
     * and sine of their phases, each {@code [B, channels, frames, bins]} (zero bins get phase 0).
     */
    public Map<String, INDArray> analyse(float[][][] mixtures) {
        int ch = cfg.inputChannels();
        for (float[][] m : mixtures) {
            if (m.length != ch || m[0].length != samples) {
                throw new IllegalArgumentException("the separator expects " + ch + " channels of " + samples
                        + " samples, got " + m.length + " of " + m[0].length);
            }
        }
        float[][] polar = polar(mixtures, ch, true);
        long[] shape = {mixtures.length, ch, frames, stft.bins()};
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put(MAGNITUDE, Nd4j.create(polar[0], shape, 'c'));
        in.put(COS, Nd4j.create(polar[1], shape, 'c'));
        in.put(SIN, Nd4j.create(polar[2], shape, 'c'));
        return in;
    }

    /** The feedback input from estimates {@code [B, 1, samples]}: their magnitudes {@code [B, 1, frames, bins]}. */
    public INDArray feedback(INDArray estimates) {
        int b = (int) estimates.size(0);
        float[][][] single = new float[b][][];
        for (int i = 0; i < b; i++) {
            single[i] = new float[][] {estimates.slice(i).reshape(-1).toFloatVector()};
        }
        return Nd4j.create(polar(single, 1, false)[0], new long[] {b, 1, frames, stft.bins()}, 'c');
    }

    /**
     * STFT magnitudes of signals {@code [B][ch][samples]} laid out {@code [B, ch, frames, bins]}, and with
     * {@code phase} the cosine and sine of the phases (phase 0 where the magnitude is 0); items in parallel.
     */
    private float[][] polar(float[][][] signals, int ch, boolean phase) {
        int f = stft.bins();
        float[] mag = new float[signals.length * ch * frames * f];
        float[] cos = phase ? new float[mag.length] : null;
        float[] sin = phase ? new float[mag.length] : null;
        IntStream.range(0, signals.length).parallel().forEach(i -> {
            Spectrogram s = analysis.forward(signals[i]);
            for (int c = 0; c < ch; c++) {
                for (int t = 0; t < frames; t++) {
                    int o = ((i * ch + c) * frames + t) * f;
                    for (int k = 0; k < f; k++) {
                        float re = s.re(c, k, t);
                        float im = s.im(c, k, t);
                        float m = (float) Math.sqrt(re * re + im * im);
                        mag[o + k] = m;
                        if (phase) {
                            cos[o + k] = m > 0 ? re / m : 1f;
                            sin[o + k] = m > 0 ? im / m : 0f;
                        }
                    }
                }
            }
        });
        return new float[][] {mag, cos, sin};
    }

    /** What was built: the estimate {@code [B, sources, samples]} and the names of SED parameters. */
    public record Built(SDVariable estimate, String sedPrefix) {
    }

    /**
     * Builds the separator into {@code g} with placeholders {@code mixture_magnitude},
     * {@code mixture_phase_cos}, {@code mixture_phase_sin} (each {@code [B, channels, frames, bins]},
     * from {@link #analyse}), {@code query [B, sources·classes]}, {@code active [B, sources]}, and
     * where needed {@code logmel} (the SED's input) and {@code feedback [B, 1, frames, bins]}.
     *
     * @param batch the batch size, or −1 for any (training graphs with dropout need it fixed)
     */
    public Built build(Graph g, long batch) {
        int k = cfg.sources();
        int ch = cfg.inputChannels();
        SDVariable query = g.input(QUERY, batch, (long) k * classes);
        SDVariable active = g.input(ACTIVE, batch, k);
        SDVariable mag = g.input(MAGNITUDE, batch, ch, frames, stft.bins());
        SDVariable cos = g.input(COS, batch, ch, frames, stft.bins());
        SDVariable sin = g.input(SIN, batch, ch, frames, stft.bins());
        SDVariable x = prepare(g, "bn0", mag);

        // conditioning
        SDVariable cond = labelMlp(g, query);
        SDVariable timeCond = null;
        SedTagger.Outputs sedOut = null;
        if (cfg.needsSed()) {
            boolean mode = g.training();
            g.train(mode && cfg.soundbeam().trainable()); // a frozen SED runs as in evaluation
            sedOut = sed.apply(g, sed.input(g, LOGMEL));
            g.train(mode);
        }
        if (cfg.timeFilm().use()) {
            // the strong logits of the queried class, zero for silent queries: [B, S]
            SDVariable logits = sedOut.strong().mul(query.reshape(-1, 1, classes)).sum(2).mul(active);
            timeCond = timeMlp(g, logits);
        }
        Conditioning film = new Conditioning(cond, timeCond, sed == null ? 0 : sed.config().strongFrames());

        if (cfg.iterations().max() > 1) {
            x = g.sd().concat(1, x, prepare(g, "bn_feedback", g.input(FEEDBACK, batch, 1, frames, stft.bins())));
        }
        int inCh = cfg.inputChannels() + (cfg.iterations().max() > 1 ? 1 : 0);
        List<Integer> widths = cfg.channels();
        x = Conv2d.pointwise("pre_conv", inCh, widths.get(0), true).apply(g, x);
        if (inCh > cfg.inputChannels()) {
            // the feedback channel starts silent: the first passes behave like the plain separator
            g.params().get("pre_conv.weight").getArr().get(NDArrayIndex.all(), NDArrayIndex.point(cfg.inputChannels()),
                    NDArrayIndex.all(), NDArrayIndex.all()).assign(0);
        }

        // encoder
        int t = paddedFrames;
        int f = bins;
        int width = widths.get(0);
        List<SDVariable> skips = new ArrayList<>();
        List<int[]> grids = new ArrayList<>();
        for (int i = 0; i < widths.size(); i++) {
            x = convBlockRes(g, "encoder_block" + (i + 1) + ".conv_block1", x, width, widths.get(i), film, t);
            skips.add(x);
            grids.add(new int[] {t, f});
            width = widths.get(i);
            x = Pooling.avg(g, x, cfg.poolTime().get(i), cfg.poolFreq().get(i));
            t /= cfg.poolTime().get(i);
            f /= cfg.poolFreq().get(i);
        }
        x = convBlockRes(g, "conv_block7a", x, width, width, film, t);
        if (cfg.soundbeam().apply()) {
            x = Soundbeam.inject(g, "soundbeam", x, sedOut.layers(), sed, width, t, f, cfg.soundbeam().merge());
        }
        if (cfg.dprnn().use()) {
            x = Dprnn.apply(g, "dprnn", x, width, t, f, cfg.dprnn(), batch);
        }

        // decoder
        for (int i = widths.size() - 1, j = 1; i >= 0; i--, j++) {
            String name = "decoder_block" + j;
            int out = widths.get(i);
            int st = cfg.poolTime().get(i);
            int sf = cfg.poolFreq().get(i);
            SDVariable h = film.normalise(g, name + ".bn1", x, width, t);
            h = new ConvTranspose2d(name + ".conv1", width, out, st, sf, false).apply(g, h, t, f);
            t *= st;
            f *= sf;
            x = convBlockRes(g, name + ".conv_block2", g.sd().concat(1, h, skips.get(i)), 2 * out, out, film, t);
            width = out;
        }

        // masks and phase rotations → complex spectra → waveforms
        int heads = cfg.inputChannels() * 3 * k;
        SDVariable o = Conv2d.pointwise("after_conv", width, heads, true).apply(g, x);                                               // [B, ch·3·K, Tp, F−1]
        o = restoreGrid(g, o, heads);                                                            // [B, ch·3·K, T, F]
        SDVariable grid = o.reshape(-1, k, ch, 3, frames, stft.bins());
        SDVariable[] parts = g.sd().unstack(grid, 3, 3);                                         // each [B, K, ch, T, F]
        SDVariable mask = g.sd().nn().sigmoid(parts[0]);
        SDVariable pr = g.sd().math().tanh(parts[1]);
        SDVariable pi = g.sd().math().tanh(parts[2]);
        SDVariable norm = g.sd().math().sqrt(pr.mul(pr).add(pi.mul(pi)).add(1e-10)); // ε inside: the restored Nyquist bin is exactly 0
        pr = pr.div(norm);
        pi = pi.div(norm);
        SDVariable m = mag.reshape(-1, 1, ch, frames, stft.bins()).mul(mask);
        SDVariable c = cos.reshape(-1, 1, ch, frames, stft.bins());
        SDVariable s = sin.reshape(-1, 1, ch, frames, stft.bins());
        SDVariable outRe = m.mul(c.mul(pr).sub(s.mul(pi)));                                        // [B, K, ch, T, F]
        SDVariable outIm = m.mul(s.mul(pr).add(c.mul(pi)));
        SDVariable w = g.uniform("channel_mix.weight", 1 / Math.sqrt(ch), 1, ch, 1, 1).reshape(ch, 1); // a 1×1 conv ch → 1
        SDVariable yRe = outRe.permute(0, 1, 3, 4, 2).reshape(-1, ch).mmul(w).reshape(-1, frames, stft.bins());  // [B·K, T, F]
        SDVariable yIm = outIm.permute(0, 1, 3, 4, 2).reshape(-1, ch).mmul(w).reshape(-1, frames, stft.bins());
        SDVariable wave = stft.inverse(g, yRe.permute(0, 2, 1), yIm.permute(0, 2, 1), samples).reshape(-1, k, samples);
        SDVariable estimate = g.sd().identity(ESTIMATE, wave.mul(active.reshape(-1, k, 1)));
        return new Built(estimate, cfg.needsSed() ? "sed." : null);
    }

    /** BatchNorm over frequency bins, Nyquist bin dropped, time zero-padded to the pooling multiple. */
    private SDVariable prepare(Graph g, String name, SDVariable mag) {
        SDVariable normed = new BatchNorm(name, stft.bins(), 4, 1e-5, 0.1, true, 3).apply(g, mag);   // channels = bins
        SDVariable x = normed.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.interval(0, bins));
        if (paddedFrames > frames) {
            SDVariable zeros = x.get(SDIndex.all(), SDIndex.all(), SDIndex.interval(0, paddedFrames - frames), SDIndex.all()).mul(0);
            x = g.sd().concat(2, x, zeros);
        }
        return x;
    }

    /** Crops the padded frames and restores the Nyquist bin (zero) of the network's output. */
    private SDVariable restoreGrid(Graph g, SDVariable o, int channels) {
        SDVariable x = paddedFrames > frames ? o.get(SDIndex.all(), SDIndex.all(), SDIndex.interval(0, frames), SDIndex.all()) : o;
        SDVariable nyquist = x.get(SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.interval(0, 1)).mul(0);
        return g.sd().concat(3, x, nyquist);
    }

    /** One-hot query → condition vector: Linear–LN–ReLU–Linear–LN–ReLU. */
    private SDVariable labelMlp(Graph g, SDVariable query) {
        int d = cfg.conditionDim();
        SDVariable h = new Linear("label_mlp.0", cfg.sources() * classes, d).apply(g, query);
        h = Activations.relu(g, new LayerNorm("label_mlp.1", d, 1e-5, true).apply(g, h));
        h = new Linear("label_mlp.3", d, d).apply(g, h);
        return Activations.relu(g, new LayerNorm("label_mlp.4", d, 1e-5, true).apply(g, h));
    }

    /** Strong logits {@code [B, S]} → per-frame conditions {@code [B·S, d]}. */
    private SDVariable timeMlp(Graph g, SDVariable logits) {
        int d = cfg.conditionDim();
        SDVariable h = new Linear("time_mlp.0", 1, d).apply(g, logits.reshape(-1, 1));
        h = Activations.relu(g, new LayerNorm("time_mlp.1", d, 1e-5, true).apply(g, h));
        h = new Linear("time_mlp.3", d, d).apply(g, h);
        return Activations.relu(g, new LayerNorm("time_mlp.4", d, 1e-5, true).apply(g, h));
    }

    /** [BN → +β → LeakyReLU → 3×3 conv] ×2 + residual. */
    private SDVariable convBlockRes(Graph g, String name, SDVariable x, int in, int out, Conditioning film, int t) {
        SDVariable h = film.normalise(g, name + ".bn1", x, in, t);
        h = Conv2d.same(name + ".conv1", in, out, 3, false).apply(g, h);
        SDVariable h2 = film.normalise(g, name + ".bn2", h, out, t);
        h2 = Conv2d.same(name + ".conv2", out, out, 3, false).apply(g, h2);
        SDVariable shortcut = in == out ? x
                : Conv2d.pointwise(name + ".shortcut", in, out, true).apply(g, x);
        return shortcut.add(h2);
    }

    /**
     * The FiLM betas: one projection per BN (parameters {@code film.<bn>.weight/bias}) applied to the
     * class condition and, with Time-FiLM, to the per-frame conditions.
     */
    private final class Conditioning {
        private final SDVariable cond;
        private final SDVariable time;
        private final int strongFrames;

        Conditioning(SDVariable cond, SDVariable time, int strongFrames) {
            this.cond = cond;
            this.time = time;
            this.strongFrames = strongFrames;
        }

        /** LeakyReLU(BN(x) + β_class (+ β_time(t), or + BN(x)·γ_time(t))) for x {@code [B, C, T, F]}. */
        SDVariable normalise(Graph g, String bn, SDVariable x, int channels, int t) {
            int d = cfg.conditionDim();
            double bound = 1 / Math.sqrt(d);
            SDVariable w = g.uniform("film." + bn + ".weight", bound, channels, d);
            SDVariable b = g.uniform("film." + bn + ".bias", bound, channels);
            SDVariable beta = cond.mmul(w.permute(1, 0)).add(b).reshape(-1, channels, 1, 1);        // [B, C, 1, 1]
            BatchNorm norm = BatchNorm.of(bn, channels, 4);
            if (time == null) {
                return norm.applyLeakyRelu(g, x, beta, SLOPE);      // β folded into the normalisation's offset
            }
            if (cfg.timeFilm().mode().equals("additive")) {         // [B, C, t, 1]: still no full-size add
                return norm.applyLeakyRelu(g, x, beta.add(timeBeta(g, w, b, channels, t)), SLOPE);
            }
            SDVariable n = norm.apply(g, x);
            return Activations.leakyRelu(g, n.add(n.mul(timeBeta(g, w, b, channels, t))).add(beta), SLOPE);
        }

        /** The per-frame conditions through the same projection, resized to t frames: {@code [B, C, t, 1]}. */
        private SDVariable timeBeta(Graph g, SDVariable w, SDVariable b, int channels, int t) {
            SDVariable bt = time.mmul(w.permute(1, 0)).add(b)                                    // [B·S, C]
                    .reshape(-1, strongFrames, channels).permute(0, 2, 1).reshape(-1, strongFrames);
            return Interpolate.linear(g, bt, strongFrames, t).reshape(-1, channels, t, 1);
        }
    }
}

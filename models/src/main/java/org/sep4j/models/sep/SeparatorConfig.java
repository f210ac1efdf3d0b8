package org.sep4j.models.sep;

import java.util.List;
import org.sep4j.core.config.Doc;

/**
 * The {@code model.separator} block: the ResUNet's STFT and topology and every switch of the
 * 2nd-place system (class FiLM, Time-FiLM, Soundbeam embedding injection, DPRNN, iterative
 * refinement). Defaults are the {@code tiny} preset; {@code full} is ResUNet30.
 */
public record SeparatorConfig(
        @Doc("STFT size (window = n_fft, Hann, centred, reflect)") int nFft,
        @Doc("STFT hop") int hopLength,
        @Doc("microphone channels of the mixture") int inputChannels,
        @Doc("encoder widths; the first is also the stem width (ResUNet30: 32, 64, 128, 256, 384, 384)") List<Integer> channels,
        @Doc("time pooling after each encoder block") List<Integer> poolTime,
        @Doc("frequency pooling after each encoder block") List<Integer> poolFreq,
        @Doc("sources per pass: 1 = one per query (ResUNet), 3 = ResUNetK") int sources,
        @Doc("width of the label MLP that drives the FiLM betas") int conditionDim,
        @Doc("Time-FiLM from the SED's strong logits of the queried class") TimeFilm timeFilm,
        @Doc("Soundbeam: inject the SED's token maps at the bottleneck") Soundbeam soundbeam,
        @Doc("dual-path BiGRU blocks at the bottleneck") Dprnn dprnn,
        @Doc("iterative refinement") Iterations iterations,
        @Doc("pretrained separator weights (safetensors, sep4j names) to start training from; null = random init")
        java.nio.file.Path weights) {

    /** @param mode additive (β_t added) or multiplicative (BN(x)·(1 + γ_t)) */
    public record TimeFilm(@Doc("use Time-FiLM") boolean use, @Doc("additive or multiplicative") String mode) {
        public TimeFilm {
            if (!mode.equals("additive") && !mode.equals("multiplicative")) {
                throw new IllegalArgumentException("model.separator.time_film.mode: expected additive or multiplicative, "
                        + "found '" + mode + "'");
            }
        }
    }

    public record Soundbeam(@Doc("inject SED embeddings") boolean apply, @Doc("train the SED with the separator") boolean trainable,
            @Doc("add (instance-normalised weighted sum) or concat (then a 1x1 conv)") String merge) {
        public Soundbeam {
            if (!merge.equals("add") && !merge.equals("concat")) {
                throw new IllegalArgumentException("model.separator.soundbeam.merge: expected add or concat, found '" + merge + "'");
            }
        }
    }

    public record Dprnn(@Doc("use DPRNN") boolean use, @Doc("dual-path blocks") int blocks, @Doc("GRU hidden size") int hidden,
            @Doc("GRU layers") int layers, @Doc("dropout between GRU layers") double dropout) {
    }

    public record Iterations(@Doc("refinement passes (1 = none)") int max) {
        public Iterations {
            if (max < 1) {
                throw new IllegalArgumentException("model.separator.iterations.max must be at least 1, found " + max);
            }
        }
    }

    public SeparatorConfig {
        if (channels.isEmpty() || channels.size() != poolTime.size() || channels.size() != poolFreq.size()) {
            throw new IllegalArgumentException("model.separator.channels, pool_time and pool_freq need the same length, found "
                    + channels.size() + ", " + poolTime.size() + ", " + poolFreq.size());
        }
        if ((nFft / 2) % product(poolFreq) != 0) {
            throw new IllegalArgumentException("model.separator.n_fft/2 (" + nFft / 2 + ") must be a multiple of the total "
                    + "frequency pooling (" + product(poolFreq) + ")");
        }
        if (sources < 1 || (sources > 1 && (timeFilm.use() || iterations.max() > 1))) {
            throw new IllegalArgumentException("model.separator.sources > 1 (ResUNetK) works without time_film and iterations");
        }
    }

    public static SeparatorConfig defaults() {
        return new SeparatorConfig(256, 128, 4, List.of(8, 16, 32, 32), List.of(2, 2, 2, 1), List.of(2, 2, 2, 2), 1, 32,
                new TimeFilm(false, "additive"), new Soundbeam(false, true, "add"), new Dprnn(false, 1, 32, 1, 0.0),
                new Iterations(1), null);
    }

    /** Whether the graph holds a SED (for Soundbeam or Time-FiLM). */
    public boolean needsSed() {
        return timeFilm.use() || soundbeam.apply();
    }

    static int product(List<Integer> xs) {
        int p = 1;
        for (int x : xs) {
            p *= x;
        }
        return p;
    }
}

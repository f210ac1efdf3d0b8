package org.sep4j.core.dsp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Short-time Fourier transform and its inverse, matching {@code torch.stft} /
 * {@code torch.istft} (torch 1.13).
 *
 * <ul>
 *   <li>Input {@code [channels][samples]}; output {@link Spectrogram} {@code [channels][bins][frames]},
 *       bins = nFft/2 + 1 (onesided) or nFft.</li>
 *   <li>center: the signal is padded by nFft/2 on both sides ({@link PadMode#REFLECT} excludes the
 *       edge sample), frames = 1 + (L + 2·(nFft/2) − nFft)/hop; without center frames = 1 + (L − nFft)/hop.</li>
 *   <li>A window shorter than nFft is zero-padded centrally; X[k, t] = Σ_n w[n]·x[t·hop + n]·e^(−j2πkn/nFft),
 *       times 1/√nFft when normalized.</li>
 *   <li>Inverse: overlap-add of windowed inverse FFTs divided by the overlap-added squared window,
 *       trimmed by nFft/2 when centred and cut or zero-padded to an explicit length. A window
 *       envelope below 1e-11 inside the output (NOLA violated) is an error, as in torch.</li>
 * </ul>
 *
 * <p>Frames are processed in parallel blocks on the common fork-join pool; results do not depend
 * on the number of threads.
 */
public final class Stft {

    /** Frames per parallel task; also the width of the transposing write into [f][t]. */
    private static final int BLOCK = 32;
    private static final double NOLA_FLOOR = 1e-11;

    private final StftConfig config;
    private final float[] window;

    public Stft(StftConfig config) {
        this.config = config;
        this.window = config.window().periodic(config.winLength());
    }

    public StftConfig config() {
        return config;
    }

    /** Forward transform of {@code [channels][samples]}. */
    public Spectrogram forward(float[][] x) {
        return forward(x, config.nFft(), config.hopLength(), window, config.center(), config.padMode(),
                config.normalized(), config.onesided());
    }

    /** Forward transform of one channel. */
    public Spectrogram forward(float[] x) {
        return forward(new float[][] {x});
    }

    /** Inverse transform; {@code length < 0} means "as many samples as the frames imply". */
    public float[][] inverse(Spectrogram spec, int length) {
        return inverse(spec, config.nFft(), config.hopLength(), window, config.center(), config.normalized(), length);
    }

    /** Frames torch.stft produces for {@code length} samples. */
    public static int frames(int length, int nFft, int hop, boolean center) {
        int padded = length + (center ? 2 * (nFft / 2) : 0);
        if (padded < nFft) {
            return 0;
        }
        return 1 + (padded - nFft) / hop;
    }

    /**
     * The stateless forward transform with every parameter explicit.
     *
     * @param window window of length ≤ nFft (padded centrally to nFft)
     */
    public static Spectrogram forward(float[][] x, int nFft, int hop, float[] window, boolean center, PadMode padMode,
            boolean normalized, boolean onesided) {
        int channels = x.length;
        if (channels == 0) {
            throw new IllegalArgumentException("stft input has no channels");
        }
        int length = x[0].length;
        for (float[] ch : x) {
            if (ch.length != length) {
                throw new IllegalArgumentException("stft input channels differ in length: " + ch.length + " vs " + length);
            }
        }
        if (hop <= 0) {
            throw new IllegalArgumentException("stft hop must be positive, got " + hop);
        }
        int pad = center ? nFft / 2 : 0;
        if (center && padMode == PadMode.REFLECT && pad >= length) {
            throw new IllegalArgumentException("stft reflect padding of " + pad + " samples needs a signal longer than "
                    + pad + " samples, got " + length + " (use a shorter n_fft, a longer signal or pad_mode=constant)");
        }
        if (length + 2 * pad < nFft) {
            throw new IllegalArgumentException("stft signal of " + length + " samples is shorter than n_fft " + nFft
                    + (center ? "" : " (center=false)"));
        }
        float[] w = Window.padCentered(window, nFft);
        int frames = frames(length, nFft, hop, center);
        int half = nFft / 2 + 1;
        int bins = onesided ? half : nFft;
        float[] re = new float[channels * bins * frames];
        float[] im = new float[channels * bins * frames];
        float scale = normalized ? (float) (1.0 / Math.sqrt(nFft)) : 1f;
        int blocksPerChannel = (frames + BLOCK - 1) / BLOCK;

        int blocks = channels * blocksPerChannel;
        int tasks = Math.min(blocks, 4 * ForkJoinPool.getCommonPoolParallelism());
        IntStream.range(0, tasks).parallel().forEach(task -> {
            // One FFT per task; the task walks a contiguous run of blocks, so the output columns of a
            // block stay in cache while its frames scatter into them.
            RealFft fft = new RealFft(nFft);
            float[] buf = fft.buffer();
            // Bins 1..last−1 sit at a[2k], a[2k+1] in the packed layout; bin last = half − 1 is packed apart.
            int last = half - 1;
            int from = (int) ((long) blocks * task / tasks);
            int to = (int) ((long) blocks * (task + 1) / tasks);
            for (int blk = from; blk < to; blk++) {
                int c = blk / blocksPerChannel;
                int t0 = (blk % blocksPerChannel) * BLOCK;
                int t1 = Math.min(frames, t0 + BLOCK);
                float[] sig = x[c];
                int rowBase = c * bins * frames;
                for (int t = t0; t < t1; t++) {
                    int start = t * hop - pad;
                    if (start >= 0 && start + nFft <= length) {
                        windowed(sig, start, w, buf, nFft);
                    } else {
                        for (int n = 0; n < nFft; n++) {
                            buf[n] = padded(sig, start + n, padMode) * w[n];
                        }
                    }
                    float[] a = fft.forwardPacked();
                    int o = rowBase + t;
                    re[o] = a[0] * scale;
                    im[o] = 0f;
                    for (int k = 1; k < last; k++) {
                        int ok = o + k * frames;
                        re[ok] = a[2 * k] * scale;
                        im[ok] = a[2 * k + 1] * scale;
                    }
                    if (last > 0) {
                        int ok = o + last * frames;
                        re[ok] = RealFft.packedRe(a, last, nFft) * scale;
                        im[ok] = RealFft.packedIm(a, last, nFft) * scale;
                    }
                    // Two-sided output: bins above Nyquist are conjugates of the mirrored ones.
                    for (int f = half; f < bins; f++) {
                        re[o + f * frames] = re[o + (nFft - f) * frames];
                        im[o + f * frames] = -im[o + (nFft - f) * frames];
                    }
                }
            }
        });
        return new Spectrogram(channels, bins, frames, re, im);
    }

    /** buf[n] = x[off + n]·w[n]; a method of its own so C2 compiles it as one SIMD loop. */
    private static void windowed(float[] x, int off, float[] w, float[] buf, int n) {
        for (int i = 0; i < n; i++) {
            buf[i] = x[off + i] * w[i];
        }
    }

    private static float padded(float[] sig, int i, PadMode mode) {
        int n = sig.length;
        if (i >= 0 && i < n) {
            return sig[i];
        }
        if (mode == PadMode.CONSTANT) {
            return 0f;
        }
        return sig[i < 0 ? -i : 2 * (n - 1) - i];
    }

    /**
     * The stateless inverse transform with every parameter explicit.
     *
     * @param spec   onesided (nFft/2 + 1 bins) or two-sided (nFft bins, upper half ignored) spectrogram
     * @param window the analysis window, length ≤ nFft
     * @param length output samples per channel, or negative for the natural length
     * @return {@code [channels][samples]}
     */
    public static float[][] inverse(Spectrogram spec, int nFft, int hop, float[] window, boolean center,
            boolean normalized, int length) {
        int half = nFft / 2 + 1;
        int bins = spec.bins();
        if (bins != half && bins != nFft) {
            throw new IllegalArgumentException("istft with n_fft " + nFft + " expects " + half + " (onesided) or "
                    + nFft + " bins, got " + bins);
        }
        if (hop <= 0 || hop > nFft) {
            throw new IllegalArgumentException("istft hop must be in 1.." + nFft + ", got " + hop);
        }
        int frames = spec.frames();
        int channels = spec.channels();
        float[] w = Window.padCentered(window, nFft);
        int expected = frames == 0 ? 0 : nFft + hop * (frames - 1);
        int start = center ? nFft / 2 : 0;
        int end = length >= 0 ? start + length : (center ? expected - nFft / 2 : expected);
        if (end < start) {
            throw new IllegalArgumentException("istft: " + frames + " frames give " + expected
                    + " samples, too few to trim n_fft/2 from each side");
        }
        float[] envelope = new float[expected];
        for (int t = 0; t < frames; t++) {
            int off = t * hop;
            for (int n = 0; n < nFft; n++) {
                envelope[off + n] += w[n] * w[n];
            }
        }
        int valid = Math.min(end, expected);
        for (int i = start; i < valid; i++) {
            if (Math.abs(envelope[i]) < NOLA_FLOOR) {
                throw new IllegalArgumentException("istft: window overlap-add envelope is " + envelope[i] + " at sample "
                        + i + " (NOLA violated): the window and hop " + hop + " cannot be inverted; use a longer "
                        + "window or a shorter hop");
            }
        }
        float scale = normalized ? (float) Math.sqrt(nFft) : 1f;
        int chunks = Math.max(1, Math.min((frames + BLOCK - 1) / BLOCK,
                2 * Runtime.getRuntime().availableProcessors()));
        int perChunk = (frames + chunks - 1) / Math.max(1, chunks);

        record Part(int channel, int offset, float[] samples) {
        }
        List<Part> parts = IntStream.range(0, channels * chunks).parallel().mapToObj(task -> {
            int c = task / chunks;
            int t0 = (task % chunks) * perChunk;
            int t1 = Math.min(frames, t0 + perChunk);
            if (t0 >= t1) {
                return null;
            }
            float[] acc = new float[(t1 - 1 - t0) * hop + nFft];
            RealFft fft = new RealFft(nFft);
            float[] rowRe = new float[half];
            float[] rowIm = new float[half];
            float[] frame = new float[nFft];
            float[] sre = spec.re();
            float[] sim = spec.im();
            for (int t = t0; t < t1; t++) {
                for (int f = 0; f < half; f++) {
                    int idx = spec.index(c, f, t);
                    rowRe[f] = sre[idx];
                    rowIm[f] = sim[idx];
                }
                fft.inverse(rowRe, rowIm, frame);
                int off = (t - t0) * hop;
                for (int n = 0; n < nFft; n++) {
                    acc[off + n] += frame[n] * scale * w[n];
                }
            }
            return new Part(c, t0 * hop, acc);
        }).filter(p -> p != null).collect(ArrayList::new, ArrayList::add, ArrayList::addAll);

        float[][] full = new float[channels][expected];
        for (Part p : parts) {
            float[] dst = full[p.channel()];
            for (int i = 0; i < p.samples().length; i++) {
                dst[p.offset() + i] += p.samples()[i];
            }
        }
        float[][] out = new float[channels][end - start];
        for (int c = 0; c < channels; c++) {
            for (int i = start; i < valid; i++) {
                out[c][i - start] = full[c][i] / envelope[i];
            }
        }
        return out;
    }
}

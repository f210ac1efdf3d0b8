package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.enums.PadMode;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.dsp.Stft;
import org.sep4j.core.dsp.StftConfig;
import org.sep4j.core.dsp.Window;

/**
 * STFT and inverse STFT inside the graph, with {@link Stft}'s conventions (onesided, centred with
 * reflect or zero padding, optional 1/√N normalisation), so waveform losses train end to end.
 *
 * <ul>
 *   <li>Forward: pad, then a strided convolution with a fixed DFT basis (window·cos, −window·sin):
 *       {@code [B, L]} → real and imaginary {@code [B, F, T]}, F = N/2 + 1.</li>
 *   <li>Inverse: per-frame inverse DFT as a matrix product (window folded in), overlap-add by
 *       shifting hop-sized slices, division by the summed squared window, trimming of the centre
 *       padding: {@code [B, F, T]} → {@code [B, L]} for a known output length L.</li>
 * </ul>
 * Only fixed constants and differentiable ops: gradients flow to the signal and to anything
 * that produced the spectrogram.
 */
public final class DiffStft {

    private final StftConfig cfg;
    private final float[] window;
    private final int n;
    private final int bins;

    public DiffStft(StftConfig cfg) {
        if (!cfg.onesided()) {
            throw new IllegalArgumentException("DiffStft supports onesided spectra only");
        }
        this.cfg = cfg;
        this.n = cfg.nFft();
        this.bins = n / 2 + 1;
        this.window = Window.padCentered(cfg.window().periodic(cfg.winLength()), n);
    }

    public int bins() {
        return bins;
    }

    public int frames(int length) {
        return cfg.frames(length);
    }

    /**
     * Forward transform of {@code [B, L]} (L fixed by the input's static shape): {real, imaginary},
     * each {@code [B, F, T]}. (Two convolutions rather than one sliced in two: ND4J M2.1's
     * strided-slice gradient is unreliable.)
     */
    public SDVariable[] forward(Graph g, SDVariable x) {
        long[] shape = x.getShape();
        if (shape == null || shape.length != 2 || shape[1] < 0) {
            throw new IllegalArgumentException("DiffStft needs a [batch, samples] input with a known sample count "
                    + "(or give it: forward(g, x, samples))");
        }
        return forward(g, x, (int) shape[1]);
    }

    /** Forward transform of {@code [B, samples]} whose sample count SameDiff cannot infer (a computed input). */
    public SDVariable[] forward(Graph g, SDVariable x, int samples) {
        long[] shape = {-1, samples};
        int pad = cfg.center() ? n / 2 : 0;
        SDVariable padded = x;
        if (pad > 0 && cfg.padMode() == org.sep4j.core.dsp.PadMode.REFLECT) {
            if (pad >= shape[1]) {
                throw new IllegalArgumentException("DiffStft reflect padding of " + pad + " needs more than " + pad
                        + " samples, got " + shape[1]);
            }
            // mirrored edges built from slices (ND4J M2.1's reflect-pad gradient is wrong)
            SDVariable left = g.sd().reverse(g.sd().slice(x, new int[] {0, 1}, new int[] {-1, pad}), 1);
            SDVariable right = g.sd().reverse(g.sd().slice(x, new int[] {0, (int) shape[1] - pad - 1}, new int[] {-1, pad}), 1);
            padded = g.sd().concat(1, left, x, right);
        } else if (pad > 0) {
            padded = g.sd().nn().pad(x, g.sd().constant(Nd4j.createFromArray(new int[][] {{0, 0}, {pad, pad}})),
                    PadMode.CONSTANT, 0.0);
        }
        SDVariable img = padded.reshape(-1, 1, 1, shape[1] + 2L * pad);
        double scale = cfg.normalized() ? 1 / Math.sqrt(n) : 1;
        INDArray cos = Nd4j.create(g.dtype(), 1, n, 1, bins); // YXIO
        INDArray sin = Nd4j.create(g.dtype(), 1, n, 1, bins);
        for (int k = 0; k < bins; k++) {
            for (int i = 0; i < n; i++) {
                double a = 2 * Math.PI * k * i / n;
                cos.putScalar(new long[] {0, i, 0, k}, window[i] * Math.cos(a) * scale);
                sin.putScalar(new long[] {0, i, 0, k}, -window[i] * Math.sin(a) * scale);
            }
        }
        Conv2DConfig conv = Conv2DConfig.builder().kH(1).kW(n).sH(1).sW(cfg.hopLength()).pH(0).pW(0).dH(1).dW(1)
                .dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
        SDVariable re = g.sd().squeeze(g.sd().cnn().conv2d(img, g.sd().constant(cos), conv), 2);     // [B, F, T]
        SDVariable im = g.sd().squeeze(g.sd().cnn().conv2d(img, g.sd().constant(sin), conv), 2);
        return new SDVariable[] {re, im};
    }

    /** Inverse transform to {@code [B, length]} of a spectrogram with {@code frames(length)} frames. */
    public SDVariable inverse(Graph g, SDVariable re, SDVariable im, int length) {
        int frames = frames(length);
        int hop = cfg.hopLength();
        int r = (n + hop - 1) / hop;
        int padded = r * hop;
        double scale = cfg.normalized() ? Math.sqrt(n) : 1;
        INDArray kc = Nd4j.create(g.dtype(), n, bins);
        INDArray ks = Nd4j.create(g.dtype(), n, bins);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < bins; k++) {
                double c = (k == 0 || 2 * k == n) ? 1 : 2;
                double a = 2 * Math.PI * k * i / n;
                kc.putScalar(i, k, c * Math.cos(a) / n * window[i] * scale);
                ks.putScalar(i, k, -c * Math.sin(a) / n * window[i] * scale);
            }
        }
        // Slice j (hop samples) of every frame: Kc_j·re + Ks_j·im, shifted j hops and summed (overlap-add).
        SDVariable reF = re.permute(1, 0, 2).reshape(bins, -1);                                  // [F, B·T]
        SDVariable imF = im.permute(1, 0, 2).reshape(bins, -1);
        SDVariable acc = null;
        for (int j = 0; j < r; j++) {
            INDArray cj = Nd4j.zeros(g.dtype(), hop, bins);
            INDArray sj = Nd4j.zeros(g.dtype(), hop, bins);
            for (int i = 0; i < hop && j * hop + i < n; i++) {
                for (int k = 0; k < bins; k++) {
                    cj.putScalar(i, k, kc.getDouble(j * hop + i, k));
                    sj.putScalar(i, k, ks.getDouble(j * hop + i, k));
                }
            }
            SDVariable seg = g.sd().constant(cj).mmul(reF).add(g.sd().constant(sj).mmul(imF))      // [hop, B·T]
                    .reshape(hop, -1, frames).permute(1, 0, 2);                                     // [B, hop, T]
            SDVariable shifted = g.sd().nn().pad(seg, g.sd().constant(Nd4j.createFromArray(new int[][] {{0, 0}, {0, 0},
                {j, r - 1 - j}})), PadMode.CONSTANT, 0.0);                                         // [B, hop, T + r − 1]
            acc = acc == null ? shifted : acc.add(shifted);
        }
        int total = (frames + r - 1) * hop;
        SDVariable y = acc.permute(0, 2, 1).reshape(-1, total);                               // [B, total]
        double[] env = new double[total];
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < n; i++) {
                env[t * hop + i] += (double) window[i] * window[i];
            }
        }
        int start = cfg.center() ? n / 2 : 0;
        INDArray inv = Nd4j.create(g.dtype(), 1, length);
        for (int i = 0; i < length; i++) {
            int at = start + i;
            if (at >= total || env[at] < 1e-11) {
                throw new IllegalArgumentException("DiffStft inverse: window envelope is " + (at < total ? env[at] : 0)
                        + " at sample " + at + " (NOLA violated or length " + length + " too long for " + frames + " frames)");
            }
            inv.putScalar(0, i, 1 / env[at]);
        }
        SDVariable cut = g.sd().slice(y, new int[] {0, start}, new int[] {-1, length});
        return cut.mul(g.sd().constant(inv));
    }
}

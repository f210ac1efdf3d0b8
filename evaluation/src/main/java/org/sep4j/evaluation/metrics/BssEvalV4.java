package org.sep4j.evaluation.metrics;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * BSS Eval v4 as museval computes it for source images: the 512-tap projection filters are fitted
 * once on the whole track, then every window (1 s windows with 1 s hop by default) is decomposed by
 * filtering that window of the references with those filters, and scored with the image criteria
 * of {@link BssEval#images}. Windows where any reference or estimate is silent are NaN; tracks
 * aggregate by the median over non-NaN windows.
 *
 * <p>Consequences worth knowing: per window, SDR is the plain SNR summed over channels; with a single
 * window spanning the track, every number equals {@link BssEval#images} (mir_eval's v3). museval
 * adds 2.2e-16·I to the Gram matrix before solving; that changes nothing measurable for
 * non-degenerate references and is not reproduced. Estimates are matched to references by index.
 */
public final class BssEvalV4 {

    /**
     * Per-window scores {@code [source][window]} (NaN for silent windows) and their medians.
     */
    public record Framewise(double[][] sdr, double[][] isr, double[][] sir, double[][] sar, int windows) {

        /** nanmedian over windows, per source. */
        public double[] median(double[][] perWindow) {
            double[] out = new double[perWindow.length];
            for (int j = 0; j < out.length; j++) {
                out[j] = nanMedian(perWindow[j]);
            }
            return out;
        }
    }

    private BssEvalV4() {
    }

    /** museval's defaults: 1 s windows with 1 s hop. */
    public static Framewise images(float[][][] references, float[][][] estimates, int sampleRate) {
        return images(references, estimates, sampleRate, sampleRate);
    }

    /**
     * @param references {@code [source][channel][sample]}
     * @param estimates  same shape, estimate j for reference j
     * @param window     window length in samples
     * @param hop        hop in samples
     */
    public static Framewise images(float[][][] references, float[][][] estimates, int window, int hop) {
        int nsrc = references.length;
        int nchan = references[0].length;
        int length = references[0][0].length;
        if (estimates.length != nsrc) {
            throw new IllegalArgumentException("BSS Eval v4: " + estimates.length + " estimated sources but " + nsrc
                    + " references");
        }
        for (int j = 0; j < nsrc; j++) {
            if (references[j].length != nchan || estimates[j].length != nchan) {
                throw new IllegalArgumentException("BSS Eval v4: source " + j + " has " + references[j].length
                        + " reference and " + estimates[j].length + " estimated channels, expected " + nchan);
            }
            Checks.sameShape(estimates[j], references[j], "BSS Eval v4 (source " + j + ")", "channels");
            for (float[] ch : references[j]) {
                if (ch.length != length) {
                    throw new IllegalArgumentException("BSS Eval v4: source " + j + " has " + ch.length
                            + " samples, source 0 has " + length);
                }
            }
        }
        if (window <= 0 || hop <= 0 || window > length) {
            throw new IllegalArgumentException("BSS Eval v4: window " + window + " and hop " + hop
                    + " must be positive and the window at most the track length " + length);
        }
        int flen = BssEval.FILTER_LENGTH;
        int p = nsrc * nchan;
        // Global filters, fitted on the whole track.
        Projection proj = new Projection(length, flen);
        double[][] basis = proj.spectra(Projection.flatten(references));
        double[][] targets = proj.spectra(Projection.flatten(estimates));
        Projection.Correlations corr = proj.correlations(basis, targets);
        double[][][] all = proj.coefficients(corr, Projection.range(0, p));            // [a][k][e·nchan+i]
        double[][][][] own = new double[nsrc][][][];
        for (int j = 0; j < nsrc; j++) {
            own[j] = proj.coefficients(corr, Projection.range(j * nchan, (j + 1) * nchan)); // [a][c][e·nchan+i]
        }
        // Filter spectra at the window FFT size, computed once.
        int span = window + flen - 1;
        int nfft = Projection.smooth(span);
        DoubleFFT_1D fft = new DoubleFFT_1D(nfft);
        double[][][] allSpec = new double[p][p][];   // [basis k][target e·nchan+i]
        double[][][] ownSpec = new double[p][p][];   // [basis k (own source)][target]
        for (int k = 0; k < p; k++) {
            for (int t = 0; t < p; t++) {
                allSpec[k][t] = filterSpectrum(all, k, t, flen, nfft, fft);
                ownSpec[k][t] = filterSpectrum(own[k / nchan], k % nchan, t, flen, nfft, fft);
            }
        }
        int windows = (length - window + hop) / hop;
        double[][] sdr = new double[nsrc][windows];
        double[][] isr = new double[nsrc][windows];
        double[][] sir = new double[nsrc][windows];
        double[][] sar = new double[nsrc][windows];
        IntStream.range(0, windows).parallel().forEach(w -> {
            int start = w * hop;
            DoubleFFT_1D f = new DoubleFFT_1D(nfft);
            boolean silent = false;
            double[][] refWin = new double[p][];
            for (int k = 0; k < p; k++) {
                float[] src = references[k / nchan][k % nchan];
                double[] a = new double[nfft];
                for (int t = 0; t < window; t++) {
                    a[t] = src[start + t];
                }
                f.realForward(a);
                refWin[k] = a;
            }
            for (int j = 0; j < nsrc && !silent; j++) {
                silent = silentWindow(references[j], start, window) || silentWindow(estimates[j], start, window);
            }
            for (int j = 0; j < nsrc; j++) {
                if (silent) {
                    sdr[j][w] = isr[j][w] = sir[j][w] = sar[j][w] = Double.NaN;
                    continue;
                }
                double eTrue = 0;
                double eErr = 0;
                double eSpat = 0;
                double eInterf = 0;
                double eArtif = 0;
                double eFilt = 0;
                double eAll = 0;
                for (int i = 0; i < nchan; i++) {
                    int target = j * nchan + i;
                    double[] pAll = project(refWin, allSpec, Projection.range(0, p), target, nfft, f);
                    double[] pOwn = project(refWin, ownSpec, Projection.range(j * nchan, (j + 1) * nchan), target,
                            nfft, f);
                    float[] s = references[j][i];
                    float[] est = estimates[j][i];
                    for (int t = 0; t < span; t++) {
                        double st = t < window ? s[start + t] : 0;
                        double et = t < window ? est[start + t] : 0;
                        double spat = pOwn[t] - st;
                        double interf = pAll[t] - pOwn[t];
                        double artif = et - pAll[t];
                        eTrue += st * st;
                        eErr += (et - st) * (et - st);
                        eSpat += spat * spat;
                        eInterf += interf * interf;
                        eArtif += artif * artif;
                        eFilt += pOwn[t] * pOwn[t];
                        eAll += pAll[t] * pAll[t];
                    }
                }
                sdr[j][w] = BssEval.db(eTrue, eErr);
                isr[j][w] = BssEval.db(eTrue, eSpat);
                sir[j][w] = BssEval.db(eFilt, eInterf);
                sar[j][w] = BssEval.db(eAll, eArtif);
            }
        });
        return new Framewise(sdr, isr, sir, sar, windows);
    }

    /** Spectrum of the filter weighting basis k in the projection of target t. */
    private static double[] filterSpectrum(double[][][] x, int k, int t, int flen, int nfft, DoubleFFT_1D fft) {
        double[] h = new double[nfft];
        for (int a = 0; a < flen; a++) {
            h[a] = x[a][k][t];
        }
        fft.realForward(h);
        return h;
    }

    /** Σ_k (window of basis k) * filter[k][target], over the padded window (inverse FFT). */
    private static double[] project(double[][] refWin, double[][][] filters, int[] basis, int target, int nfft,
            DoubleFFT_1D fft) {
        double[] acc = new double[nfft];
        for (int i = 0; i < basis.length; i++) {
            int k = basis[i];
            double[] a = refWin[k];
            double[] h = filters[k][target];
            acc[0] += a[0] * h[0];
            acc[1] += a[1] * h[1];
            for (int q = 2; q < nfft; q += 2) {
                acc[q] += a[q] * h[q] - a[q + 1] * h[q + 1];
                acc[q + 1] += a[q] * h[q + 1] + a[q + 1] * h[q];
            }
        }
        fft.realInverse(acc, true);
        return acc;
    }

    private static boolean silentWindow(float[][] channels, int start, int window) {
        for (float[] ch : channels) {
            for (int t = start; t < start + window; t++) {
                if (ch[t] != 0f) {
                    return false;
                }
            }
        }
        return true;
    }

    static double nanMedian(double[] v) {
        double[] f = Arrays.stream(v).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (f.length == 0) {
            return Double.NaN;
        }
        return f.length % 2 == 1 ? f[f.length / 2] : (f[f.length / 2 - 1] + f[f.length / 2]) / 2;
    }
}

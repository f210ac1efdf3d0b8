package org.sep4j.evaluation.metrics;

/**
 * The P.862 perceptual model and cognitive aggregation: Hann frames of 32 ms at 50 % overlap,
 * Bark power densities, partial compensation of the system's frequency response and of short-term
 * gain, Zwicker loudness, symmetric and asymmetric disturbance with a dead zone, re-alignment of
 * runs of bad frames, and the L6-in-20-frames, L2-over-time aggregation into the raw score.
 */
final class PesqModel {

    private static final double SILENCE_OF_5_SAMPLES = 500;
    private static final double ZWICKER_POWER = 0.23;
    private static final double BAD_FRAME = 30;
    private static final int SMEAR = 2;
    private static final int MIN_BAD_FRAMES = 5;
    private static final int MAX_BAD_INTERVALS = 1000;
    private static final double MIN_GAIN = 3e-4;
    private static final double MAX_GAIN = 5;
    private static final int FRAMES_PER_SYLLABLE = 20;

    private final PesqTables.Bands bands;
    private final int nb;
    private final int block;
    private final int frame;
    private final int hop;
    private final int buffer;
    private final int padding;
    private final int longest;
    private final double[] window;
    private final double[] zwickerExponent;
    private final PesqFft fft;
    private final PesqAlignment.Utterances u;

    private PesqModel(PesqSignal.Rate rate, int longest, PesqAlignment.Utterances u, PesqFft fft) {
        this.bands = rate.bands();
        this.nb = bands.count();
        this.block = rate.block();
        this.frame = 8 * block;
        this.hop = frame / 2;
        this.buffer = rate.buffer();
        this.padding = rate.padding();
        this.longest = longest;
        this.u = u;
        this.fft = fft;
        window = new double[frame];
        for (int i = 0; i < frame; i++) {
            window[i] = 0.5 * (1 - Math.cos(2 * Math.PI * i / frame));
        }
        // Loudness grows faster at low frequencies: the exponent rises below 4 Bark.
        zwickerExponent = new double[nb];
        for (int b = 0; b < nb; b++) {
            double c = bands.centreBark()[b];
            double h = c < 4 ? Math.min(6 / (c + 2), 2) : 1;
            zwickerExponent[b] = ZWICKER_POWER * Math.pow(h, 0.15);
        }
    }

    /**
     * The raw P.862 score of aligned signals; {@code ref} and {@code deg} hold the input-filtered
     * samples in the {@link PesqSignal} layout, both padded to the longer signal.
     */
    static double rawScore(double[] ref, double[] deg, PesqSignal.Rate rate, int longest,
            PesqAlignment.Utterances u, PesqFft fft) {
        return new PesqModel(rate, longest, u, fft).score(ref, deg);
    }

    private double score(double[] ref, double[] deg) {
        int skipStart = 0;
        double sum;
        do {
            sum = 0;
            for (int i = 0; i < 5; i++) {
                sum += Math.abs(ref[buffer + skipStart + i]);
            }
            if (sum < SILENCE_OF_5_SAMPLES) {
                skipStart++;
            }
        } while (sum < SILENCE_OF_5_SAMPLES && skipStart < longest / 2);
        int skipEnd = 0;
        do {
            sum = 0;
            for (int i = 0; i < 5; i++) {
                sum += Math.abs(ref[longest - buffer + padding - 1 - skipEnd - i]);
            }
            if (sum < SILENCE_OF_5_SAMPLES) {
                skipEnd++;
            }
        } while (sum < SILENCE_OF_5_SAMPLES && skipEnd < longest / 2);
        int startFrame = skipStart / hop;
        int stopFrame = (longest - 2 * buffer + padding - skipEnd) / hop - 1;
        int frames = stopFrame + 1;

        double[] refDensity = new double[frames * nb];
        double[] degDensity = new double[frames * nb];
        boolean[] silent = new boolean[frames];
        double[] spectrum = new double[frame / 2];
        for (int f = 0; f < frames; f++) {
            int startRef = buffer + f * hop;
            powerSpectrum(ref, startRef, spectrum);
            barkDensity(spectrum, refDensity, f);
            int startDeg = startRef + u.delayAt(startRef, block);
            if (startDeg > 0 && startDeg + frame < longest + padding) {
                powerSpectrum(deg, startDeg, spectrum);
            } else {
                java.util.Arrays.fill(spectrum, 0);
            }
            barkDensity(spectrum, degDensity, f);
            silent[f] = audiblePower(refDensity, f, 1e2) < 1e7;
        }

        // Partial compensation of the system's frequency response, applied to the reference.
        int averagingFrames = (longest - 2 * buffer + padding) / hop - 1;
        double[] refAverage = audibleAverage(refDensity, silent, frames, averagingFrames);
        double[] degAverage = audibleAverage(degDensity, silent, frames, averagingFrames);
        for (int b = 0; b < nb; b++) {
            double x = Math.min(Math.max((degAverage[b] + 1000) / (refAverage[b] + 1000), 0.01), 100);
            for (int f = 0; f < frames; f++) {
                refDensity[f * nb + b] *= x;
            }
        }

        double[] refPower = new double[frames];
        double[] disturbance = new double[frames];
        double[] asymmetric = new double[frames];
        boolean anyBad = disturbances(refDensity, degDensity, 0, frames, refPower, disturbance, asymmetric, false);

        skipDelayJumps(disturbance, asymmetric, stopFrame);
        if (anyBad) {
            realignBadIntervals(ref, deg, refDensity, degDensity, disturbance, asymmetric, stopFrame);
        }

        double[] timeWeight = new double[frames];
        java.util.Arrays.fill(timeWeight, 1);
        if (frames > 1000) {
            int n = (longest - 2 * buffer) / hop - 1;
            double factor = Math.min((n - 1000) / 5500.0, 0.5);
            for (int f = 0; f < frames; f++) {
                timeWeight[f] = (1 - factor) + factor * f / n;
            }
        }
        // Loud frames are heard as less disturbed; no frame counts for more than 45.
        for (int f = 0; f < frames; f++) {
            double h = Math.pow((refPower[f] + 1e5) / 1e7, 0.04);
            disturbance[f] = Math.min(disturbance[f] / h, 45);
            asymmetric[f] = Math.min(asymmetric[f] / h, 45);
        }
        double d = aggregate(disturbance, timeWeight, startFrame, stopFrame);
        double a = aggregate(asymmetric, timeWeight, startFrame, stopFrame);
        return 4.5 - 0.1 * d - 0.0309 * a;
    }

    /**
     * Gain compensation, loudness and disturbance of frames [from, to). The degraded densities are
     * scaled in place. With {@code keepMinimum} each frame keeps the smaller of its old and new
     * disturbance (re-alignment). Returns whether any frame's disturbance exceeds {@link #BAD_FRAME}.
     */
    private boolean disturbances(double[] refDensity, double[] degDensity, int from, int to, double[] refPower,
            double[] disturbance, double[] asymmetric, boolean keepMinimum) {
        double[] refLoudness = new double[nb];
        double[] degLoudness = new double[nb];
        double[] dens = new double[nb];
        boolean anyBad = false;
        double oldScale = 1;
        for (int f = from; f < to; f++) {
            double refAudible = audiblePower(refDensity, f, 1);
            double degAudible = audiblePower(degDensity, f, 1);
            if (refPower != null) {
                refPower[f] = refAudible;
            }
            // Short-term gain: follow the reference's level, smoothed, within [MIN_GAIN, MAX_GAIN].
            double scale = (refAudible + 5e3) / (degAudible + 5e3);
            if (f > 0) {
                scale = 0.2 * oldScale + 0.8 * scale;
            }
            oldScale = scale;
            scale = Math.max(Math.min(scale, MAX_GAIN), MIN_GAIN);
            for (int b = 0; b < nb; b++) {
                degDensity[f * nb + b] *= scale;
            }
            loudness(refDensity, f, refLoudness);
            loudness(degDensity, f, degLoudness);
            for (int b = 0; b < nb; b++) {
                double dz = 0.25 * Math.min(degLoudness[b], refLoudness[b]);
                double diff = degLoudness[b] - refLoudness[b];
                dens[b] = diff > dz ? diff - dz : diff < -dz ? diff + dz : 0;
            }
            double sym = weightedNorm(dens, 2);
            anyBad |= sym > BAD_FRAME;
            for (int b = 0; b < nb; b++) {
                double ratio = (degDensity[f * nb + b] + 50) / (refDensity[f * nb + b] + 50);
                double h = Math.pow(ratio, 1.2);
                dens[b] *= h > 12 ? 12 : h < 3 ? 0 : h;
            }
            double asym = weightedNorm(dens, 1);
            disturbance[f] = keepMinimum ? Math.min(disturbance[f], sym) : sym;
            asymmetric[f] = keepMinimum ? Math.min(asymmetric[f], asym) : asym;
        }
        return anyBad;
    }

    /** Frames where the delay jumps back by more than half a frame hear the jump, not a disturbance: zero them. */
    private void skipDelayJumps(double[] disturbance, double[] asymmetric, int stopFrame) {
        for (int i = 1; i < u.count; i++) {
            int frame1 = ((u.start[i] - PesqTables.SEARCH_BUFFER) * block + u.delay[i]) / hop;
            int j = ((u.end[i - 1] - PesqTables.SEARCH_BUFFER) * block + u.delay[i - 1]) / hop;
            int jump = u.delay[i] - u.delay[i - 1];
            frame1 = Math.max(Math.min(frame1, j), 0);
            if (jump < -hop) {
                int frame2 = ((u.start[i] - PesqTables.SEARCH_BUFFER) * block + Math.abs(jump)) / hop + 1;
                for (int f = frame1; f <= frame2; f++) {
                    if (f < stopFrame) {
                        disturbance[f] = 0;
                        asymmetric[f] = 0;
                    }
                }
            }
        }
    }

    /**
     * Runs of bad frames (smeared over ±2 frames, at least 5 long) get a second alignment: the
     * envelope correlation of the run against the degraded signal within ±4 frames; where it
     * correlates (≥ 0.5) the run's frames are scored again with that delay, keeping the smaller
     * disturbance.
     */
    private void realignBadIntervals(double[] ref, double[] deg, double[] refDensity, double[] degDensity,
            double[] disturbance, double[] asymmetric, int stopFrame) {
        int frames = stopFrame + 1;
        int nn = longest + padding;
        double[] aligned = new double[nn];
        for (int i = buffer; i < nn - buffer; i++) {
            int j = i + u.delayAt(i, block);
            aligned[i] = deg[Math.min(Math.max(j, buffer), nn - buffer - 1)];
        }
        boolean[] bad = new boolean[frames];
        for (int f = 1; f < frames; f++) {
            bad[f] = disturbance[f] > BAD_FRAME;
        }
        boolean[] smeared = new boolean[frames];
        for (int f = SMEAR; f < stopFrame - SMEAR; f++) {
            boolean left = false;
            boolean right = false;
            for (int i = -SMEAR; i <= 0; i++) {
                left |= bad[f + i];
            }
            for (int i = 0; i <= SMEAR; i++) {
                right |= bad[f + i];
            }
            smeared[f] = left && right;
        }
        int[] startFrames = new int[MAX_BAD_INTERVALS];
        int[] stopFrames = new int[MAX_BAD_INTERVALS];
        int count = 0;
        int f = 0;
        while (f <= stopFrame && count < MAX_BAD_INTERVALS) {
            while (f <= stopFrame && !smeared[f]) {
                f++;
            }
            if (f <= stopFrame) {
                int first = f;
                while (f <= stopFrame && smeared[f]) {
                    f++;
                }
                if (f <= stopFrame && f - first >= MIN_BAD_FRAMES) {
                    startFrames[count] = first;
                    stopFrames[count] = f;
                    count++;
                }
            }
        }
        if (count == 0) {
            return;
        }
        int range = 4 * frame;
        int[] delays = new int[count];
        int[] startSamples = new int[count];
        int[] stopSamples = new int[count];
        for (int k = 0; k < count; k++) {
            startSamples[k] = startFrames[k] * hop + buffer;
            stopSamples[k] = stopFrames[k] * hop + frame + buffer;
            int n = stopSamples[k] - startSamples[k];
            double[] r = new double[2 * range + n];
            double[] d = new double[2 * range + n];
            System.arraycopy(ref, startSamples[k], r, range, n);
            int end = longest - buffer + padding;
            for (int i = 0; i < d.length; i++) {
                int j = startSamples[k] - range + i;
                d[i] = aligned[Math.min(Math.max(j, buffer), end - 1)];
            }
            delays[k] = envelopeDelay(r, d, range);
        }
        double[] realigned = aligned.clone();
        for (int k = 0; k < count; k++) {
            for (int i = startSamples[k]; i < stopSamples[k]; i++) {
                int j = Math.min(Math.max(i + delays[k], 0), longest - 1);
                realigned[i] = aligned[j];
            }
        }
        double[] spectrum = new double[frame / 2];
        for (int k = 0; k < count; k++) {
            for (int g = startFrames[k]; g < stopFrames[k]; g++) {
                powerSpectrum(realigned, buffer + g * hop, spectrum);
                barkDensity(spectrum, degDensity, g);
            }
            disturbances(refDensity, degDensity, startFrames[k], stopFrames[k], null, disturbance, asymmetric, true);
        }
    }

    /**
     * Delay within ±{@code range} maximising the normalised correlation of |r| and |d|; 0 when
     * either is (near) silent or the best correlation is under 0.5.
     */
    private int envelopeDelay(double[] r, double[] d, int range) {
        int n = r.length;
        int size = PesqFft.nextPow2(2 * n);
        double p1 = PesqSignal.sumOfSquares(r, 0, n) / size;
        double p2 = PesqSignal.sumOfSquares(d, 0, n) / size;
        if (p1 <= 1e-6 || p2 <= 1e-6) {
            return 0;
        }
        double norm = Math.sqrt(p1 * p2);
        double[] a = new double[size];
        double[] b = new double[size];
        for (int i = 0; i < n; i++) {
            a[i] = Math.abs(r[i]) / size;
            b[i] = Math.abs(d[i]);
        }
        fft.forward(a);
        fft.forward(b);
        PesqFft.multiply(a, b, true);
        fft.inverse(a);
        double best = 0;
        int delay = 0;
        for (int i = -range; i < range; i++) {
            double h = Math.abs(a[i < 0 ? i + size : i]) / norm;
            if (h > best) {
                best = h;
                delay = i;
            }
        }
        return best < 0.5 ? 0 : delay;
    }

    /** |FFT|² of one Hann-windowed frame, bins 1 … frame/2 − 1 (DC dropped). */
    private void powerSpectrum(double[] x, int start, double[] out) {
        double[] a = new double[frame];
        for (int i = 0; i < frame; i++) {
            a[i] = x[start + i] * window[i];
        }
        fft.forward(a);
        out[0] = 0;
        for (int k = 1; k < frame / 2; k++) {
            out[k] = a[2 * k] * a[2 * k] + a[2 * k + 1] * a[2 * k + 1];
        }
    }

    /** Sums FFT bins into Bark bands, with the per-band density correction and the rate's power scale. */
    private void barkDensity(double[] spectrum, double[] density, int f) {
        int bin = 0;
        for (int b = 0; b < nb; b++) {
            double s = 0;
            for (int i = 0; i < bands.binsPerBand()[b]; i++) {
                s += spectrum[bin++];
            }
            density[f * nb + b] = s * bands.powerCorrection()[b] * bands.powerScale();
        }
    }

    /** Power of frame f in bands 1 … above {@code factor} × the hearing threshold. */
    private double audiblePower(double[] density, int f, double factor) {
        double s = 0;
        for (int b = 1; b < nb; b++) {
            double h = density[f * nb + b];
            if (h > factor * bands.hearingThreshold()[b]) {
                s += h;
            }
        }
        return s;
    }

    /** Per band: the sum over non-silent frames of densities 20 dB above threshold, over {@code divisor}. */
    private double[] audibleAverage(double[] density, boolean[] silent, int frames, int divisor) {
        double[] avg = new double[nb];
        for (int b = 0; b < nb; b++) {
            double s = 0;
            for (int f = 0; f < frames; f++) {
                double h = density[f * nb + b];
                if (!silent[f] && h > 100 * bands.hearingThreshold()[b]) {
                    s += h;
                }
            }
            avg[b] = s / divisor;
        }
        return avg;
    }

    /** Zwicker loudness of frame f, in sone per Bark. */
    private void loudness(double[] density, int f, double[] out) {
        for (int b = 0; b < nb; b++) {
            double t = bands.hearingThreshold()[b];
            double x = density[f * nb + b];
            double z = zwickerExponent[b];
            out[b] = x > t ? Math.pow(t / 0.5, z) * (Math.pow(0.5 + 0.5 * x / t, z) - 1) * bands.loudnessScale() : 0;
        }
    }

    /** Bark-width-weighted L_p over bands 1 …, scaled back by the total width. */
    private double weightedNorm(double[] x, double p) {
        double total = 0;
        double s = 0;
        for (int b = 1; b < nb; b++) {
            double w = bands.widthBark()[b];
            s += Math.pow(Math.abs(x[b]) * w, p);
            total += w;
        }
        return Math.pow(s / total, 1 / p) * total;
    }

    /**
     * L6 over 20-frame "syllables" at 50 % overlap (a syllable past the end counts its missing
     * frames as zeros), then time-weighted L2 over syllables.
     */
    private static double aggregate(double[] d, double[] timeWeight, int startFrame, int stopFrame) {
        double result = 0;
        double totalWeight = 0;
        for (int s = startFrame; s <= stopFrame; s += FRAMES_PER_SYLLABLE / 2) {
            double syllable = 0;
            for (int f = s; f < s + FRAMES_PER_SYLLABLE; f++) {
                if (f <= stopFrame) {
                    syllable += Math.pow(d[f], 6);
                }
            }
            syllable = Math.pow(syllable / FRAMES_PER_SYLLABLE, 1.0 / 6);
            double w = timeWeight[s - startFrame];
            result += Math.pow(w * syllable, 2);
            totalWeight += Math.pow(w, 2);
        }
        return Math.pow(result / totalWeight, 0.5);
    }
}

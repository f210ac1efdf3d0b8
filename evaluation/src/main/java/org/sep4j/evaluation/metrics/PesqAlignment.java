package org.sep4j.evaluation.metrics;

import static org.sep4j.evaluation.metrics.PesqTables.MAX_UTTERANCES;
import static org.sep4j.evaluation.metrics.PesqTables.MIN_UTTERANCE;
import static org.sep4j.evaluation.metrics.PesqTables.SEARCH_BUFFER;

/**
 * P.862 time alignment: a crude delay from the cross-correlation of the two VAD envelopes, then
 * per utterance a crude delay inside its search window and a fine delay from a histogram of
 * frame-by-frame cross-correlation peaks; utterances whose two halves align better apart are
 * split (recursively, up to {@link PesqTables#MAX_UTTERANCES}). Block indices count VAD blocks,
 * delays count samples (degraded minus reference).
 */
final class PesqAlignment {

    /** The utterance table the perceptual model reads: block ranges and sample delays. */
    static final class Utterances {
        int count;
        final int[] searchStart = new int[MAX_UTTERANCES];
        final int[] searchEnd = new int[MAX_UTTERANCES];
        final int[] delayEstimate = new int[MAX_UTTERANCES];
        final int[] delay = new int[MAX_UTTERANCES];
        final double[] confidence = new double[MAX_UTTERANCES];
        final int[] start = new int[MAX_UTTERANCES];
        final int[] end = new int[MAX_UTTERANCES];

        /** The delay of the last utterance starting at or before {@code sample} (the first one's before any). */
        int delayAt(long sample, int block) {
            int u = count - 1;
            while (u >= 0 && (long) start[u] * block > sample) {
                u--;
            }
            return delay[Math.max(u, 0)];
        }
    }

    private final PesqSignal ref;
    private final PesqSignal deg;
    private final int block;
    private final int nfft;
    private final double[] window;
    private final PesqFft fft;
    private final Utterances u = new Utterances();
    private int crudeDelay;
    private static final long KEPT_SPECTRA = 1L << 21;
    private final java.util.Map<Integer, double[]> referenceSpectra = new java.util.HashMap<>();
    private final double[] correlation;
    private final double[] degradedSpectrum;

    private PesqAlignment(PesqSignal ref, PesqSignal deg, PesqFft fft) {
        this.ref = ref;
        this.deg = deg;
        this.fft = fft;
        this.block = ref.rate.block();
        this.nfft = ref.rate.alignFft();
        this.window = new double[nfft];
        this.correlation = new double[nfft];
        this.degradedSpectrum = new double[nfft];
        for (int i = 0; i < nfft; i++) {
            window[i] = 0.5 * (1 - Math.cos(2 * Math.PI * i / nfft));
        }
    }

    /** Aligns two signals whose {@link PesqSignal#detectSpeech} has run. */
    static Utterances align(PesqSignal ref, PesqSignal deg, PesqFft fft) {
        PesqAlignment a = new PesqAlignment(ref, deg, fft);
        a.crudeDelay = a.block * a.envelopeLag(0, ref.length / a.block, 0, deg.length / a.block);
        a.findSearchWindows();
        for (int i = 0; i < a.u.count; i++) {
            a.u.delayEstimate[i] = a.crudeInWindow(a.u.searchStart[i], a.u.searchEnd[i], a.crudeDelay);
            a.fineAlign(i);
        }
        a.findUtterances();
        a.splitUtterances();
        return a.u;
    }

    /**
     * Lag (in blocks) of the degraded envelope against the reference one, from the peak of their
     * FFT cross-correlation; 0 when either span is under two blocks or nothing correlates positively.
     */
    private int envelopeLag(int refStart, int nr, int degStart, int nd) {
        if (nr <= 1 || nd <= 1) {
            return 0;
        }
        int size = 2 * PesqFft.nextPow2(Math.max(nr, nd));
        double[] a = new double[size];
        double[] b = new double[size];
        for (int j = 0; j < nr; j++) {
            a[nr - 1 - j] = ref.logVad[refStart + j];
        }
        System.arraycopy(deg.logVad, degStart, b, 0, nd);
        fft.forward(a);
        fft.forward(b);
        PesqFft.multiply(a, b, false);
        fft.inverse(a);
        double max = 0;
        int best = nr - 1;
        for (int c = 0; c < nr + nd - 1; c++) {
            if (a[c] > max) {
                max = a[c];
                best = c;
            }
        }
        return best - nr + 1;
    }

    /** A crude delay refined inside a block window [from, to), starting from {@code estimate} samples. */
    private int crudeInWindow(int from, int to, int estimate) {
        int startr = from;
        int startd = startr + estimate / block;
        if (startd < 0) {
            startr = -estimate / block;
            startd = 0;
        }
        int nr = to - startr;
        int nd = nr;
        int degBlocks = deg.length / block;
        if (startd + nd > degBlocks) {
            nd = degBlocks - startd;
        }
        return estimate + block * envelopeLag(startr, nr, startd, nd);
    }

    /** Speech runs of the reference VAD long enough, and inside the degraded signal, given the crude delay. */
    private void findSearchWindows() {
        int blocks = ref.length / block;
        int degFirst = MIN_UTTERANCE - crudeDelay / block;
        int degLast = (deg.length - crudeDelay) / block - MIN_UTTERANCE;
        int n = 0;
        boolean speech = false;
        int runStart = 0;
        for (int w = 0; w < blocks && n < MAX_UTTERANCES; w++) {
            double v = ref.vad[w];
            if (v > 0 && !speech) {
                speech = true;
                runStart = w;
                u.searchStart[n] = Math.max(w - SEARCH_BUFFER, 0);
            }
            if ((v == 0 || w == blocks - 1) && speech) {
                speech = false;
                u.searchEnd[n] = Math.min(w + SEARCH_BUFFER, blocks - 1);
                if (w - runStart >= MIN_UTTERANCE && runStart < degLast && w > degFirst) {
                    n++;
                }
            }
        }
        u.count = n;
    }

    /**
     * Utterance boundaries: the same runs, with boundaries moved to the middle of each pause, the
     * ends kept a search buffer inside both signals, and overlaps (after their delays) halved.
     */
    private void findUtterances() {
        int blocks = ref.length / block;
        int degFirst = MIN_UTTERANCE - crudeDelay / block;
        int degLast = (deg.length - crudeDelay) / block - MIN_UTTERANCE;
        int n = 0;
        boolean speech = false;
        int runStart = 0;
        for (int w = 0; w < blocks && n < MAX_UTTERANCES; w++) {
            double v = ref.vad[w];
            if (v > 0 && !speech) {
                speech = true;
                runStart = w;
                u.start[n] = w;
            }
            if ((v == 0 || w == blocks - 1) && speech) {
                speech = false;
                u.end[n] = w;
                if (w - runStart >= MIN_UTTERANCE && runStart < degLast && w > degFirst) {
                    n++;
                }
            }
        }
        if (u.count == 0) {
            return;
        }
        int last = u.count - 1;
        u.start[0] = SEARCH_BUFFER;
        u.end[last] = blocks - SEARCH_BUFFER;
        for (int i = 1; i < u.count; i++) {
            int mid = (u.start[i] + u.end[i - 1]) / 2;
            u.start[i] = mid;
            u.end[i - 1] = mid;
        }
        if ((long) u.start[0] * block + u.delay[0] < (long) SEARCH_BUFFER * block) {
            u.start[0] = SEARCH_BUFFER + (block - 1 - u.delay[0]) / block;
        }
        if ((long) u.end[last] * block + u.delay[last] > deg.length - (long) SEARCH_BUFFER * block) {
            u.end[last] = (deg.length - u.delay[last]) / block - SEARCH_BUFFER;
        }
        for (int i = 1; i < u.count; i++) {
            int thisStart = u.start[i] * block + u.delay[i];
            int lastEnd = u.end[i - 1] * block + u.delay[i - 1];
            if (thisStart < lastEnd) {
                int mid = (thisStart + lastEnd) / 2;
                u.start[i] = (block - 1 + mid - u.delay[i]) / block;
                u.end[i - 1] = (mid - u.delay[i - 1]) / block;
            }
        }
    }

    /** Fine delay of utterance i: histogram of frame cross-correlation peaks over its search window. */
    private void fineAlign(int i) {
        int estimate = u.delayEstimate[i];
        Walk walk = new Walk(u.searchStart[i] * block, estimate, true);
        walk.forward(u.searchEnd[i] * block);
        u.delay[i] = estimate + walk.histogram.bestLag();
        u.confidence[i] = walk.histogram.confidence();
    }

    /** Splits utterances of at least 200 speech blocks where both parts align more confidently apart. */
    private void splitUtterances() {
        int i = 0;
        while (i < u.count && u.count < MAX_UTTERANCES) {
            int start = u.start[i];
            int end = u.end[i];
            int speechStart = start;
            while (speechStart < end && ref.vad[speechStart] <= 0) {
                speechStart++;
            }
            int speechEnd = end;
            while (speechEnd > start && ref.vad[speechEnd] <= 0) {
                speechEnd--;
            }
            speechEnd++;
            Split s = speechEnd - speechStart >= 200
                    ? bestSplit(start, speechStart, speechEnd, end, u.delayEstimate[i], u.confidence[i])
                    : null;
            if (s == null) {
                i++;
                continue;
            }
            for (int k = u.count - 1; k > i; k--) {
                u.delayEstimate[k + 1] = u.delayEstimate[k];
                u.delay[k + 1] = u.delay[k];
                u.confidence[k + 1] = u.confidence[k];
                u.start[k + 1] = u.start[k];
                u.end[k + 1] = u.end[k];
            }
            u.count++;
            u.delayEstimate[i] = s.estimate1;
            u.delay[i] = s.delay1;
            u.confidence[i] = s.confidence1;
            u.delayEstimate[i + 1] = s.estimate2;
            u.delay[i + 1] = s.delay2;
            u.confidence[i + 1] = s.confidence2;
            u.start[i] = start;
            u.end[i + 1] = end;
            if (s.delay2 < s.delay1) {
                u.end[i] = s.breakpoint;
                u.start[i + 1] = s.breakpoint;
            } else {
                int half = (s.delay2 - s.delay1) / (2 * block);
                u.end[i] = s.breakpoint + half;
                u.start[i + 1] = s.breakpoint - half;
            }
            if ((u.start[i] - SEARCH_BUFFER) * block + s.delay1 < 0) {
                u.start[i] = SEARCH_BUFFER + (block - 1 - s.delay1) / block;
            }
            if (u.end[i + 1] * block + s.delay2 > deg.length - SEARCH_BUFFER * block) {
                u.end[i + 1] = (deg.length - s.delay2) / block - SEARCH_BUFFER;
            }
        }
    }

    private record Split(int breakpoint, int estimate1, int delay1, double confidence1, int estimate2, int delay2,
            double confidence2) {
    }

    /**
     * Tries up to 40 breakpoints across the speech of one utterance; for each, aligns the part
     * before it (walking forward from the start) and the part after it (walking back from the
     * end). Breakpoints that share a crude delay share one walk, so each frame is correlated once.
     * Returns the breakpoint whose halves differ by at least a block in delay and are together
     * most confident, both beating the whole utterance; null when none does.
     */
    private Split bestSplit(int start, int speechStart, int speechEnd, int end, int estimate, double confidence) {
        int length = speechEnd - speechStart;
        int delta = nfft / (4 * block);
        int step = (int) ((0.801 * length + 40 * delta - 1) / (40 * delta)) * delta;
        int pad = Math.max(length / 10, 75);
        int[] bps = new int[41];
        bps[0] = speechStart + pad;
        int n = 0;
        do {
            n++;
            bps[n] = bps[n - 1] + step;
        } while (bps[n] <= speechEnd - pad && n < 40);

        int[] est1 = new int[n];
        int[] est2 = new int[n];
        for (int b = 0; b < n; b++) {
            est1[b] = crudeInWindow(start, bps[b], estimate);
            est2[b] = crudeInWindow(bps[b], end, estimate);
        }
        int[] delay1 = new int[n];
        int[] delay2 = new int[n];
        double[] conf1 = new double[n];
        double[] conf2 = new double[n];
        boolean[] done1 = new boolean[n];
        boolean[] done2 = new boolean[n];
        for (int first = 0; first < n; first++) {
            if (done1[first]) {
                continue;
            }
            Walk walk = new Walk(start * block, est1[first], true);
            for (int b = first; b < n; b++) {
                if (b == first || (!done1[b] && est1[b] == est1[first])) {
                    walk.forward(bps[b] * block);
                    delay1[b] = est1[first] + walk.histogram.bestLag();
                    conf1[b] = walk.histogram.confidence();
                    done1[b] = true;
                }
            }
        }
        for (int b = 0; b < n; b++) {
            done2[b] = conf1[b] <= confidence; // the second half only matters where the first beats the whole
        }
        for (int last = n - 1; last >= 0; last--) {
            if (done2[last]) {
                continue;
            }
            Walk walk = new Walk(end * block - nfft, est2[last], false);
            for (int b = last; b >= 0; b--) {
                if (b == last || (!done2[b] && est2[b] == est2[last])) {
                    walk.backward(bps[b] * block);
                    delay2[b] = est2[last] + walk.histogram.bestLag();
                    conf2[b] = walk.histogram.confidence();
                    done2[b] = true;
                }
            }
        }
        Split best = null;
        double bestSum = 0;
        for (int b = 0; b < n; b++) {
            boolean both = conf1[b] > confidence && conf2[b] > confidence;
            if (both && Math.abs(delay2[b] - delay1[b]) >= block && conf1[b] + conf2[b] > bestSum) {
                bestSum = conf1[b] + conf2[b];
                best = new Split(bps[b], est1[b], delay1[b], conf1[b], est2[b], delay2[b], conf2[b]);
            }
        }
        return best;
    }

    /**
     * Frames of {@code nfft} samples at a quarter-frame hop, reference and degraded (offset by the
     * estimated delay) in step, each frame's correlation peaks added to one delay histogram.
     */
    private final class Walk {
        final DelayHistogram histogram = new DelayHistogram(nfft);
        int startr;
        int startd;

        /** Forward walks start at reference sample {@code from}; backward walks at the last frame there. */
        Walk(int from, int estimate, boolean forward) {
            startr = from;
            startd = from + estimate;
            if (forward && startd < 0) {
                startr = -estimate;
                startd = 0;
            }
            if (!forward && startd + nfft > deg.length) {
                startd = deg.length - nfft;
                startr = startd - estimate;
            }
        }

        /** Adds frames while the reference frame ends by sample {@code until}. */
        void forward(int until) {
            while (startd + nfft <= deg.length && startr + nfft <= until) {
                histogram.add(frameCorrelation(startr, startd));
                startr += nfft / 4;
                startd += nfft / 4;
            }
        }

        /** Adds frames, moving back, while the reference frame starts at or after sample {@code from}. */
        void backward(int from) {
            while (startd >= 0 && startr >= from) {
                histogram.add(frameCorrelation(startr, startd));
                startr -= nfft / 4;
                startd -= nfft / 4;
            }
        }
    }

    /** |circular cross-correlation| of Hann-windowed reference and degraded frames, by lag. */
    private double[] frameCorrelation(int startr, int startd) {
        double[] x1 = correlation;
        System.arraycopy(referenceSpectrum(startr), 0, x1, 0, nfft);
        double[] x2 = degradedSpectrum;
        for (int i = 0; i < nfft; i++) {
            x2[i] = deg.data[startd + i] * window[i];
        }
        fft.forward(x2);
        PesqFft.multiply(x1, x2, true);
        fft.inverse(x1);
        for (int i = 0; i < nfft; i++) {
            x1[i] = Math.abs(x1[i]);
        }
        return x1;
    }

    /**
     * The windowed reference frame's spectrum. Walks of different breakpoints revisit the same
     * reference frames, so spectra are kept (up to {@link #KEPT_SPECTRA} values per run).
     */
    private double[] referenceSpectrum(int startr) {
        double[] s = referenceSpectra.get(startr);
        if (s == null) {
            s = new double[nfft];
            for (int i = 0; i < nfft; i++) {
                s[i] = ref.data[startr + i] * window[i];
            }
            fft.forward(s);
            if ((long) referenceSpectra.size() * nfft < KEPT_SPECTRA) {
                referenceSpectra.put(startr, s);
            }
        }
        return s;
    }

    /**
     * Histogram of per-frame correlation peaks over circular lags: every lag within 0.99 of a
     * frame's peak gets the peak^0.125, spread by a triangle of half-width n/64.
     */
    static final class DelayHistogram {
        private final double[] h;
        private final int kernel;
        private double total;

        DelayHistogram(int n) {
            h = new double[n];
            kernel = n / 64;
        }

        void add(double[] correlation) {
            int n = h.length;
            double peak = 0;
            for (double c : correlation) {
                peak = Math.max(peak, c);
            }
            peak *= 0.99;
            double weight = Math.pow(peak, 0.125);
            for (int lag = 0; lag < n; lag++) {
                if (correlation[lag] > peak) {
                    total += weight;
                    for (int k = 1 - kernel; k < kernel; k++) {
                        h[(lag + k + n) % n] += weight * (kernel - Math.abs(k)) / kernel;
                    }
                }
            }
        }

        private int argmax() {
            double max = 0;
            int best = 0;
            for (int i = 0; i < h.length; i++) {
                if (h[i] > max) {
                    max = h[i];
                    best = i;
                }
            }
            return best;
        }

        /** The lag of the histogram's maximum, in (−n/2, n/2]. */
        int bestLag() {
            int best = argmax();
            return best >= h.length / 2 ? best - h.length : best;
        }

        /** The maximum's share of all votes; 0 for an empty histogram. */
        double confidence() {
            return total > 0 ? h[argmax()] / total : 0;
        }
    }
}

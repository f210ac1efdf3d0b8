package org.sep4j.evaluation.metrics;

/**
 * One PESQ input in the layout the standard works on: {@code SEARCH_BUFFER} VAD blocks of zeros,
 * the samples, the same zeros again, then {@code PADDING_MS} of padding. {@link #length} counts the
 * samples and both search buffers, not the padding. Holds the front end: level alignment, the
 * IRS or wideband input filter, the VAD band-pass and the envelope VAD.
 */
final class PesqSignal {

    /** What depends on the sample rate. */
    record Rate(int fs, int block, int alignFft, PesqTables.Bands bands, float[] alignIir) {

        static Rate of(int fs) {
            return switch (fs) {
                case 8000 -> new Rate(8000, 32, 512, PesqTables.BANDS_8K, PesqTables.ALIGN_IIR_8K);
                case 16000 -> new Rate(16000, 64, 1024, PesqTables.BANDS_16K, PesqTables.ALIGN_IIR_16K);
                default -> null;
            };
        }

        /** Samples in one search buffer. */
        int buffer() {
            return PesqTables.SEARCH_BUFFER * block;
        }

        int padding() {
            return PesqTables.PADDING_MS * (fs / 1000);
        }
    }

    final Rate rate;
    final int length;
    double[] data;
    /** Per-block speech power; ≤ 0 where the VAD found no speech. */
    double[] vad;
    /** log(vad / threshold) where speech, else 0: the envelope the crude alignment correlates. */
    double[] logVad;

    PesqSignal(float[] samples, Rate rate) {
        this.rate = rate;
        this.length = samples.length + 2 * rate.buffer();
        this.data = new double[length + rate.padding()];
        for (int i = 0; i < samples.length; i++) {
            data[rate.buffer() + i] = samples[i];
        }
    }

    /**
     * Level alignment, then for narrowband the IRS receive filter: both are frequency-domain
     * filters over the signal span plus padding (one FFT over the whole span, as the standard
     * does), so one forward transform serves both. The signal is scaled so that its power after
     * the 300 Hz–3.25 kHz filter, averaged over the longer signal's span ({@code longest}), is
     * {@link PesqTables#TARGET_POWER}.
     */
    void alignLevel(int longest, boolean irs, PesqFft fft) {
        int b = rate.buffer();
        int n = length - 2 * b + rate.padding();
        double[] spectrum = new double[PesqFft.nextPow2(n)];
        System.arraycopy(data, b, spectrum, 0, n);
        fft.forward(spectrum);
        double[] filtered = spectrum.clone();
        PesqFft.scale(filtered, fft.gains(PesqTables.ALIGN_FILTER_DB, rate.fs(), spectrum.length));
        fft.inverse(filtered);
        double power = sumOfSquares(filtered, 0, n) / (longest - 2 * b + rate.padding());
        double scale = Math.sqrt(PesqTables.TARGET_POWER / power);
        for (int i = 0; i < length; i++) {
            data[i] *= scale;
        }
        if (irs) {
            double[] g = fft.gains(PesqTables.IRS_RECEIVE_DB, rate.fs(), spectrum.length);
            PesqFft.scale(spectrum, g);
            fft.inverse(spectrum);
            for (int i = 0; i < n; i++) {
                data[b + i] = scale * spectrum[i];
            }
        }
    }

    /** Wideband input filter (P.862.2): 15-sample fades at both ends, then the high-pass section. */
    void widebandFilter() {
        int b = rate.buffer();
        for (int i = 0; i < 16; i++) {
            data[b + i - 1] *= i / 16.0;
            data[length - b - i] *= i / 16.0;
        }
        biquads(data, b, length - 2 * b, PesqTables.WIDEBAND_IIR_16K);
    }

    /**
     * The band-pass the VAD and the alignment see: remove the mean (over the whole length, as the
     * reference does), fade one block in and out, then the rate's IIR sections over everything.
     */
    void alignmentFilter() {
        int b = rate.buffer();
        int block = rate.block();
        double mean = 0;
        for (int i = b; i < length - b; i++) {
            mean += data[i];
        }
        mean /= length;
        for (int i = b; i < length - b; i++) {
            data[i] -= mean;
        }
        for (int c = 0; c < block; c++) {
            data[b + c] *= (0.5 + c) / block;
            data[length - b - 1 - c] *= (0.5 + c) / block;
        }
        biquads(data, 0, length + rate.padding(), rate.alignIir());
    }

    /**
     * Envelope VAD on blocks: the noise level and threshold are re-estimated 12 times, short bursts
     * are dropped, close runs joined, run edges tapered; {@link #vad} and {@link #logVad} result.
     */
    void detectSpeech() {
        int block = rate.block();
        int n = length / block;
        double[] v = new double[n];
        for (int w = 0; w < n; w++) {
            double e = 0;
            for (int i = 0; i < block; i++) {
                double g = data[w * block + i];
                e += g * g;
            }
            v[w] = e / block;
        }
        double threshold = 0;
        for (double x : v) {
            threshold += x;
        }
        threshold /= n;
        double floor = 0;
        for (double x : v) {
            floor = Math.max(floor, x);
        }
        floor = floor > 0 ? floor * 1e-4 : 1;
        for (int w = 0; w < n; w++) {
            v[w] = Math.max(v[w], floor);
        }
        for (int it = 0; it < 12; it++) {
            double noise = 0;
            double spread = 0;
            int count = 0;
            for (double x : v) {
                if (x <= threshold) {
                    noise += x;
                    count++;
                }
            }
            if (count > 0) {
                noise /= count;
                for (double x : v) {
                    if (x <= threshold) {
                        spread += (x - noise) * (x - noise);
                    }
                }
                spread = Math.sqrt(spread / count);
            }
            threshold = 1.001 * (noise + 2 * spread);
        }
        double noise = 0;
        double speech = 0;
        int count = 0;
        for (double x : v) {
            if (x > threshold) {
                speech += x;
                count++;
            } else {
                noise += x;
            }
        }
        if (count > 0) {
            speech /= count;
        } else {
            threshold = -1;
        }
        noise = count < n ? noise / (n - count) : 1;
        for (int w = 0; w < n; w++) {
            if (v[w] <= threshold) {
                v[w] = -v[w];
            }
        }
        v[0] = -floor;
        v[n - 1] = -floor;

        // Drop speech runs of MIN_SPEECH blocks or fewer.
        int start = 0;
        for (int w = 1; w < n; w++) {
            if (v[w] > 0 && v[w - 1] <= 0) {
                start = w;
            }
            if (v[w] <= 0 && v[w - 1] > 0 && w - start <= PesqTables.MIN_SPEECH) {
                negate(v, start, w);
            }
        }
        // With a clear signal-to-noise gap, also drop runs whose mean is under 3× the threshold.
        if (speech >= noise * 1000) {
            for (int w = 1; w < n; w++) {
                if (v[w] > 0 && v[w - 1] <= 0) {
                    start = w;
                }
                if (v[w] <= 0 && v[w - 1] > 0) {
                    double sum = 0;
                    for (int i = start; i < w; i++) {
                        sum += v[i];
                    }
                    if (sum < 3 * threshold * (w - start)) {
                        negate(v, start, w);
                    }
                }
            }
        }
        // Join runs separated by JOIN_SPEECH blocks or fewer.
        start = 0;
        int finish = 0;
        for (int w = 1; w < n; w++) {
            if (v[w] > 0 && v[w - 1] <= 0) {
                start = w;
                if (finish > 0 && start - finish <= PesqTables.JOIN_SPEECH) {
                    java.util.Arrays.fill(v, finish, start, floor);
                }
            }
            if (v[w] <= 0 && v[w - 1] > 0) {
                finish = w;
            }
        }
        // No speech onset left: call everything speech.
        start = 0;
        for (int w = 1; w < n; w++) {
            if (v[w] > 0 && v[w - 1] <= 0) {
                start = w;
            }
        }
        if (start == 0) {
            for (int w = 0; w < n; w++) {
                v[w] = Math.abs(v[w]);
            }
            v[0] = -floor;
            v[n - 1] = -floor;
        }
        // Taper run edges: 0.1 and 0.3 of the neighbouring speech level.
        int w = 3;
        while (w < n - 2) {
            if (v[w] > 0 && v[w - 2] <= 0) {
                v[w - 2] = v[w] * 0.1;
                v[w - 1] = v[w] * 0.3;
                w++;
            }
            if (v[w] <= 0 && v[w - 1] > 0) {
                v[w] = v[w - 1] * 0.3;
                v[w + 1] = v[w - 1] * 0.1;
                w += 3;
            }
            w++;
        }
        for (int i = 0; i < n; i++) {
            v[i] = Math.max(v[i], 0);
        }
        if (threshold <= 0) {
            threshold = floor;
        }
        double[] log = new double[n];
        for (int i = 0; i < n; i++) {
            log[i] = v[i] <= threshold ? 0 : Math.log(v[i] / threshold);
        }
        vad = v;
        logVad = log;
    }

    /** Grows the buffer (with zeros) to {@code samples}, so a shorter signal is zero-padded. */
    void padTo(int samples) {
        if (data.length < samples) {
            data = java.util.Arrays.copyOf(data, samples);
        }
    }

    private static void negate(double[] v, int from, int to) {
        for (int i = from; i < to; i++) {
            v[i] = -v[i];
        }
    }

    /** Linear interpolation in a {Hz, dB} table, extrapolating the end segments (the reference's rule). */
    static double interpolate(double f, double[][] curve) {
        int last = curve.length - 1;
        int i;
        if (f <= curve[0][0]) {
            i = 1;
        } else if (f >= curve[last][0]) {
            i = last;
        } else {
            i = 1;
            while (curve[i][0] < f) {
                i++;
            }
        }
        double f0 = curve[i - 1][0];
        double f1 = curve[i][0];
        return ((f - f0) * curve[i][1] + (f1 - f) * curve[i - 1][1]) / (f1 - f0);
    }

    /**
     * Cascade of direct-form-II sections {b0, b1, b2, a1, a2} over x[from, from + n), zero state.
     * The recursion is latency-bound, so its feedback is one fused multiply-add deep.
     */
    static void biquads(double[] x, int from, int n, float[] sections) {
        for (int s = 0; s < sections.length; s += 5) {
            double b0 = sections[s];
            double b1 = sections[s + 1];
            double b2 = sections[s + 2];
            double a1 = sections[s + 3];
            double a2 = sections[s + 4];
            double z1 = 0;
            double z2 = 0;
            for (int i = from; i < from + n; i++) {
                double z0 = Math.fma(-a1, z1, x[i] - a2 * z2);
                x[i] = b0 * z0 + b1 * z1 + b2 * z2;
                z2 = z1;
                z1 = z0;
            }
        }
    }

    static double sumOfSquares(double[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += x[i] * x[i];
        }
        return s;
    }
}

package org.sep4j.evaluation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.WavReader;
import org.sep4j.core.io.Json;

/**
 * PESQ against the ITU-T P.862 reference C code (the 8 pairs in resources/pesq, scored by
 * python-pesq 0.0.4; see the README there), and behaviour the standard implies.
 */
class PesqTest {

    /** A faithful double-precision port lands within ~3e-4; above 1e-3 means a different algorithm. */
    private static final double TOLERANCE = 1e-3;

    private static Path resource(String name) {
        try {
            return Path.of(PesqTest.class.getResource("/pesq/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static float[] read(String name) throws IOException {
        Audio a = WavReader.read(resource(name));
        return a.channel(0);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> expected() throws IOException {
        String text = java.nio.file.Files.readString(resource("expected.json"), StandardCharsets.UTF_8);
        return (List<Map<String, Object>>) Json.parse(text);
    }

    @Test
    void matchesTheReferenceImplementationOnAllFixturePairs() throws IOException {
        List<String> failures = new ArrayList<>();
        double worst = 0;
        for (Map<String, Object> e : expected()) {
            String name = (String) e.get("name");
            int rate = ((Number) e.get("sample_rate")).intValue();
            float[] ref = read((String) e.get("ref"));
            float[] deg = read((String) e.get("deg"));
            Pesq.Score nb = new Pesq(Pesq.Mode.NB).score(ref, deg, rate);
            double dNb = nb.mos() - ((Number) e.get("nb")).doubleValue();
            double dRaw = nb.raw() - ((Number) e.get("nb_raw")).doubleValue();
            String line = String.format(java.util.Locale.ROOT, "%-18s nb %.6f (%+.2e)  raw %.6f (%+.2e)", name,
                    nb.mos(), dNb, nb.raw(), dRaw);
            worst = Math.max(worst, Math.max(Math.abs(dNb), Math.abs(dRaw)));
            if (Math.abs(dNb) > TOLERANCE || Math.abs(dRaw) > TOLERANCE) {
                failures.add(name + " nb");
            }
            if (e.get("wb") != null) {
                Pesq.Score wb = new Pesq(Pesq.Mode.WB).score(ref, deg, rate);
                double dWb = wb.mos() - ((Number) e.get("wb")).doubleValue();
                line += String.format(java.util.Locale.ROOT, "  wb %.6f (%+.2e)", wb.mos(), dWb);
                worst = Math.max(worst, Math.abs(dWb));
                if (Math.abs(dWb) > TOLERANCE) {
                    failures.add(name + " wb");
                }
                assertTrue(Double.isNaN(wb.raw()), "wideband has no raw P.862 score");
            }
            System.out.println("PESQ " + line);
        }
        System.out.printf(java.util.Locale.ROOT, "PESQ worst |difference| %.2e%n", worst);
        assertEquals(List.of(), failures, "pairs off the reference by more than " + TOLERANCE);
    }

    private static float[] withNoise(float[] x, double snrDb, long seed) {
        double power = 0;
        for (float v : x) {
            power += v * v;
        }
        power /= x.length;
        double sigma = Math.sqrt(power / Math.pow(10, snrDb / 10));
        Random r = new Random(seed);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) (x[i] + sigma * r.nextGaussian());
        }
        return y;
    }

    private static float[] scaled(float[] x, double db) {
        float[] y = new float[x.length];
        double g = Math.pow(10, db / 20);
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) (x[i] * g);
        }
        return y;
    }

    @Test
    void fallsMonotonicallyAsNoiseRises() throws IOException {
        float[] ref = read("wb16_identity_ref.wav");
        for (Pesq.Mode mode : Pesq.Mode.values()) {
            double previous = Double.POSITIVE_INFINITY;
            for (double snr : new double[] {40, 30, 20, 10, 0}) {
                double mos = new Pesq(mode).score(ref, withNoise(ref, snr, 7), 16000).mos();
                assertTrue(mos < previous, mode + ": MOS at " + snr + " dB SNR (" + mos + ") is not below " + previous);
                previous = mos;
            }
            assertTrue(previous < 2, mode + " at 0 dB SNR should be poor, got " + previous);
        }
    }

    @Test
    void levelChangesOfTenDecibelsBarelyMove_theScore() throws IOException {
        float[] ref = read("nb8_gsm_ref.wav");
        float[] deg = read("nb8_gsm_deg.wav");
        Pesq nb = new Pesq(Pesq.Mode.NB);
        double base = nb.score(ref, deg, 8000).mos();
        for (double db : new double[] {-10, 10}) {
            double moved = nb.score(ref, scaled(deg, db), 8000).mos();
            assertTrue(Math.abs(moved - base) < 0.1, db + " dB on the degraded moved MOS from " + base + " to " + moved);
        }
    }

    @Test
    void isNotSymmetric() throws IOException {
        float[] ref = read("nb8_white_snr10_ref.wav");
        float[] deg = read("nb8_white_snr10_deg.wav");
        Pesq nb = new Pesq(Pesq.Mode.NB);
        double forward = nb.score(ref, deg, 8000).mos();
        double swapped = nb.score(deg, ref, 8000).mos();
        assertTrue(Math.abs(forward - swapped) > 0.05, "swapping reference and degraded: " + forward + " vs " + swapped);
    }

    @Test
    void aShorterDegradedSignalIsZeroPadded() throws IOException {
        float[] ref = read("nb8_identity_ref.wav");
        float[] cut = java.util.Arrays.copyOf(ref, ref.length - 4000);
        float[] padded = java.util.Arrays.copyOf(cut, ref.length);
        Pesq nb = new Pesq(Pesq.Mode.NB);
        // The reference pads after the front end (level alignment, DC block and fades see the
        // signal's own length), so the two agree closely but not bit for bit.
        assertEquals(nb.score(ref, padded, 8000).mos(), nb.score(ref, cut, 8000).mos(), 1e-6);
    }

    @Test
    void aSilentReferenceHasNoUtterances() throws IOException {
        float[] deg = read("nb8_identity_deg.wav");
        PesqException e = assertThrows(PesqException.class,
                () -> new Pesq(Pesq.Mode.NB).score(new float[deg.length], deg, 8000));
        assertEquals(PesqException.Reason.NO_UTTERANCES, e.reason());
        assertTrue(e.getMessage().contains("no utterances"), e.getMessage());
    }

    @Test
    void aOneLsbNoiseReferenceStillGetsAScore() throws IOException {
        float[] deg = read("nb8_identity_deg.wav");
        float[] ref = new float[deg.length];
        Random r = new Random(3);
        for (int i = 0; i < ref.length; i++) {
            ref[i] = (r.nextInt(3) - 1) / 32768f;
        }
        double mos = new Pesq(Pesq.Mode.NB).score(ref, deg, 8000).mos();
        assertTrue(mos >= 0.999 && mos < 4.6, "MOS-LQO out of range: " + mos);
    }

    @Test
    void rejectsShortInputsAndOtherRatesWithClearErrors() throws IOException {
        Pesq nb = new Pesq(Pesq.Mode.NB);
        float[] shortSignal = new float[1999];
        java.util.Arrays.fill(shortSignal, 0.1f);
        PesqException tooShort = assertThrows(PesqException.class, () -> nb.score(shortSignal, shortSignal, 8000));
        assertEquals(PesqException.Reason.TOO_SHORT, tooShort.reason());
        assertTrue(tooShort.getMessage().contains("0.25"), tooShort.getMessage());

        float[] x = new float[44100];
        PesqException rate = assertThrows(PesqException.class, () -> nb.score(x, x, 44100));
        assertEquals(PesqException.Reason.INVALID_RATE, rate.reason());
        assertTrue(rate.getMessage().contains("44100"), rate.getMessage());
        PesqException wb8 = assertThrows(PesqException.class, () -> new Pesq(Pesq.Mode.WB).score(x, x, 8000));
        assertTrue(wb8.getMessage().contains("16000 Hz"), wb8.getMessage());
    }

    @Test
    void resamplesWhenAskedAndScoresAtTheModesRate() throws IOException {
        float[] ref = read("wb16_reverb_ref.wav");
        float[] deg = read("wb16_reverb_deg.wav");
        org.sep4j.core.audio.Resampler up = new org.sep4j.core.audio.Resampler(16000, 32000);
        Pesq.Score s = new Pesq(Pesq.Mode.WB, true).score(up.resample(ref), up.resample(deg), 32000);
        assertEquals(16000, s.sampleRate());
        double direct = new Pesq(Pesq.Mode.WB).score(ref, deg, 16000).mos();
        assertEquals(direct, s.mos(), 0.05, "a 16 -> 32 -> 16 kHz round trip should barely move wideband PESQ");
    }

    @Test
    void concurrentCallsAgreeWithSequentialOnes() throws Exception {
        String[] names = {"nb8_gsm", "nb8_white_snr10", "nb8_delay37ms", "nb8_identity"};
        double[] sequential = new double[names.length];
        float[][][] pairs = new float[names.length][][];
        Pesq nb = new Pesq(Pesq.Mode.NB);
        for (int i = 0; i < names.length; i++) {
            pairs[i] = new float[][] {read(names[i] + "_ref.wav"), read(names[i] + "_deg.wav")};
            sequential[i] = nb.score(pairs[i][0], pairs[i][1], 8000).mos();
        }
        double[] parallel = java.util.stream.IntStream.range(0, 4 * names.length).parallel()
                .mapToDouble(i -> nb.score(pairs[i % names.length][0], pairs[i % names.length][1], 8000).mos())
                .toArray();
        for (int i = 0; i < parallel.length; i++) {
            assertEquals(sequential[i % names.length], parallel[i], 0.0, names[i % names.length]);
        }
    }
}

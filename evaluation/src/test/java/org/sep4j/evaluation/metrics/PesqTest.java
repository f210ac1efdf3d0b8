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
}

package org.sep4j.training.bisep;

import java.util.List;
import java.util.SplittableRandom;
import org.sep4j.data.captions.Captions;
import org.sep4j.data.clips.ClassClips;

/**
 * BiSep's mixtures of mixtures from single-class clips, as the paper builds them for MUSIC and
 * VGGSound: four clips of distinct classes, gains U[0.5, 1.5], two per source, averaged; each source
 * captioned "the sound mixture of A and B", whose parsed phrases are queried as "the sound of A".
 * Test mixtures are two held-out clips of distinct classes, each queried by its class.
 */
final class BiSepData {

    /** Phrases a two-class caption parses into. */
    static final int PHRASES = 2;

    private final ClassClips clips;

    BiSepData(ClassClips clips) {
        if (clips.classes().size() < 4) {
            throw new IllegalArgumentException("BiSep's training mixtures need 4 distinct classes, the library has "
                    + clips.classes());
        }
        this.clips = clips;
    }

    ClassClips clips() {
        return clips;
    }

    /**
     * A training mixture x = s₁ + s₂ of two sources, each the average of two clips of distinct classes
     * (halved again so the sources add up to the mixture); {@code clips[n][k]} is clip k of source n as
     * it sounds in the mixture.
     */
    record Mixture(float[] mixture, float[][] sources, float[][][] clips, String[] captions, String[][] phrases) {
    }

    /** A test mixture of two single-class sources and the query of each. */
    record TestItem(float[] mixture, float[][] sources, String[] queries, String[] classes) {
    }

    Mixture training(SplittableRandom r, int[] classes) {
        List<String> names = clips.classes();
        int n = clips.samples();
        float[] mix = new float[n];
        float[][] sources = new float[2][n];
        float[][][] parts = new float[2][PHRASES][];
        String[] captions = new String[2];
        String[][] phrases = new String[2][];
        for (int s = 0; s < 2; s++) {
            String a = names.get(classes[2 * s]);
            String b = names.get(classes[2 * s + 1]);
            for (int k = 0; k < PHRASES; k++) {
                float[] c = clips.clip(names.get(classes[2 * s + k]), r.nextLong(), false, r);
                double gain = (0.5 + r.nextDouble()) / 4; // averaged within the source, then across sources
                for (int i = 0; i < n; i++) {
                    c[i] *= (float) gain;
                    sources[s][i] += c[i];
                }
                parts[s][k] = c;
            }
            captions[s] = Captions.mixture(a, b);
            Captions.Phrases p = Captions.phrases(captions[s], PHRASES);
            phrases[s] = p.phrases().stream().map(BiSepData::query).toArray(String[]::new);
            for (int i = 0; i < n; i++) {
                mix[i] += sources[s][i];
            }
        }
        return new Mixture(mix, sources, parts, captions, phrases);
    }

    /** The query of a parsed phrase: "the sound of " + phrase (BiSep's prompt for single classes). */
    static String query(String phrase) {
        return "the sound of " + phrase;
    }

    /** Test item {@code index}: two held-out clips of distinct classes, the same for the same index. */
    TestItem test(long index) {
        SplittableRandom r = new SplittableRandom(0x7E57L * 0x9E3779B97F4A7C15L + index);
        List<String> names = clips.classes();
        int a = r.nextInt(names.size());
        int b = (a + 1 + r.nextInt(names.size() - 1)) % names.size();
        return pair(r, names.get(a), names.get(b), index, true);
    }

    /** A supervised training mixture: two training clips of distinct classes, each a target of its query. */
    TestItem supervised(SplittableRandom r, int[] classes) {
        return pair(r, clips.classes().get(classes[0]), clips.classes().get(classes[2]), r.nextLong(), false);
    }

    private TestItem pair(SplittableRandom r, String a, String b, long index, boolean heldOut) {
        int n = clips.samples();
        float[] mix = new float[n];
        float[][] sources = new float[2][];
        String[] cls = {a, b};
        for (int s = 0; s < 2; s++) {
            float[] c = clips.clip(cls[s], index, heldOut, r);
            double gain = (0.5 + r.nextDouble()) / 2;
            for (int i = 0; i < n; i++) {
                c[i] *= (float) gain;
                mix[i] += c[i];
            }
            sources[s] = c;
        }
        return new TestItem(mix, sources, new String[] {Captions.query(cls[0]), Captions.query(cls[1])}, cls);
    }

    /** Four distinct classes per mixture: one permutation per step while they last, so in-batch phrases rarely repeat. */
    int[][] classes(SplittableRandom r, int batch) {
        int c = clips.classes().size();
        int[][] out = new int[batch][4];
        int[] perm = null;
        int used = c;
        for (int i = 0; i < batch; i++) {
            if (used + 4 > c) {
                perm = org.sep4j.data.loader.DataLoader.permutation(c, r);
                used = 0;
            }
            System.arraycopy(perm, used, out[i], 0, 4);
            used += 4;
        }
        return out;
    }

}

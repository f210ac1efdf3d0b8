package org.sep4j.data.library;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic sound library synthesised from a seed: the 18 DCASE 2025 Task 4 target classes,
 * interference classes and multichannel-ready background noises. Every clip varies (pitch, timing,
 * timbre, duration 1–4 s for events) so classes are learnable but not trivial, and each class is
 * built to sound like its name: alarm beeps, bell partials, motor hum plus noise, formant babble.
 *
 * <p>Clip {@code i} of class {@code c} depends only on (seed, c, i): the same on every machine.
 */
public final class ProceduralLibrary implements SoundLibrary {

    /** The 18 target classes of DCASE 2025 Task 4, in the task's order. */
    public static final List<String> TARGETS = List.of("AlarmClock", "BicycleBell", "Blender", "Buzzer", "Clapping",
            "Cough", "CupboardOpenClose", "Dishes", "Doorbell", "FootSteps", "HairDryer", "MechanicalFans",
            "MusicalKeyboard", "Percussion", "Pour", "Speech", "Typing", "VacuumCleaner");
    /** Non-target event classes used as interference. */
    public static final List<String> INTERFERENCE = List.of("Birdsong", "Siren", "Rain", "DogBark", "Whistle");
    /** Background noise classes. */
    public static final List<String> BACKGROUNDS = List.of("PinkRoomTone", "BrownRumble", "HumAndHiss");

    private interface Generator {
        float[] make(SplittableRandom r, int sr);
    }

    private final int sampleRate;
    private final long seed;
    private final Map<String, Generator> generators = new LinkedHashMap<>();

    public ProceduralLibrary(int sampleRate, long seed) {
        if (sampleRate < 8000) {
            throw new IllegalArgumentException("procedural sounds need at least 8 kHz, got " + sampleRate);
        }
        this.sampleRate = sampleRate;
        this.seed = seed;
        generators.put("AlarmClock", ProceduralLibrary::alarmClock);
        generators.put("BicycleBell", ProceduralLibrary::bicycleBell);
        generators.put("Blender", (r, sr) -> motor(r, sr, 180, 420, 0.9, 2500));
        generators.put("Buzzer", ProceduralLibrary::buzzer);
        generators.put("Clapping", ProceduralLibrary::clapping);
        generators.put("Cough", ProceduralLibrary::cough);
        generators.put("CupboardOpenClose", ProceduralLibrary::cupboard);
        generators.put("Dishes", ProceduralLibrary::dishes);
        generators.put("Doorbell", ProceduralLibrary::doorbell);
        generators.put("FootSteps", ProceduralLibrary::footsteps);
        generators.put("HairDryer", (r, sr) -> motor(r, sr, 300, 600, 2.0, 5000));
        generators.put("MechanicalFans", ProceduralLibrary::fan);
        generators.put("MusicalKeyboard", ProceduralLibrary::keyboard);
        generators.put("Percussion", ProceduralLibrary::percussion);
        generators.put("Pour", ProceduralLibrary::pour);
        generators.put("Speech", ProceduralLibrary::speech);
        generators.put("Typing", ProceduralLibrary::typing);
        generators.put("VacuumCleaner", (r, sr) -> motor(r, sr, 90, 160, 3.0, 1500));
        generators.put("Birdsong", ProceduralLibrary::birdsong);
        generators.put("Siren", ProceduralLibrary::siren);
        generators.put("Rain", ProceduralLibrary::rain);
        generators.put("DogBark", ProceduralLibrary::dogBark);
        generators.put("Whistle", ProceduralLibrary::whistle);
        generators.put("PinkRoomTone", (r, sr) -> Synth.pink(r, 10 * sr));
        generators.put("BrownRumble", (r, sr) -> Synth.brown(r, 10 * sr));
        generators.put("HumAndHiss", ProceduralLibrary::humAndHiss);
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public List<String> classes() {
        return new ArrayList<>(generators.keySet());
    }

    @Override
    public int size(String cls) {
        check(cls);
        return Integer.MAX_VALUE;
    }

    @Override
    public float[] clip(String cls, int index) {
        Generator g = check(cls);
        long mixed = seed * 0x9E3779B97F4A7C15L + cls.hashCode() * 0xC2B2AE3D27D4EB4FL + index;
        return Synth.normalize(g.make(new SplittableRandom(mixed), sampleRate));
    }

    private Generator check(String cls) {
        Generator g = generators.get(cls);
        if (g == null) {
            throw new IllegalArgumentException("procedural library has no class '" + cls + "' (have "
                    + generators.keySet() + ")");
        }
        return g;
    }

    private static int seconds(SplittableRandom r, int sr, double lo, double hi) {
        return (int) (Synth.uniform(r, lo, hi) * sr);
    }

    private static float[] alarmClock(SplittableRandom r, int sr) {
        float[] x = new float[seconds(r, sr, 1.5, 4)];
        double f = Synth.uniform(r, 2000, 3600);
        double on = Synth.uniform(r, 0.05, 0.12);
        double period = on * Synth.uniform(r, 1.8, 2.6);
        int beepsPerGroup = 2 + r.nextInt(3);
        double t = 0;
        while (t < x.length / (double) sr) {
            for (int b = 0; b < beepsPerGroup; b++) {
                int s = (int) ((t + b * period) * sr);
                for (int i = 0; i < on * sr && s + i < x.length; i++) {
                    double ph = 2 * Math.PI * f * i / sr;
                    x[s + i] += (float) (Math.signum(Math.sin(ph)) * 0.6 + 0.4 * Math.sin(3 * ph));
                }
            }
            t += beepsPerGroup * period + Synth.uniform(r, 0.3, 0.6);
        }
        return x;
    }

    private static float[] bicycleBell(SplittableRandom r, int sr) {
        float[] x = new float[seconds(r, sr, 1, 3)];
        double f0 = Synth.uniform(r, 1800, 3200);
        int rings = 1 + r.nextInt(3);
        for (int k = 0; k < rings; k++) {
            int s = (int) (k * Synth.uniform(r, 0.15, 0.3) * sr);
            // inharmonic bell partials
            double[] ratios = {1.0, 2.32, 4.25, 6.63};
            for (int p = 0; p < ratios.length; p++) {
                Synth.partial(x, s, f0 * ratios[p] * Synth.uniform(r, 0.995, 1.005), 1.0 / (p + 1),
                        Synth.uniform(r, 0.25, 0.6) / (1 + 0.5 * p), r.nextDouble() * 6.28, sr);
            }
        }
        return x;
    }

    /** Motor: a harmonic series at the rotation rate, wobbling, plus band-limited noise. */
    private static float[] motor(SplittableRandom r, int sr, double fLo, double fHi, double noiseGain, double cutoff) {
        float[] x = Synth.biquad(Synth.white(r, seconds(r, sr, 1.5, 4)), "lp", cutoff * Synth.uniform(r, 0.7, 1.3), 0.7, sr);
        double f = Synth.uniform(r, fLo, fHi);
        double wobble = Synth.uniform(r, 0.5, 3);
        double phase = 0;
        for (int i = 0; i < x.length; i++) {
            double t = (double) i / sr;
            phase += 2 * Math.PI * f * (1 + 0.02 * Math.sin(2 * Math.PI * wobble * t)) / sr;
            double h = 0;
            for (int k = 1; k <= 6; k++) {
                h += Math.sin(k * phase) / k;
            }
            x[i] = (float) (noiseGain * x[i] + 0.5 * h);
        }
        return Synth.fade(x, 0.2, 0.2, sr);
    }

    private static float[] buzzer(SplittableRandom r, int sr) {
        float[] x = new float[seconds(r, sr, 1, 3)];
        double f = Synth.uniform(r, 180, 550);
        for (int i = 0; i < x.length; i++) {
            double ph = (f * i / sr) % 1.0;
            x[i] = (float) (ph < 0.3 ? 1 : -0.45); // pulse wave: harsh odd and even harmonics
        }
        return Synth.fade(x, 0.01, 0.02, sr);
    }

    private static float[] clapping(SplittableRandom r, int sr) {
        float[] x = new float[seconds(r, sr, 1.5, 4)];
        double rate = Synth.uniform(r, 3, 6);
        for (double t = 0; t < x.length / (double) sr; t += (1 / rate) * Synth.uniform(r, 0.8, 1.2)) {
            Synth.burst(x, r, (int) (t * sr), Synth.uniform(r, 0.03, 0.06), Synth.uniform(r, 1000, 2500), 0.8, 1, sr);
        }
        return x;
    }

    private static float[] cough(SplittableRandom r, int sr) {
        float[] x = new float[seconds(r, sr, 1, 2.5)];
        int coughs = 1 + r.nextInt(3);
        int pos = 0;
        for (int c = 0; c < coughs && pos < x.length; c++) {
            double f = Synth.uniform(r, 350, 700);
            Synth.burst(x, r, pos, Synth.uniform(r, 0.08, 0.14), f, 1.2, 1, sr);
            Synth.burst(x, r, pos + (int) (0.06 * sr), Synth.uniform(r, 0.2, 0.35), f * 2.2, 2.0, 0.6, sr);
            pos += (int) (Synth.uniform(r, 0.35, 0.6) * sr);
        }
        return x;
    }

    private static float[] cupboard(SplittableRandom r, int sr) {
        float[] x = new float[seconds(r, sr, 1, 2.5)];
        // creak: a slowly gliding, rough resonance; then a knock
        int creak = (int) (Synth.uniform(r, 0.3, 0.8) * sr);
        double f = Synth.uniform(r, 300, 700);
        double phase = 0;
        for (int i = 0; i < creak && i < x.length; i++) {
            phase += 2 * Math.PI * f * (1 + 0.3 * i / creak) / sr;
            x[i] = (float) (0.4 * Math.sin(phase) * (0.5 + 0.5 * Math.sin(2 * Math.PI * 35 * i / sr)));
        }
        int knock = Math.min(x.length - 1, creak + (int) (Synth.uniform(r, 0.05, 0.3) * sr));
        Synth.partial(x, knock, Synth.uniform(r, 90, 180), 1, 0.05, 0, sr);
        Synth.burst(x, r, knock, 0.04, 1500, 0.7, 0.6, sr);
        return x;
    }

    private static float[] dishes(SplittableRandom r, int sr) {
        float[] x = new float[seconds(r, sr, 1, 3)];
        int clinks = 2 + r.nextInt(6);
        for (int c = 0; c < clinks; c++) {
            int s = (int) (r.nextDouble() * 0.85 * x.length);
            double f = Synth.uniform(r, 2500, 6000);
            for (double ratio : new double[] {1, 1.47, 2.09}) {
                Synth.partial(x, s, f * ratio, 1 / ratio, Synth.uniform(r, 0.04, 0.15), r.nextDouble(), sr);
            }
        }
        return x;
    }

    private static float[] doorbell(SplittableRandom r, int sr) {
        float[] x = new float[seconds(r, sr, 1.5, 3)];
        double f1 = Synth.uniform(r, 600, 900);
        double f2 = f1 * (r.nextBoolean() ? 0.8 : 0.84); // ding-dong: a major or minor third down
        Synth.partial(x, 0, f1, 1, 0.6, 0, sr);
        Synth.partial(x, 0, 2 * f1, 0.3, 0.3, 0, sr);
        int second = (int) (Synth.uniform(r, 0.35, 0.6) * sr);
        if (second < x.length) {
            Synth.partial(x, second, f2, 1, 0.8, 0, sr);
            Synth.partial(x, second, 2 * f2, 0.3, 0.4, 0, sr);
        }
        return x;
    }

    private static float[] footsteps(SplittableRandom r, int sr) {
        float[] x = new float[seconds(r, sr, 2, 4)];
        double step = Synth.uniform(r, 0.4, 0.65);
        for (double t = Synth.uniform(r, 0, 0.2); t < x.length / (double) sr; t += step * Synth.uniform(r, 0.9, 1.1)) {
            int s = (int) (t * sr);
            Synth.partial(x, s, Synth.uniform(r, 60, 110), 1, 0.04, 0, sr);
            Synth.burst(x, r, s, 0.05, Synth.uniform(r, 400, 1200), 0.9, 0.5, sr);
        }
        return x;
    }

    private static float[] fan(SplittableRandom r, int sr) {
        float[] x = Synth.biquad(Synth.pink(r, seconds(r, sr, 2, 4)), "lp", Synth.uniform(r, 800, 2000), 0.7, sr);
        double blade = Synth.uniform(r, 12, 30);
        double hum = Synth.uniform(r, 50, 120);
        for (int i = 0; i < x.length; i++) {
            double t = (double) i / sr;
            x[i] = (float) (x[i] * (0.7 + 0.3 * Math.sin(2 * Math.PI * blade * t)) + 0.2 * Math.sin(2 * Math.PI * hum * t));
        }
        return Synth.fade(x, 0.3, 0.3, sr);
    }

    private static float[] keyboard(SplittableRandom r, int sr) {
        float[] x = new float[seconds(r, sr, 1.5, 4)];
        int root = 48 + r.nextInt(24);
        int[] scale = {0, 2, 4, 5, 7, 9, 11, 12};
        double t = 0;
        while (t < x.length / (double) sr - 0.1) {
            int note = root + scale[r.nextInt(scale.length)];
            double f = 440 * Math.pow(2, (note - 69) / 12.0);
            int s = (int) (t * sr);
            double dur = Synth.uniform(r, 0.2, 0.6);
            for (int k = 1; k <= 5; k++) {
                Synth.partial(x, s, f * k, 1.0 / (k * k), dur / k, 0, sr);
            }
            t += dur * Synth.uniform(r, 0.6, 1.0);
        }
        return x;
    }

    private static float[] percussion(SplittableRandom r, int sr) {
        float[] x = new float[seconds(r, sr, 1.5, 4)];
        double beat = Synth.uniform(r, 0.2, 0.4);
        for (double t = 0; t < x.length / (double) sr; t += beat * (r.nextInt(2) + 1)) {
            int s = (int) (t * sr);
            if (r.nextBoolean()) { // drum: pitch-dropping sine
                double f = Synth.uniform(r, 60, 200);
                for (int i = 0; i < 0.3 * sr && s + i < x.length; i++) {
                    double tt = (double) i / sr;
                    x[s + i] += (float) (Math.exp(-tt / 0.08) * Math.sin(2 * Math.PI * f * tt * (1 - 0.3 * tt)));
                }
            } else { // snare/hat: noise
                Synth.burst(x, r, s, Synth.uniform(r, 0.05, 0.15), Synth.uniform(r, 2000, 7000), 0.5, 0.7, sr);
            }
        }
        return x;
    }

    private static float[] pour(SplittableRandom r, int sr) {
        int n = seconds(r, sr, 1.5, 4);
        float[] x = Synth.biquad(Synth.white(r, n), "bp", Synth.uniform(r, 800, 1600), 1.5, sr);
        for (int i = 0; i < n; i++) {
            x[i] *= 0.3f;
        }
        // bubbles: short rising chirps
        int bubbles = (int) (Synth.uniform(r, 15, 40) * n / sr);
        for (int b = 0; b < bubbles; b++) {
            int s = r.nextInt(n);
            double f = Synth.uniform(r, 500, 2000);
            for (int i = 0; i < 0.03 * sr && s + i < n; i++) {
                double t = (double) i / sr;
                x[s + i] += (float) (0.6 * Math.exp(-t / 0.01) * Math.sin(2 * Math.PI * f * (1 + 10 * t) * t));
            }
        }
        return Synth.fade(x, 0.1, 0.1, sr);
    }

    /** Formant babble: a glottal pulse train with a pitch contour through three vowel formants, syllable-gated. */
    private static float[] speech(SplittableRandom r, int sr) {
        int n = seconds(r, sr, 1.5, 4);
        double f0 = Synth.uniform(r, 90, 230);
        double[][] vowels = {{730, 1090, 2440}, {270, 2290, 3010}, {530, 1840, 2480}, {300, 870, 2240}, {570, 840, 2410}};
        float[] out = new float[n];
        int pos = 0;
        while (pos < n) {
            int syl = (int) (Synth.uniform(r, 0.12, 0.3) * sr);
            double[] v = vowels[r.nextInt(vowels.length)];
            float[] src = new float[Math.min(syl, n - pos)];
            double phase = 0;
            for (int i = 0; i < src.length; i++) {
                double t = (double) i / sr;
                phase += f0 * (1 + 0.1 * Math.sin(2 * Math.PI * 3 * t)) / sr;
                src[i] = (float) (phase % 1.0 < 0.1 ? 1 : 0) + (float) (0.05 * (r.nextDouble() - 0.5));
            }
            float[] y = new float[src.length];
            for (int k = 0; k < 3; k++) {
                float[] band = Synth.biquad(src.clone(), "bp", v[k] * Synth.uniform(r, 0.9, 1.1), 8, sr);
                for (int i = 0; i < y.length; i++) {
                    y[i] += band[i] / (k + 1);
                }
            }
            for (int i = 0; i < y.length; i++) {
                double env = Math.sin(Math.PI * i / y.length);
                out[pos + i] += (float) (y[i] * env);
            }
            pos += syl + (int) (Synth.uniform(r, 0, 0.12) * sr);
        }
        return out;
    }

    private static float[] typing(SplittableRandom r, int sr) {
        float[] x = new float[seconds(r, sr, 1.5, 4)];
        for (double t = 0; t < x.length / (double) sr; t += Synth.uniform(r, 0.08, 0.25)) {
            int s = (int) (t * sr);
            Synth.burst(x, r, s, 0.012, Synth.uniform(r, 3000, 6000), 1.0, 1, sr);
            Synth.burst(x, r, s + (int) (0.015 * sr), 0.01, Synth.uniform(r, 1500, 3000), 1.0, 0.4, sr);
        }
        return x;
    }

    private static float[] birdsong(SplittableRandom r, int sr) {
        float[] x = new float[seconds(r, sr, 1, 3)];
        for (double t = 0; t < x.length / (double) sr - 0.1; t += Synth.uniform(r, 0.1, 0.3)) {
            int s = (int) (t * sr);
            double f = Synth.uniform(r, 2500, 5000);
            double sweep = Synth.uniform(r, -3000, 3000);
            int len = (int) (Synth.uniform(r, 0.04, 0.1) * sr);
            double phase = 0;
            for (int i = 0; i < len && s + i < x.length; i++) {
                phase += 2 * Math.PI * (f + sweep * i / len) / sr;
                x[s + i] += (float) (Math.sin(Math.PI * i / len) * Math.sin(phase));
            }
        }
        return x;
    }

    private static float[] siren(SplittableRandom r, int sr) {
        float[] x = new float[seconds(r, sr, 2, 4)];
        double lo = Synth.uniform(r, 500, 800);
        double rate = Synth.uniform(r, 0.3, 1.5);
        double phase = 0;
        for (int i = 0; i < x.length; i++) {
            double f = lo * (1.5 + 0.5 * Math.sin(2 * Math.PI * rate * i / sr));
            phase += 2 * Math.PI * f / sr;
            x[i] = (float) (Math.sin(phase) + 0.3 * Math.sin(3 * phase));
        }
        return Synth.fade(x, 0.1, 0.1, sr);
    }

    private static float[] rain(SplittableRandom r, int sr) {
        float[] x = Synth.biquad(Synth.pink(r, seconds(r, sr, 2, 4)), "hp", 800, 0.7, sr);
        for (int d = 0; d < x.length / 400; d++) {
            Synth.burst(x, r, r.nextInt(x.length), 0.005, Synth.uniform(r, 3000, 8000), 1, 2, sr);
        }
        return Synth.fade(x, 0.3, 0.3, sr);
    }

    private static float[] dogBark(SplittableRandom r, int sr) {
        float[] x = new float[seconds(r, sr, 1, 3)];
        int barks = 1 + r.nextInt(3);
        int pos = 0;
        for (int b = 0; b < barks && pos < x.length; b++) {
            double f = Synth.uniform(r, 300, 600);
            int len = (int) (0.15 * sr);
            for (int i = 0; i < len && pos + i < x.length; i++) {
                double t = (double) i / sr;
                double env = Math.exp(-t / 0.05) * Math.min(1, t / 0.005);
                double ph = 2 * Math.PI * f * (1 - 0.5 * t) * t;
                x[pos + i] += (float) (env * (Math.sin(ph) + 0.5 * Math.sin(2 * ph) + 0.3 * (r.nextDouble() - 0.5)));
            }
            pos += (int) (Synth.uniform(r, 0.3, 0.5) * sr);
        }
        return x;
    }

    private static float[] whistle(SplittableRandom r, int sr) {
        float[] x = new float[seconds(r, sr, 1, 3)];
        double f = Synth.uniform(r, 1000, 2500);
        double phase = 0;
        for (int i = 0; i < x.length; i++) {
            double t = (double) i / sr;
            phase += 2 * Math.PI * f * (1 + 0.02 * Math.sin(2 * Math.PI * 5 * t)) / sr;
            x[i] = (float) Math.sin(phase);
        }
        return Synth.fade(x, 0.05, 0.1, sr);
    }

    private static float[] humAndHiss(SplittableRandom r, int sr) {
        float[] x = Synth.white(r, 10 * sr);
        double mains = r.nextBoolean() ? 50 : 60;
        for (int i = 0; i < x.length; i++) {
            double t = (double) i / sr;
            x[i] = (float) (0.1 * x[i] + 0.5 * Math.sin(2 * Math.PI * mains * t) + 0.2 * Math.sin(2 * Math.PI * 3 * mains * t));
        }
        return x;
    }
}

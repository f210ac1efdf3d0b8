package org.sep4j.data.captions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Captions of sound clips from their labels: each class has a few synonymous noun phrases (the
 * embedded library's classes; any other class name is spelled out from its CamelCase or
 * snake_case), and a clip of one or two classes is described by one of several templates
 * ("a doorbell ringing while someone talking"). {@link #phrases} is the rule-based parser that
 * splits a caption back into its sound phrases, as BiSep splits AudioCaps captions.
 */
public final class Captions {

    /** Phrase separators of BiSep's parser, longest first (so " followed by " wins over " by "). */
    private static final List<String> SEPARATORS = List.of(" followed by ", " together with ", " while ", " after ", " with ",
            " and ", " as ", ", ");
    /** Lead-ins the parser drops before splitting. */
    private static final List<String> LEAD_INS = List.of("the sound mixture of ", "a recording of ", "the sound of ");

    private static final List<String> SINGLE = List.of("the sound of %s", "%s", "a recording of %s", "%s can be heard");
    private static final List<String> PAIR = List.of("%s and %s", "%s while %s", "%s with %s", "%s followed by %s",
            "the sound mixture of %s and %s");

    private static final Map<String, List<String>> SYNONYMS = new LinkedHashMap<>();

    static {
        put("AlarmClock", "an alarm clock", "an alarm clock ringing", "a beeping alarm");
        put("BicycleBell", "a bicycle bell", "a bike bell ringing", "the ring of a bicycle bell");
        put("Blender", "a blender", "a kitchen blender running", "a food processor whirring");
        put("Buzzer", "a buzzer", "an electric buzzer", "a buzzing signal");
        put("Clapping", "clapping", "hands clapping", "applause");
        put("Cough", "a cough", "someone coughing", "a person coughing");
        put("CupboardOpenClose", "a cupboard door", "a cabinet door closing", "a creaking cupboard");
        put("Dishes", "dishes clattering", "plates clinking", "clinking dishes");
        put("Doorbell", "a doorbell", "a doorbell ringing", "a door chime");
        put("FootSteps", "footsteps", "someone walking", "steps on a floor");
        put("HairDryer", "a hair dryer", "a hair dryer blowing", "a blow dryer");
        put("MechanicalFans", "a fan", "a mechanical fan humming", "an electric fan");
        put("MusicalKeyboard", "a musical keyboard", "a keyboard playing notes", "piano notes");
        put("Percussion", "percussion", "drums", "a drum beat");
        put("Pour", "pouring water", "liquid being poured", "water pouring");
        put("Speech", "speech", "a person speaking", "someone talking");
        put("Typing", "typing", "typing on a computer", "keys clicking");
        put("VacuumCleaner", "a vacuum cleaner", "a vacuum cleaner running", "vacuuming");
        put("Birdsong", "birdsong", "birds chirping", "a bird singing");
        put("Siren", "a siren", "a siren wailing", "an emergency siren");
        put("Rain", "rain", "rain falling", "raindrops");
        put("DogBark", "a dog barking", "a barking dog", "a dog");
        put("Whistle", "a whistle", "someone whistling", "a whistle blowing");
    }

    private static void put(String cls, String... names) {
        SYNONYMS.put(cls, List.of(names));
    }

    private Captions() {
    }

    /** The noun phrases a class goes by: the first is its plain name. */
    public static List<String> names(String cls) {
        List<String> s = SYNONYMS.get(cls);
        if (s != null) {
            return s;
        }
        String spaced = cls.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').replace('-', ' ').strip()
                .toLowerCase(Locale.ROOT);
        return List.of(spaced.isEmpty() ? cls : spaced);
    }

    /** The plain query for a class: "the sound of a doorbell". */
    public static String query(String cls) {
        return String.format(Locale.ROOT, SINGLE.get(0), names(cls).get(0));
    }

    /** A caption of a clip of one class or two, template and synonyms drawn from {@code r}. */
    public static String describe(List<String> classes, SplittableRandom r) {
        if (classes.size() == 1) {
            return String.format(Locale.ROOT, SINGLE.get(r.nextInt(SINGLE.size())), pick(classes.get(0), r));
        }
        if (classes.size() == 2) {
            return String.format(Locale.ROOT, PAIR.get(r.nextInt(PAIR.size())), pick(classes.get(0), r), pick(classes.get(1), r));
        }
        throw new IllegalArgumentException("captions describe clips of one or two classes, got " + classes);
    }

    /** BiSep's prompt for a source of two classes: "the sound mixture of A and B" (plain names). */
    public static String mixture(String a, String b) {
        return String.format(Locale.ROOT, PAIR.get(PAIR.size() - 1), names(a).get(0), names(b).get(0));
    }

    private static String pick(String cls, SplittableRandom r) {
        List<String> n = names(cls);
        return n.get(r.nextInt(n.size()));
    }

    /** Every caption the templates and synonyms can form for these classes (the tokenizer's corpus). */
    public static List<String> corpus(List<String> classes) {
        List<String> out = new ArrayList<>();
        for (String a : classes) {
            for (String na : names(a)) {
                for (String t : SINGLE) {
                    out.add(String.format(Locale.ROOT, t, na));
                }
                for (String b : classes) {
                    if (!b.equals(a)) {
                        for (String t : PAIR) {
                            out.add(String.format(Locale.ROOT, t, na, names(b).get(0)));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** A caption's phrases, {@code k} of them with weights: duplicates (to fill k) weighted 1/count, so weighted sums count each phrase once. */
    public record Phrases(List<String> phrases, double[] weights) {
    }

    /**
     * Splits a caption into sound phrases at BiSep's separators (" followed by ", " and ", ", ",
     * " while ", " with ", " as ", " after ", …) after dropping a lead-in ("the sound mixture of"),
     * keeps the first {@code k}, and cycles them to fill {@code k} slots.
     */
    public static Phrases phrases(String caption, int k) {
        String c = caption.strip().toLowerCase(Locale.ROOT);
        if (c.endsWith(".")) {
            c = c.substring(0, c.length() - 1);
        }
        for (String lead : LEAD_INS) {
            if (c.startsWith(lead)) {
                c = c.substring(lead.length());
                break;
            }
        }
        c = c.replace(" can be heard", "");
        List<String> parts = new ArrayList<>(List.of(c));
        for (String sep : SEPARATORS) {
            List<String> next = new ArrayList<>();
            for (String p : parts) {
                for (String piece : p.split(java.util.regex.Pattern.quote(sep))) {
                    String cut = piece.replaceAll("^[,;\\s]+|[,;\\s]+$", "");
                    if (!cut.isEmpty()) {
                        next.add(cut);
                    }
                }
            }
            parts = next;
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("caption '" + caption + "' has no phrase to query");
        }
        List<String> kept = parts.subList(0, Math.min(k, parts.size()));
        List<String> slots = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            slots.add(kept.get(i % kept.size()));
        }
        double[] w = new double[k];
        for (int i = 0; i < k; i++) {
            String p = slots.get(i);
            w[i] = 1.0 / slots.stream().filter(p::equals).count();
        }
        return new Phrases(List.copyOf(slots), w);
    }
}

package org.sep4j.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Multirun expansion: {@code a=1,2 b=x,y} becomes the cartesian product of single-valued
 * overrides, in command-line order with the last key varying fastest (as Hydra's basic sweeper).
 * {@code range(start, stop[, step])} sweeps integers or floats with an exclusive stop.
 */
public final class Sweep {

    private static final Pattern RANGE = Pattern.compile("range\\(\\s*([^,()]+)\\s*,\\s*([^,()]+)\\s*(?:,\\s*([^,()]+)\\s*)?\\)");

    private Sweep() {
    }

    public static List<List<String>> expand(List<String> overrides) {
        List<List<String>> choices = new ArrayList<>();
        for (String o : overrides) {
            choices.add(alternatives(o));
        }
        List<List<String>> out = new ArrayList<>();
        out.add(new ArrayList<>());
        for (List<String> alts : choices) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : out) {
                for (String a : alts) {
                    List<String> l = new ArrayList<>(prefix);
                    l.add(a);
                    next.add(l);
                }
            }
            out = next;
        }
        return out;
    }

    /** The single-valued overrides one sweep override stands for. */
    static List<String> alternatives(String override) {
        int eq = override.indexOf('=');
        if (eq < 0 || override.startsWith("~")) {
            return List.of(override);
        }
        String head = override.substring(0, eq + 1);
        String value = override.substring(eq + 1).strip();
        Matcher m = RANGE.matcher(value);
        if (m.matches()) {
            return range(head, m.group(1), m.group(2), m.group(3), override);
        }
        List<String> parts = ConfigOverride.splitTopLevel(value);
        if (parts.size() == 1) {
            return List.of(override);
        }
        List<String> out = new ArrayList<>();
        for (String p : parts) {
            out.add(head + p.strip());
        }
        return out;
    }

    private static List<String> range(String head, String a, String b, String s, String text) {
        Object start = ConfigOverride.parseValue(a);
        Object stop = ConfigOverride.parseValue(b);
        Object step = s == null ? 1L : ConfigOverride.parseValue(s);
        if (!(start instanceof Number) || !(stop instanceof Number) || !(step instanceof Number)) {
            throw new ConfigError("sweep '" + text + "': range() takes numbers, e.g. range(1,5) or range(0,1,0.25)");
        }
        boolean ints = start instanceof Long && stop instanceof Long && step instanceof Long;
        double st = ((Number) step).doubleValue();
        if (st == 0) {
            throw new ConfigError("sweep '" + text + "': range() step must not be 0");
        }
        List<String> out = new ArrayList<>();
        double x0 = ((Number) start).doubleValue();
        double x1 = ((Number) stop).doubleValue();
        for (int i = 0; ; i++) {
            double x = x0 + i * st;
            if (st > 0 ? x >= x1 - 1e-12 : x <= x1 + 1e-12) {
                break;
            }
            out.add(head + (ints ? Long.toString((long) x) : Double.toString(x)));
            if (out.size() > 100_000) {
                throw new ConfigError("sweep '" + text + "' expands to more than 100000 values");
            }
        }
        return out;
    }
}

package org.sep4j.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One command-line override, Hydra style: {@code key=value} (set an existing key or choose a
 * group option), {@code +key=value} (add a new key or group), {@code ++key=value} (add or replace),
 * {@code ~key} (delete). Values are typed: null, true/false, integers, floats, {@code [a,b]} lists,
 * quoted or bare strings.
 *
 * @param kind  what to do
 * @param key   dotted key or group path
 * @param value parsed value (null for deletions without a value)
 * @param text  the override as typed, for provenance and error messages
 */
public record ConfigOverride(Kind kind, String key, Object value, String text) {

    public enum Kind { SET, ADD, FORCE, DELETE }

    public static ConfigOverride parse(String text) {
        String t = text.strip();
        Kind kind = Kind.SET;
        if (t.startsWith("++")) {
            kind = Kind.FORCE;
            t = t.substring(2);
        } else if (t.startsWith("+")) {
            kind = Kind.ADD;
            t = t.substring(1);
        } else if (t.startsWith("~")) {
            kind = Kind.DELETE;
            t = t.substring(1);
        }
        int eq = t.indexOf('=');
        if (eq < 0) {
            if (kind == Kind.DELETE) {
                return new ConfigOverride(kind, checkKey(t, text), null, text);
            }
            throw new ConfigError("override '" + text + "' has no '=': write key=value, +key=value or ~key");
        }
        String key = checkKey(t.substring(0, eq).strip(), text);
        return new ConfigOverride(kind, key, parseValue(t.substring(eq + 1).strip()), text);
    }

    private static String checkKey(String key, String text) {
        if (key.isEmpty() || !key.matches("[A-Za-z0-9_./\\-]+")) {
            throw new ConfigError("override '" + text + "': '" + key + "' is not a valid key");
        }
        return key;
    }

    /** A typed value: null, booleans, integers (Long), floats (Double), [lists], quoted or bare strings. */
    public static Object parseValue(String s) {
        String v = s.strip();
        if (v.isEmpty()) {
            return "";
        }
        if ((v.startsWith("'") && v.endsWith("'") || v.startsWith("\"") && v.endsWith("\"")) && v.length() >= 2) {
            return v.substring(1, v.length() - 1);
        }
        if (v.startsWith("[") && v.endsWith("]")) {
            List<Object> out = new ArrayList<>();
            for (String part : splitTopLevel(v.substring(1, v.length() - 1))) {
                if (!part.isBlank()) {
                    out.add(parseValue(part));
                }
            }
            return out;
        }
        String low = v.toLowerCase(Locale.ROOT);
        if (low.equals("null") || low.equals("~")) {
            return null;
        }
        if (low.equals("true") || low.equals("false")) {
            return Boolean.parseBoolean(low);
        }
        if (v.matches("[-+]?\\d+")) {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                return v;
            }
        }
        if (v.matches("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?") || low.equals("inf") || low.equals("-inf")
                || low.equals("nan")) {
            return Double.parseDouble(low.replace("inf", "Infinity").replace("nan", "NaN"));
        }
        return v;
    }

    /** Splits at commas that are not inside brackets, parentheses or quotes. */
    static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[' || c == '(') {
                depth++;
            } else if (c == ']' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(cur.toString());
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        out.add(cur.toString());
        return out;
    }
}

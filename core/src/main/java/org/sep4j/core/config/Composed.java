package org.sep4j.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A composed, resolved configuration and where each value came from.
 *
 * @param tree      nested maps, lists and scalars
 * @param origin    dotted key → the file or override that set it last
 * @param choices   group → selected option
 * @param overrides the command-line overrides, as typed
 */
public record Composed(Map<String, Object> tree, Map<String, String> origin, Map<String, String> choices,
        List<String> overrides) {

    /** The value at a dotted path, or null when absent. */
    public Object get(String dotted) {
        Object[] found = lookup(dotted);
        return found == null ? null : found[0];
    }

    public boolean has(String dotted) {
        return lookup(dotted) != null;
    }

    /** {value} when every key of the path exists (the value may be null), else null. */
    private Object[] lookup(String dotted) {
        Object cur = tree;
        for (String k : dotted.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m) || !m.containsKey(k)) {
                return null;
            }
            cur = m.get(k);
        }
        return new Object[] {cur};
    }

    /** The resolved config as YAML. */
    public String yaml() {
        return Yaml.dump(tree);
    }

    /**
     * Which file (or override) set {@code key}, and for a subtree, each of its leaves.
     */
    public String explain(String key) {
        if (!has(key)) {
            throw new ConfigError("key '" + key + "' is not in the composed config" + Suggest.hint(key, origin.keySet()));
        }
        StringBuilder sb = new StringBuilder();
        List<String> keys = new ArrayList<>();
        for (String k : origin.keySet()) {
            if (k.equals(key) || k.startsWith(key + ".")) {
                keys.add(k);
            }
        }
        keys.sort(null);
        for (String k : keys) {
            sb.append(k).append(" = ").append(render(get(k))).append("    # from ").append(origin.get(k)).append('\n');
        }
        return sb.toString();
    }

    private static String render(Object v) {
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }
}

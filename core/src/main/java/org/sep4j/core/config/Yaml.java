package org.sep4j.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.representer.Representer;

/** YAML in and out (SnakeYAML, safe constructor only): maps keep their order, integers become Long. */
public final class Yaml {

    private Yaml() {
    }

    /** Parses a document; {@code source} names it in errors. Empty documents give an empty map. */
    public static Map<String, Object> load(String text, String source) {
        Object doc;
        try {
            doc = new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (MarkedYAMLException e) {
            throw new ConfigError(source + ": invalid YAML at line " + (e.getProblemMark().getLine() + 1) + ", column "
                    + (e.getProblemMark().getColumn() + 1) + ": " + e.getProblem());
        } catch (RuntimeException e) {
            throw new ConfigError(source + ": invalid YAML: " + e.getMessage(), e);
        }
        if (doc == null) {
            return new LinkedHashMap<>();
        }
        if (!(doc instanceof Map<?, ?>)) {
            throw new ConfigError(source + ": expected a mapping at the top level, found " + doc.getClass().getSimpleName());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) normalize(doc, source);
        return m;
    }

    @SuppressWarnings("unchecked")
    static Object normalize(Object v, String source) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw new ConfigError(source + ": keys must be strings, found " + e.getKey());
                }
                out.put(k, normalize(e.getValue(), source));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(normalize(o, source));
            }
            return out;
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof java.math.BigInteger b) {
            return b.longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        return v;
    }

    /** Block-style YAML of a tree. */
    public static String dump(Map<String, Object> tree) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setPrettyFlow(true);
        o.setWidth(120);
        return new org.yaml.snakeyaml.Yaml(new Representer(o), o).dump(tree);
    }
}

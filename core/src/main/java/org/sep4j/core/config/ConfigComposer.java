package org.sep4j.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Composes a configuration from a primary YAML file, its defaults lists and command-line overrides
 * (see the package documentation for the order). Sources are searched in order: a user
 * {@code --config-dir} first, then the {@code configs/} folder packaged in the jar.
 */
public final class ConfigComposer {

    private static final String SELF = "_self_";
    private static final Pattern PACKAGE_HEADER = Pattern.compile("(?m)^\\s*#\\s*@package\\s+(\\S+)\\s*$");
    private static final Pattern ENV = Pattern.compile("\\$\\{oc\\.env:([A-Za-z_][A-Za-z0-9_]*)(?:,([^}]*))?}");
    private static final Pattern INTERP = Pattern.compile("\\$\\{([^}]+)}");

    private final List<ConfigSource> sources;

    public ConfigComposer(List<ConfigSource> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no config sources");
        }
        this.sources = List.copyOf(sources);
    }

    /** The packaged {@code configs/} folder, preceded by a user folder when given. */
    public static ConfigComposer standard(Path userDir) {
        List<ConfigSource> s = new ArrayList<>();
        if (userDir != null) {
            if (!java.nio.file.Files.isDirectory(userDir)) {
                throw new ConfigError("--config-dir " + userDir + ": no such folder");
            }
            s.add(ConfigSource.directory(userDir));
        }
        s.add(ConfigSource.classpath("configs"));
        return new ConfigComposer(s);
    }

    /** One parsed config file. */
    private record File(String relative, String described, String header, List<Object> defaults,
            Map<String, Object> body) {
    }

    /** One defaults-list entry: a group choice, an override of one, or the file itself. */
    private record Entry(String group, String option, boolean override, boolean optional, boolean self) {
    }

    public Composed compose(String primary, List<String> overrideTexts) {
        List<ConfigOverride> overrides = new ArrayList<>();
        for (String t : overrideTexts) {
            overrides.add(ConfigOverride.parse(t));
        }
        Map<String, String> cliChoices = new LinkedHashMap<>();
        List<String> addedGroups = new ArrayList<>();
        List<ConfigOverride> valueOverrides = new ArrayList<>();
        for (ConfigOverride o : overrides) {
            if (o.kind() != ConfigOverride.Kind.DELETE && isGroup(o.key()) && (o.value() == null || o.value() instanceof String)) {
                cliChoices.put(o.key(), (String) o.value());
                if (o.kind() == ConfigOverride.Kind.ADD) {
                    addedGroups.add(o.key());
                }
            } else {
                valueOverrides.add(o);
            }
        }
        File root = load(primary + ".yaml", null);
        // Pass 1: settle group choices (command line > override entries > defaults), to a fixed point.
        Map<String, String> fromOverrides = new LinkedHashMap<>();
        for (int iteration = 0; ; iteration++) {
            Map<String, String> found = new LinkedHashMap<>();
            collectOverrides(root, cliChoices, fromOverrides, found, addedGroups, new LinkedHashSet<>());
            if (found.equals(fromOverrides)) {
                break;
            }
            if (iteration > 10) {
                throw new ConfigError("group overrides in defaults lists do not settle: " + found);
            }
            fromOverrides = found;
        }
        Map<String, String> choices = new LinkedHashMap<>();
        for (String g : cliChoices.keySet()) {
            if (!addedGroups.contains(g) && !mentioned(root, g, cliChoices, fromOverrides, new LinkedHashSet<>())) {
                throw new ConfigError("'" + g + "=" + cliChoices.get(g) + "': group '" + g
                        + "' is not in the defaults list; use +" + g + "=" + cliChoices.get(g) + " to add it");
            }
        }
        // Pass 2: merge.
        Map<String, Object> tree = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        merge(root, "", cliChoices, fromOverrides, addedGroups, tree, origin, choices, new LinkedHashSet<>());
        for (ConfigOverride o : valueOverrides) {
            apply(o, tree, origin);
        }
        resolve(tree, origin);
        return new Composed(tree, origin, choices, List.copyOf(overrideTexts));
    }

    private boolean isGroup(String key) {
        for (ConfigSource s : sources) {
            if (s.hasGroup(key)) {
                return true;
            }
        }
        return false;
    }

    private File load(String relative, String groupForErrors) {
        for (ConfigSource s : sources) {
            Optional<String> text = s.read(relative);
            if (text.isPresent()) {
                String described = s.describe(relative);
                Map<String, Object> body = Yaml.load(text.get(), described);
                Matcher m = PACKAGE_HEADER.matcher(text.get());
                String header = m.find() ? m.group(1) : null;
                Object defaults = body.remove("defaults");
                if (defaults != null && !(defaults instanceof List<?>)) {
                    throw new ConfigError(described + ": 'defaults' must be a list, found " + defaults);
                }
                @SuppressWarnings("unchecked")
                List<Object> list = defaults == null ? List.of() : (List<Object>) defaults;
                return new File(relative, described, header, list, body);
            }
        }
        if (groupForErrors != null) {
            String option = relative.substring(groupForErrors.length() + 1, relative.length() - 5);
            List<String> available = new ArrayList<>(new LinkedHashSet<>(options(groupForErrors)));
            throw new ConfigError("config group '" + groupForErrors + "' has no option '" + option + "' (available: "
                    + String.join(", ", available) + ")" + Suggest.hint(option, available));
        }
        throw new ConfigError("no config file '" + relative + "' in " + describeSources());
    }

    private List<String> options(String group) {
        List<String> out = new ArrayList<>();
        for (ConfigSource s : sources) {
            out.addAll(s.options(group));
        }
        return out;
    }

    private String describeSources() {
        List<String> d = new ArrayList<>();
        for (ConfigSource s : sources) {
            d.add(s.describe(""));
        }
        return String.join(", ", d);
    }

    private List<Entry> entries(File f) {
        List<Entry> out = new ArrayList<>();
        boolean hasSelf = false;
        for (Object o : f.defaults()) {
            if (SELF.equals(o)) {
                out.add(new Entry(null, null, false, false, true));
                hasSelf = true;
            } else if (o instanceof Map<?, ?> m && m.size() == 1) {
                Map.Entry<?, ?> e = m.entrySet().iterator().next();
                String key = String.valueOf(e.getKey()).strip();
                boolean override = key.startsWith("override ");
                boolean optional = key.startsWith("optional ");
                // group paths are always from the config root; a leading '/' (Hydra's absolute form) is allowed
                String group = key.replaceFirst("^(override|optional)\\s+", "").strip().replaceFirst("^/", "");
                Object option = e.getValue();
                if (option != null && !(option instanceof String)) {
                    throw new ConfigError(f.described() + ": defaults entry '" + key + "' must name an option, found "
                            + option);
                }
                out.add(new Entry(group, (String) option, override, optional, false));
            } else {
                throw new ConfigError(f.described() + ": defaults entries are '_self_' or 'group: option', found " + o);
            }
        }
        if (!hasSelf) {
            out.add(new Entry(null, null, false, false, true)); // the file overrides its defaults
        }
        return out;
    }

    private String choice(Entry e, Map<String, String> cli, Map<String, String> fromOverrides) {
        if (cli.containsKey(e.group())) {
            return cli.get(e.group());
        }
        if (fromOverrides.containsKey(e.group())) {
            return fromOverrides.get(e.group());
        }
        return e.option();
    }

    private List<Entry> withAdded(File f, List<Entry> entries, List<String> added, boolean isRoot) {
        if (!isRoot || added.isEmpty()) {
            return entries;
        }
        List<Entry> out = new ArrayList<>(entries);
        for (String g : added) {
            out.add(new Entry(g, null, false, false, false));
        }
        return out;
    }

    private void collectOverrides(File f, Map<String, String> cli, Map<String, String> prev, Map<String, String> found,
            List<String> added, Set<String> stack) {
        if (!stack.add(f.relative())) {
            throw new ConfigError("defaults lists include each other in a cycle: " + stack);
        }
        for (Entry e : withAdded(f, entries(f), added, stack.size() == 1)) {
            if (e.self()) {
                continue;
            }
            if (e.override()) {
                found.put(e.group(), e.option());
                continue;
            }
            String opt = choice(e, cli, prev);
            if (opt != null) {
                File child = tryLoad(e, opt);
                if (child != null) {
                    collectOverrides(child, cli, prev, found, added, stack);
                }
            }
        }
        stack.remove(f.relative());
    }

    private boolean mentioned(File f, String group, Map<String, String> cli, Map<String, String> fromOverrides,
            Set<String> stack) {
        if (!stack.add(f.relative())) {
            return false;
        }
        for (Entry e : entries(f)) {
            if (e.self()) {
                continue;
            }
            if (group.equals(e.group())) {
                return true;
            }
            String opt = e.override() ? null : choice(e, cli, fromOverrides);
            if (opt != null) {
                File child = tryLoad(e, opt);
                if (child != null && mentioned(child, group, cli, fromOverrides, stack)) {
                    return true;
                }
            }
        }
        return false;
    }

    private File tryLoad(Entry e, String option) {
        String rel = e.group() + "/" + option + ".yaml";
        if (e.optional()) {
            for (ConfigSource s : sources) {
                if (s.read(rel).isPresent()) {
                    return load(rel, e.group());
                }
            }
            return null;
        }
        return load(rel, e.group());
    }

    private void merge(File f, String pkg, Map<String, String> cli, Map<String, String> fromOverrides,
            List<String> added, Map<String, Object> tree, Map<String, String> origin, Map<String, String> choices,
            Set<String> stack) {
        stack.add(f.relative());
        for (Entry e : withAdded(f, entries(f), added, stack.size() == 1)) {
            if (e.self()) {
                mergeAt(tree, origin, pkg, f.body(), f.described());
                continue;
            }
            if (e.override()) {
                continue;
            }
            String opt = choice(e, cli, fromOverrides);
            if (opt == null) {
                continue;
            }
            File child = tryLoad(e, opt);
            if (child == null) {
                continue;
            }
            choices.put(e.group(), opt);
            String childPkg = packageOf(child, e.group());
            merge(child, childPkg, cli, fromOverrides, added, tree, origin, choices, stack);
        }
        stack.remove(f.relative());
    }

    private static String packageOf(File f, String group) {
        if (f.header() == null || f.header().equals("_group_")) {
            return group.replace('/', '.');
        }
        if (f.header().equals("_global_")) {
            return "";
        }
        return f.header();
    }

    @SuppressWarnings("unchecked")
    private static void mergeAt(Map<String, Object> tree, Map<String, String> origin, String pkg,
            Map<String, Object> body, String from) {
        Map<String, Object> node = tree;
        if (!pkg.isEmpty()) {
            for (String k : pkg.split("\\.")) {
                Object child = node.get(k);
                if (!(child instanceof Map<?, ?>)) {
                    child = new LinkedHashMap<String, Object>();
                    node.put(k, child);
                }
                node = (Map<String, Object>) child;
            }
        }
        deepMerge(node, body, pkg, origin, from);
    }

    @SuppressWarnings("unchecked")
    private static void deepMerge(Map<String, Object> dst, Map<String, Object> src, String prefix,
            Map<String, String> origin, String from) {
        for (Map.Entry<String, Object> e : src.entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            Object v = e.getValue();
            Object cur = dst.get(e.getKey());
            if (v instanceof Map<?, ?> vm && cur instanceof Map<?, ?>) {
                deepMerge((Map<String, Object>) cur, (Map<String, Object>) vm, path, origin, from);
            } else {
                dst.put(e.getKey(), copy(v));
                clearOrigin(origin, path);
                record(origin, path, v, from);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Object copy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, x) -> out.put(k, copy(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(copy(o));
            }
            return out;
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static void record(Map<String, String> origin, String path, Object v, String from) {
        if (v instanceof Map<?, ?> m && !m.isEmpty()) {
            ((Map<String, Object>) m).forEach((k, x) -> record(origin, path + "." + k, x, from));
        } else {
            origin.put(path, from);
        }
    }

    private static void clearOrigin(Map<String, String> origin, String path) {
        origin.keySet().removeIf(k -> k.equals(path) || k.startsWith(path + "."));
    }

    @SuppressWarnings("unchecked")
    private void apply(ConfigOverride o, Map<String, Object> tree, Map<String, String> origin) {
        String[] keys = o.key().split("\\.");
        Map<String, Object> node = tree;
        for (int i = 0; i < keys.length - 1; i++) {
            Object child = node.get(keys[i]);
            if (!(child instanceof Map<?, ?>)) {
                if (o.kind() == ConfigOverride.Kind.ADD || o.kind() == ConfigOverride.Kind.FORCE) {
                    child = new LinkedHashMap<String, Object>();
                    node.put(keys[i], child);
                } else {
                    throw missing(o, origin);
                }
            }
            node = (Map<String, Object>) child;
        }
        String last = keys[keys.length - 1];
        String from = "command line: " + o.text();
        switch (o.kind()) {
            case SET -> {
                if (!node.containsKey(last)) {
                    throw missing(o, origin);
                }
                node.put(last, o.value());
            }
            case ADD -> {
                if (node.containsKey(last)) {
                    throw new ConfigError("'" + o.text() + "': key '" + o.key() + "' already exists (set by "
                            + origin.getOrDefault(o.key(), "a config file") + "); use " + o.key() + "=... to change it"
                            + " or ++" + o.key() + "=... to replace it");
                }
                node.put(last, o.value());
            }
            case FORCE -> node.put(last, o.value());
            case DELETE -> {
                if (!node.containsKey(last)) {
                    throw missing(o, origin);
                }
                node.remove(last);
                clearOrigin(origin, o.key());
                return;
            }
        }
        clearOrigin(origin, o.key());
        record(origin, o.key(), o.value(), from);
    }

    private ConfigError missing(ConfigOverride o, Map<String, String> origin) {
        Set<String> keys = new LinkedHashSet<>(origin.keySet());
        for (String k : origin.keySet()) {
            for (int i = k.indexOf('.'); i > 0; i = k.indexOf('.', i + 1)) {
                keys.add(k.substring(0, i));
            }
        }
        return new ConfigError("'" + o.text() + "': key '" + o.key() + "' is not in the config"
                + Suggest.hint(o.key(), keys) + (o.kind() == ConfigOverride.Kind.SET ? "; use +" + o.key()
                + "=... to add a new key" : ""));
    }

    /** Resolves ${oc.env:VAR[,default]} from the environment and ${a.b} through Typesafe Config. */
    @SuppressWarnings("unchecked")
    private static void resolve(Map<String, Object> tree, Map<String, String> origin) {
        List<String[]> paths = new ArrayList<>();
        collectInterpolated(tree, new ArrayList<>(), paths);
        if (paths.isEmpty()) {
            return;
        }
        StringBuilder hocon = new StringBuilder();
        renderHocon(tree, hocon);
        Config resolved;
        try {
            resolved = ConfigFactory.parseString(hocon.toString()).resolve();
        } catch (ConfigException e) {
            throw new ConfigError("cannot resolve interpolations: " + e.getMessage()
                    .replaceFirst("^String: \\d+: ", ""), e);
        }
        for (String[] path : paths) {
            Map<String, Object> node = tree;
            for (int i = 0; i < path.length - 1; i++) {
                node = (Map<String, Object>) node.get(path[i]);
            }
            Object v = resolved.getValue(ConfigUtil.joinPath(path)).unwrapped();
            node.put(path[path.length - 1], Yaml.normalize(v, "interpolation"));
        }
    }

    @SuppressWarnings("unchecked")
    private static void collectInterpolated(Object v, List<String> prefix, List<String[]> out) {
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                prefix.add(e.getKey());
                collectInterpolated(e.getValue(), prefix, out);
                prefix.remove(prefix.size() - 1);
            }
        } else if (v instanceof String s && s.contains("${")) {
            out.add(prefix.toArray(new String[0]));
        }
    }

    @SuppressWarnings("unchecked")
    private static void renderHocon(Object v, StringBuilder sb) {
        if (v instanceof Map<?, ?> m) {
            sb.append('{');
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                sb.append(ConfigUtil.quoteString(e.getKey())).append(':');
                renderHocon(e.getValue(), sb);
                sb.append('\n');
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                sb.append(i > 0 ? "," : "");
                renderHocon(l.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof String s) {
            renderString(s, sb);
        } else if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            sb.append(ConfigUtil.quoteString(d.toString()));
        } else {
            sb.append(v == null ? "null" : v.toString());
        }
    }

    /** A string with ${...} parts becomes a HOCON concatenation of quoted text and substitutions. */
    private static void renderString(String s, StringBuilder sb) {
        Matcher env = ENV.matcher(s);
        StringBuilder expanded = new StringBuilder();
        while (env.find()) {
            String val = System.getenv(env.group(1));
            if (val == null) {
                if (env.group(2) == null) {
                    throw new ConfigError("environment variable " + env.group(1) + " is not set (needed by '" + s
                            + "'); set it or give a default: ${oc.env:" + env.group(1) + ",default}");
                }
                val = env.group(2);
            }
            env.appendReplacement(expanded, Matcher.quoteReplacement(val));
        }
        env.appendTail(expanded);
        String t = expanded.toString();
        Matcher m = INTERP.matcher(t);
        int last = 0;
        boolean any = false;
        while (m.find()) {
            if (m.start() > last) {
                sb.append(ConfigUtil.quoteString(t.substring(last, m.start())));
            }
            sb.append("${").append(m.group(1).strip()).append('}');
            last = m.end();
            any = true;
        }
        if (last < t.length() || !any) {
            sb.append(ConfigUtil.quoteString(t.substring(last)));
        }
    }
}

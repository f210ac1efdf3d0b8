package org.sep4j.core.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds a block of a composed config into a typed record, the one place a component declares its
 * fields: YAML keys are the snake_case names of the record components ({@code nFft} ↔
 * {@code n_fft}); a record with a {@code public static R defaults()} method takes missing keys from
 * it, otherwise every key is required; the record's constructor validates. Unknown keys, wrong
 * types, missing keys and rejected values fail with the key path, the file that set it and, for
 * typos, the closest valid key.
 *
 * <p>Supported field types: primitives and their boxes, String, enums (case-insensitive), Path,
 * List of any supported type, double[]/int[]/long[], nested records.
 */
public final class ConfigBinder {

    private ConfigBinder() {
    }

    public static <R extends Record> R bind(Composed config, String path, Class<R> type) {
        Object node = path.isEmpty() ? config.tree() : config.get(path);
        if (node == null && !config.has(path)) {
            node = new LinkedHashMap<String, Object>();
        }
        return bind(node, path, type, config.origin(), defaults(type));
    }

    /** Binds a raw tree (e.g. a section of a run's saved config). */
    public static <R extends Record> R bind(Map<String, Object> node, String path, Class<R> type,
            Map<String, String> origin) {
        return bind(node, path, type, origin, defaults(type));
    }

    /** snake_case of a camelCase component name. */
    public static String key(String component) {
        StringBuilder sb = new StringBuilder();
        for (char c : component.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The YAML keys a record type accepts. */
    public static List<String> keys(Class<? extends Record> type) {
        List<String> out = new ArrayList<>();
        for (RecordComponent rc : type.getRecordComponents()) {
            out.add(key(rc.getName()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <R extends Record> R defaults(Class<R> type) {
        try {
            Method m = type.getMethod("defaults");
            if (Modifier.isStatic(m.getModifiers()) && type.isAssignableFrom(m.getReturnType())) {
                return (R) m.invoke(null);
            }
        } catch (NoSuchMethodException e) {
            return null;
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new ConfigError(type.getSimpleName() + ".defaults() failed: " + e.getCause(), e);
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static <R extends Record> R bind(Object node, String path, Class<R> type, Map<String, String> origin,
            R fallback) {
        if (!(node instanceof Map<?, ?> raw)) {
            throw new ConfigError(where(path, origin) + "expected a mapping for " + type.getSimpleName() + ", found "
                    + describe(node) + from(path, origin));
        }
        Map<String, Object> map = (Map<String, Object>) raw;
        RecordComponent[] comps = type.getRecordComponents();
        List<String> known = keys(type);
        for (String k : map.keySet()) {
            if (!known.contains(k)) {
                String full = join(path, k);
                throw new ConfigError("unknown key '" + full + "'" + from(full, origin) + Suggest.hint(k, known)
                        + "; valid keys under " + (path.isEmpty() ? "the root" : "'" + path + "'") + ": "
                        + String.join(", ", known));
            }
        }
        Object[] args = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            RecordComponent rc = comps[i];
            types[i] = rc.getType();
            String k = key(rc.getName());
            String full = join(path, k);
            Object fallbackValue = null;
            if (fallback != null) {
                try {
                    fallbackValue = rc.getAccessor().invoke(fallback);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new ConfigError("cannot read default of " + full + ": " + e.getCause(), e);
                }
            }
            if (!map.containsKey(k)) {
                if (fallback == null) {
                    throw new ConfigError(full + ": required key is missing (no default); add it to the config or "
                            + "pass +" + full + "=...");
                }
                args[i] = fallbackValue;
                continue;
            }
            args[i] = convert(map.get(k), rc.getGenericType(), full, origin, fallbackValue);
        }
        try {
            Constructor<R> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigError ce) {
                throw ce;
            }
            throw new ConfigError((path.isEmpty() ? "config" : path) + ": " + cause.getMessage()
                    + fromAny(path, origin), cause);
        } catch (ReflectiveOperationException e) {
            throw new ConfigError("cannot build " + type.getSimpleName() + ": " + e, e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(Object v, Type type, String path, Map<String, String> origin, Object fallback) {
        Class<?> raw = type instanceof Class<?> c ? c : (Class<?>) ((ParameterizedType) type).getRawType();
        if (v == null) {
            if (raw.isPrimitive()) {
                throw new ConfigError(path + ": must not be null" + from(path, origin));
            }
            return null;
        }
        if (raw == String.class) {
            if (v instanceof Map || v instanceof List) {
                throw typeError(path, "a string", v, origin);
            }
            return v.toString();
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            if (v instanceof Long l || v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
                long x = v instanceof Long l2 ? l2 : (long) (double) (Double) v;
                if ((raw == int.class || raw == Integer.class) && (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE)) {
                    throw new ConfigError(path + ": " + x + " does not fit an int" + from(path, origin));
                }
                return raw == int.class || raw == Integer.class ? (Object) (int) x : (Object) x;
            }
            throw typeError(path, "an integer", v, origin);
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            if (v instanceof Number n) {
                return raw == float.class || raw == Float.class ? (Object) n.floatValue() : (Object) n.doubleValue();
            }
            if (v instanceof String s) {
                try {
                    double d = Double.parseDouble(s);
                    return raw == float.class || raw == Float.class ? (Object) (float) d : (Object) d;
                } catch (NumberFormatException e) {
                    throw typeError(path, "a number", v, origin);
                }
            }
            throw typeError(path, "a number", v, origin);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (v instanceof Boolean) {
                return v;
            }
            throw typeError(path, "true or false", v, origin);
        }
        if (raw.isEnum()) {
            String s = v.toString().toUpperCase(Locale.ROOT).replace('-', '_');
            List<String> names = new ArrayList<>();
            for (Object c : raw.getEnumConstants()) {
                names.add(((Enum<?>) c).name().toLowerCase(Locale.ROOT));
                if (((Enum<?>) c).name().equals(s)) {
                    return c;
                }
            }
            throw new ConfigError(path + ": '" + v + "' is not one of " + names + from(path, origin)
                    + Suggest.hint(v.toString().toLowerCase(Locale.ROOT), names));
        }
        if (raw == Path.class) {
            if (v instanceof Map || v instanceof List) {
                throw typeError(path, "a path", v, origin);
            }
            return Path.of(v.toString());
        }
        if (raw == List.class) {
            if (!(v instanceof List<?> l)) {
                throw typeError(path, "a list", v, origin);
            }
            Type elem = type instanceof ParameterizedType pt ? pt.getActualTypeArguments()[0] : Object.class;
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                out.add(elem == Object.class ? l.get(i) : convert(l.get(i), elem, path + "[" + i + "]", origin, null));
            }
            return List.copyOf(out);
        }
        if (raw == double[].class || raw == int[].class || raw == long[].class) {
            if (!(v instanceof List<?> l)) {
                throw typeError(path, "a list of numbers", v, origin);
            }
            Class<?> comp = raw.getComponentType();
            Object arr = java.lang.reflect.Array.newInstance(comp, l.size());
            for (int i = 0; i < l.size(); i++) {
                java.lang.reflect.Array.set(arr, i, convert(l.get(i), comp, path + "[" + i + "]", origin, null));
            }
            return arr;
        }
        if (raw.isRecord()) {
            Record fb = fallback instanceof Record r ? r : defaults((Class) raw);
            return bind(v, path, (Class) raw, origin, fb);
        }
        if (raw == Object.class) {
            return v;
        }
        throw new ConfigError(path + ": unsupported config field type " + raw.getSimpleName());
    }

    private static ConfigError typeError(String path, String expected, Object v, Map<String, String> origin) {
        return new ConfigError(path + ": expected " + expected + ", found " + describe(v) + from(path, origin));
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        return v.toString();
    }

    private static String join(String path, String k) {
        return path.isEmpty() ? k : path + "." + k;
    }

    private static String where(String path, Map<String, String> origin) {
        return path.isEmpty() ? "" : path + ": ";
    }

    private static String from(String path, Map<String, String> origin) {
        String o = origin.get(path);
        return o == null ? fromAny(path, origin) : " (set in " + o + ")";
    }

    /** The origin of the first leaf under a path, for errors about a whole block. */
    private static String fromAny(String path, Map<String, String> origin) {
        for (Map.Entry<String, String> e : origin.entrySet()) {
            if (path.isEmpty() || e.getKey().startsWith(path + ".") || e.getKey().equals(path)) {
                return " (set in " + e.getValue() + ")";
            }
        }
        return "";
    }
}

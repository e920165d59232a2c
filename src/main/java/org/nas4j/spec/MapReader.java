package org.nas4j.spec;

import java.util.Collection;
import java.util.List;
import org.nas4j.space.Suggest;

/**
 * Reads the fields of one YAML mapping with their types and ranges, reporting unknown fields
 * (with the nearest valid name), wrong types and out-of-range values as positioned errors. A
 * getter returns the default when the field is absent or wrong, so reading goes on and every
 * error of a file is found.
 */
final class MapReader {
    private final YNode.Mapping map;
    private final Diagnostics diag;
    private final String where;

    /**
     * Reads {@code map}, whose fields must be in {@code allowed}; {@code where} is its path in
     * the spec ("data", "training.optimizer"), empty for the top level.
     */
    MapReader(YNode.Mapping map, Diagnostics diag, String where, Collection<String> allowed) {
        this.map = map;
        this.diag = diag;
        this.where = where;
        for (YNode.Entry e : map.entries().values()) {
            if (!allowed.contains(e.key())) {
                diag.error(e.keyPos(), "unknown field '" + e.key() + "' in " + (where.isEmpty() ? "the spec" : where),
                        Suggest.hint(e.key(), allowed));
            }
        }
    }

    /** The path of a field, for messages. */
    private String path(String name) {
        return where.isEmpty() ? name : where + "." + name;
    }

    /** Expects a mapping; records an error and returns null otherwise. */
    static YNode.Mapping expectMapping(YNode node, Diagnostics diag, String what) {
        if (node instanceof YNode.Mapping m) {
            return m;
        }
        diag.error(node.pos(), what + " must be a mapping, got " + node.kindName());
        return null;
    }

    /** The raw value of a field, or null. */
    YNode node(String name) {
        return map.get(name);
    }

    /** Whether the field is present. */
    boolean has(String name) {
        return map.get(name) != null;
    }

    /** A whole number of at least {@code min}. */
    Integer integer(String name, long min, Integer dflt) {
        YNode n = map.get(name);
        if (n == null) {
            return dflt;
        }
        Long v = integerValue(n, path(name), diag);
        if (v == null) {
            return dflt;
        }
        if (v < min || v > Integer.MAX_VALUE) {
            diag.error(n.pos(), path(name) + " must be " + (v < min ? "at least " + min : "at most " + Integer.MAX_VALUE) + ", got " + v);
            return dflt;
        }
        return v.intValue();
    }

    /** A whole number of at least {@code min}, as a long. */
    Long longInteger(String name, long min) {
        YNode n = map.get(name);
        if (n == null) {
            return null;
        }
        Long v = integerValue(n, path(name), diag);
        if (v != null && v < min) {
            diag.error(n.pos(), path(name) + " must be at least " + min + ", got " + v);
            return null;
        }
        return v;
    }

    /** A real number from {@code min} (inclusive or not) to {@code max} (inclusive). */
    Double number(String name, double min, boolean minInclusive, double max, Double dflt) {
        YNode n = map.get(name);
        if (n == null) {
            return dflt;
        }
        Double v = numberValue(n, path(name), diag);
        if (v == null) {
            return dflt;
        }
        if (!((minInclusive ? v >= min : v > min) && v <= max)) {
            diag.error(n.pos(), path(name) + " must be in " + (minInclusive ? "[" : "(") + fmt(min) + ", " + fmt(max) + "], got " + fmt(v));
            return dflt;
        }
        return v;
    }

    /** A boolean. */
    Boolean bool(String name, Boolean dflt) {
        YNode n = map.get(name);
        if (n == null) {
            return dflt;
        }
        if (n instanceof YNode.Scalar s && s.type() == YNode.ScalarType.BOOL) {
            return Boolean.parseBoolean(s.text().toLowerCase(java.util.Locale.ROOT));
        }
        diag.error(n.pos(), path(name) + " must be true or false, got " + n.kindName());
        return dflt;
    }

    /** A non-empty string. */
    String string(String name, String dflt) {
        YNode n = map.get(name);
        if (n == null) {
            return dflt;
        }
        if (n instanceof YNode.Scalar s && s.type() != YNode.ScalarType.NULL && !s.text().isEmpty()) {
            return s.text();
        }
        diag.error(n.pos(), path(name) + " must be a non-empty text, got " + n.kindName());
        return dflt;
    }

    /** One of a fixed set of words. */
    String oneOf(String name, List<String> options, String dflt) {
        String v = string(name, null);
        if (v == null) {
            return dflt;
        }
        if (!options.contains(v)) {
            diag.error(map.get(name).pos(), "unknown " + path(name) + " '" + v + "'", Suggest.hint(v, options));
            return dflt;
        }
        return v;
    }

    /** A nested mapping, or null when absent or not a mapping (then an error is recorded). */
    YNode.Mapping mapping(String name) {
        YNode n = map.get(name);
        return n == null ? null : expectMapping(n, diag, path(name));
    }

    /** A number without a needless ".0". */
    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** An integer scalar's value (YAML 1.2 core: decimal, 0o octal, 0x hex), or null with an error recorded. */
    static Long integerValue(YNode n, String what, Diagnostics diag) {
        if (n instanceof YNode.Scalar s && s.type() == YNode.ScalarType.INT) {
            String t = s.text();
            try {
                if (t.startsWith("0x")) {
                    return Long.parseLong(t.substring(2), 16);
                } else if (t.startsWith("0o")) {
                    return Long.parseLong(t.substring(2), 8);
                }
                return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
            } catch (NumberFormatException e) {
                diag.error(n.pos(), what + " is too large: " + t);
                return null;
            }
        }
        diag.error(n.pos(), what + " must be a whole number, got " + n.kindName());
        return null;
    }

    /** A numeric scalar's value (whole or not), or null with an error recorded. */
    static Double numberValue(YNode n, String what, Diagnostics diag) {
        if (n instanceof YNode.Scalar s && s.type() == YNode.ScalarType.INT) {
            Long v = integerValue(n, what, diag);
            return v == null ? null : v.doubleValue();
        }
        if (n instanceof YNode.Scalar s && s.type() == YNode.ScalarType.FLOAT) {
            String t = s.text().toLowerCase(java.util.Locale.ROOT);
            if (t.contains("inf") || t.contains("nan")) {
                diag.error(n.pos(), what + " must be a finite number, got " + s.text());
                return null;
            }
            return Double.parseDouble(t);
        }
        diag.error(n.pos(), what + " must be a number, got " + n.kindName());
        return null;
    }
}

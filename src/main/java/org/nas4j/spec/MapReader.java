package org.nas4j.spec;

import java.util.Collection;
import java.util.List;

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

    /** Reads {@code map}, described as {@code where} in messages, whose fields must be in {@code allowed}. */
    MapReader(YNode.Mapping map, Diagnostics diag, String where, Collection<String> allowed) {
        this.map = map;
        this.diag = diag;
        this.where = where;
        for (YNode.Entry e : map.entries().values()) {
            if (!allowed.contains(e.key())) {
                diag.error(e.keyPos(), "unknown field '" + e.key() + "' in " + where, Suggest.hint(e.key(), allowed));
            }
        }
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
        Long v = integerValue(n, where + "." + name, diag);
        if (v == null) {
            return dflt;
        }
        if (v < min || v > Integer.MAX_VALUE) {
            diag.error(n.pos(), where + "." + name + " must be " + (v < min ? "at least " + min : "at most " + Integer.MAX_VALUE) + ", got " + v);
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
        Long v = integerValue(n, where + "." + name, diag);
        if (v != null && v < min) {
            diag.error(n.pos(), where + "." + name + " must be at least " + min + ", got " + v);
            return null;
        }
        return v;
    }

    /** A real number in {@code (minExclusive, max]}. */
    Double number(String name, double minExclusive, double max, Double dflt) {
        YNode n = map.get(name);
        if (n == null) {
            return dflt;
        }
        Double v = numberValue(n, where + "." + name, diag);
        if (v == null) {
            return dflt;
        }
        if (!(v > minExclusive && v <= max)) {
            diag.error(n.pos(), where + "." + name + " must be greater than " + minExclusive
                    + (Double.isInfinite(max) ? "" : " and at most " + max) + ", got " + v);
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
        diag.error(n.pos(), where + "." + name + " must be true or false, got " + n.kindName());
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
        diag.error(n.pos(), where + "." + name + " must be a non-empty text, got " + n.kindName());
        return dflt;
    }

    /** One of a fixed set of words. */
    String oneOf(String name, List<String> options, String dflt) {
        String v = string(name, null);
        if (v == null) {
            return dflt;
        }
        if (!options.contains(v)) {
            diag.error(map.get(name).pos(), "unknown " + where + "." + name + " '" + v + "'", Suggest.hint(v, options));
            return dflt;
        }
        return v;
    }

    /** A nested mapping, or null when absent or not a mapping (then an error is recorded). */
    YNode.Mapping mapping(String name) {
        YNode n = map.get(name);
        return n == null ? null : expectMapping(n, diag, where + "." + name);
    }

    /** An integer scalar's value, or null with an error recorded. */
    static Long integerValue(YNode n, String what, Diagnostics diag) {
        if (n instanceof YNode.Scalar s && s.type() == YNode.ScalarType.INT) {
            try {
                return Long.decode(s.text().replace("0o", "0").replace("+", ""));
            } catch (NumberFormatException e) {
                diag.error(n.pos(), what + " is too large: " + s.text());
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

package org.nas4j.spec;

/**
 * One field of an op: its type, its default (null when the field is required) and the smallest
 * and largest values it accepts (the largest is exclusive when {@code maxExclusive}).
 */
public record FieldDef(String name, FieldType type, Object defaultValue, boolean required,
                       double min, double max, boolean maxExclusive) {

    /** A required whole number of at least {@code min}. */
    public static FieldDef requiredInt(String name, int min) {
        return new FieldDef(name, FieldType.INT, null, true, min, Double.POSITIVE_INFINITY, false);
    }

    /** An optional whole number of at least {@code min}; a null default means "derived from other fields". */
    public static FieldDef optionalInt(String name, int min, Integer defaultValue) {
        return new FieldDef(name, FieldType.INT, defaultValue, false, min, Double.POSITIVE_INFINITY, false);
    }

    /** An optional boolean. */
    public static FieldDef bool(String name, boolean defaultValue) {
        return new FieldDef(name, FieldType.BOOL, defaultValue, false, 0, 0, false);
    }

    /** A padding: a whole number of at least 0 or {@code same}. */
    public static FieldDef padding() {
        return new FieldDef("padding", FieldType.INT_OR_SAME, 0, false, 0, Double.POSITIVE_INFINITY, false);
    }

    /** A rate in [0, 1). */
    public static FieldDef rate(String name, double defaultValue) {
        return new FieldDef(name, FieldType.FLOAT, defaultValue, false, 0, 1, true);
    }

    /** Why a number is out of range for this field, or null when it is fine. */
    public String rangeProblem(double value) {
        boolean tooBig = maxExclusive ? value >= max : value > max;
        if (value >= min && !tooBig) {
            return null;
        }
        if (Double.isInfinite(max)) {
            return name + " must be at least " + fmt(min) + ", got " + fmt(value);
        }
        return name + " must be in [" + fmt(min) + ", " + fmt(max) + (maxExclusive ? ")" : "]") + ", got " + fmt(value);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Double.toString(v);
    }
}

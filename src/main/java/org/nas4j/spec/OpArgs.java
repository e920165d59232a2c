package org.nas4j.spec;

import java.util.Map;

/** The resolved field values of one op use: every field present, defaults filled in. */
public record OpArgs(Map<String, Object> values) {

    /** A whole-number field. */
    public int integer(String name) {
        return ((Number) values.get(name)).intValue();
    }

    /** A real-number field. */
    public double number(String name) {
        return ((Number) values.get(name)).doubleValue();
    }

    /** A boolean field. */
    public boolean bool(String name) {
        return (Boolean) values.get(name);
    }

    /** Whether a field holds the word {@code same}. */
    public boolean isSame(String name) {
        return "same".equals(values.get(name));
    }

    /** Whether a field has a value (false for a derived default, such as a pool's stride). */
    public boolean has(String name) {
        return values.get(name) != null;
    }
}

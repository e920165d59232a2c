package org.nas4j.space;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One architecture of a space: a value for each decision, by key. Immutable and compared by
 * value, so it can key a set or a map. A layer choice holds the chosen candidate's name, an input
 * choice the list of chosen inputs, a value choice its number, a depth choice its integer:
 * {@link Architectures} reads and writes the one JSON form.
 */
public final class Architecture {
    private final SortedMap<String, Object> values;
    /**
     * Mixed in key order: a map's own hash sums key ^ value per entry, so architectures that
     * permute the same few values collide (NAS-Bench-Macro's 6,561 fell into a few hundred buckets).
     */
    private final int hash;

    private Architecture(SortedMap<String, Object> values) {
        this.values = Collections.unmodifiableSortedMap(values);
        int h = 1;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            h = 31 * (31 * h + e.getKey().hashCode()) + java.util.Objects.hashCode(e.getValue());
        }
        this.hash = h;
    }

    /** An architecture of these values by key (lists are copied). */
    public static Architecture of(Map<String, ?> values) {
        SortedMap<String, Object> copy = new TreeMap<>();
        values.forEach((k, v) -> copy.put(k, v instanceof List<?> l ? List.copyOf(l) : v));
        return new Architecture(copy);
    }

    /** The keys it gives a value for, sorted. */
    public Set<String> keys() {
        return values.keySet();
    }

    /** The value of a key (null when it has none), in the form its decision takes. */
    public Object get(String key) {
        return values.get(key);
    }

    /** The candidate a layer choice chose. */
    public String layer(String key) {
        return (String) require(key);
    }

    /** The inputs an input choice chose, in the order of its {@code from}. */
    public List<String> inputs(String key) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) require(key)) {
            out.add((String) o);
        }
        return out;
    }

    /** The number a value choice chose. */
    public Number value(String key) {
        return (Number) require(key);
    }

    /** The depth a depth choice chose. */
    public int depth(String key) {
        return ((Number) require(key)).intValue();
    }

    /** The same architecture with one decision changed. */
    public Architecture with(String key, Object value) {
        SortedMap<String, Object> copy = new TreeMap<>(values);
        copy.put(key, value instanceof List<?> l ? List.copyOf(l) : value);
        return new Architecture(copy);
    }

    /** The values by key, read-only (for code that walks every decision, as the shape checker does). */
    public Map<String, Object> asMap() {
        return values;
    }

    private Object require(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("the architecture has no value for '" + key + "'");
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Architecture a && values.equals(a.values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** {key=value, ...}, as printed in progress lines. */
    @Override
    public String toString() {
        return values.toString();
    }
}

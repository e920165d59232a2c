package org.nas4j.spec;

import java.util.Map;
import java.util.TreeMap;

/**
 * The shapes still to be read and the decisions still to be honoured. Its hash mixes the
 * entries in key order: Map's own hash (a sum of key-xor-value) collides badly here.
 */
final class WalkState {
    private final Map<Integer, SampleShape> shapes;
    private final Map<String, Object> keys;
    private final int hash;

WalkState(Map<Integer, SampleShape> shapes, Map<String, Object> keys) {
        this.shapes = new TreeMap<>(shapes);
        this.keys = new TreeMap<>(keys);
        int h = 1;
        for (Map.Entry<Integer, SampleShape> e : this.shapes.entrySet()) {
            h = 31 * (31 * h + e.getKey()) + e.getValue().hashCode();
        }
        for (Map.Entry<String, Object> e : this.keys.entrySet()) {
            h = 31 * (31 * h + e.getKey().hashCode()) + e.getValue().hashCode();
        }
        this.hash = h;
    }

    Map<Integer, SampleShape> shapes() {
        return shapes;
    }

    Map<String, Object> keys() {
        return keys;
    }

    /** Equal when the shapes and the decisions are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof WalkState other && hash == other.hash && shapes.equals(other.shapes) && keys.equals(other.keys);
    }

    /** The hash mixed in key order, computed once. */
    @Override
    public int hashCode() {
        return hash;
    }
}

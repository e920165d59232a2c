package org.nas4j.supernet;

import java.util.HashMap;
import java.util.Map;

/**
 * The decisions the choice blocks of a supernet follow in the next forward passes: a strategy
 * sets them (one sampled path per batch, say); nodes sharing a key read one value. Values are as
 * in an architecture file: a candidate name, a list of chosen input names, a number, a depth.
 */
public final class Choices {
    private final Map<String, Object> current = new HashMap<>();

    /** Follows this architecture from now on. */
    public void use(Map<String, Object> architecture) {
        current.clear();
        current.putAll(architecture);
    }

    /** The value decided for a key; an error when the strategy did not decide it. */
    Object get(String key) {
        Object v = current.get(key);
        if (v == null) {
            throw new IllegalStateException("no decision for key '" + key + "' was set before the forward pass");
        }
        return v;
    }
}

package org.nas4j.supernet;

import ai.djl.ndarray.NDArray;
import java.util.HashMap;
import java.util.Map;

/**
 * The decisions the choice blocks of a supernet follow in the next forward passes: a strategy
 * sets them (one sampled path per batch, say); nodes sharing a key read one value. Values are as
 * in an architecture file: a candidate name, a list of chosen input names, a number, a depth.
 * In mixture mode (DARTS) every candidate runs instead, weighted by a probability per option of
 * each key, and input choices take all their inputs.
 */
public final class Choices {
    private final Map<String, Object> current = new HashMap<>();
    private Map<String, Map<Object, NDArray>> weights;

    /** Follows this architecture (single path) from now on. */
    public void use(Map<String, Object> architecture) {
        weights = null;
        current.clear();
        current.putAll(architecture);
    }

    /**
     * Mixes every candidate from now on: {@code weights} holds, per key of a layer, value or depth
     * choice, a scalar weight per option (candidate name, value or depth); options left out are skipped.
     */
    public void mix(Map<String, Map<Object, NDArray>> weights) {
        current.clear();
        this.weights = weights;
    }

    /** Whether the steps run in mixture mode. */
    boolean mixture() {
        return weights != null;
    }

    /** Whether a key has weights in mixture mode (input choices have them only under ProxylessNAS's gates). */
    boolean weighted(String key) {
        return weights.containsKey(key);
    }

    /**
     * The weight of one option of a key in mixture mode, or null when the key's weights leave the
     * option out: it is then not computed at all (ProxylessNAS's binary gates run two candidates).
     */
    NDArray weight(String key, Object option) {
        Map<Object, NDArray> w = weights.get(key);
        if (w == null) {
            throw new IllegalStateException("no mixture weights for " + key + " were set before the forward pass");
        }
        return w.get(option);
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

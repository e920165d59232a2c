package org.nas4j.space;

import java.math.BigInteger;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every decision of a spec, sorted by key (what an architecture file must give a value for), and
 * the network's nodes in the order they run with the decisions each takes: what a strategy that
 * walks the network (ENAS's controller) or weighs its edges (DARTS) needs, without the spec.
 */
public record SearchSpace(SortedMap<String, Decision> decisions, List<NetworkNode> network) {

    /** The id under which a network node's inputs name the model's input. */
    public static final String MODEL_INPUT = "input";

    /**
     * One node of the network: its id, the keys of the decisions it takes (in the order its
     * fields name them), and, for an input choice, the ids of the nodes feeding its candidates
     * (in the order of the decision's {@code from}).
     */
    public record NetworkNode(String id, List<String> keys, List<String> inputs) {
        /** A node, its lists copied. */
        public NetworkNode {
            keys = List.copyOf(keys);
            inputs = List.copyOf(inputs);
        }
    }

    /** A space over these decisions and network. */
    public SearchSpace {
        decisions = Collections.unmodifiableSortedMap(new TreeMap<>(decisions));
        network = List.copyOf(network);
    }

    /** A space over these decisions, with no network described (hand-built spaces). */
    public SearchSpace(SortedMap<String, Decision> decisions) {
        this(decisions, List.of());
    }

    /** The network node of that id, or null. */
    public NetworkNode node(String id) {
        return network.stream().filter(n -> n.id().equals(id)).findFirst().orElse(null);
    }

    /** The layer choice taken at node {@code id}, or null when none is. */
    public Decision.LayerChoice layerChoiceAt(String id) {
        NetworkNode n = node(id);
        if (n == null) {
            return null;
        }
        return n.keys().stream().map(decisions::get).filter(Decision.LayerChoice.class::isInstance).map(Decision.LayerChoice.class::cast)
                .findFirst().orElse(null);
    }

    /** The number of distinct architecture files: the product of every decision's count. */
    public BigInteger size() {
        return decisions.values().stream().map(Decision::count).reduce(BigInteger.ONE, BigInteger::multiply);
    }
}

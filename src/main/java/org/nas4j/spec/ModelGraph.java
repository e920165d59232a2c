package org.nas4j.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's nodes as the shape check walks them: which nodes each node reads, after which node
 * a node's output or a decision is no longer needed, which nodes every child runs, and how
 * messages name a node.
 */
final class ModelGraph {
    /** The index that stands for the model's input in {@link #reads}. */
    static final int MODEL_INPUT = -1;

    private final List<Node> nodes;
    private final Map<String, Integer> indexOf = new HashMap<>();
    /** Per node (shifted by one for {@link #MODEL_INPUT}), the last node that reads it. */
    private final int[] lastUse;
    private final Map<String, Integer> lastKeyUse = new HashMap<>();
    /**
     * Whether every child runs the node: false for nodes reached only through input choices
     * (DARTS's edges), which a child leaves out when its choice does not take them.
     */
    private final boolean[] required;
    /** The depths of each depth decision, for nodes guarded by one. */
    private final Map<String, List<Integer>> depthChoices = new HashMap<>();

    ModelGraph(List<Node> nodes) {
        this.nodes = nodes;
        this.lastUse = new int[nodes.size() + 1];
        for (int i = 0; i < nodes.size(); i++) {
            indexOf.put(nodes.get(i).id(), i);
            if (nodes.get(i) instanceof Node.DepthSelectNode ds) {
                depthChoices.put(ds.key(), ds.depths());
            }
        }
        Arrays.fill(lastUse, Integer.MIN_VALUE);
        for (int i = 0; i < nodes.size(); i++) {
            for (int j : reads(i)) {
                lastUse[j + 1] = Math.max(lastUse[j + 1], i);
            }
            for (String key : keysOf(nodes.get(i))) {
                lastKeyUse.merge(key, i, Math::max);
            }
        }
        lastUse[nodes.size()] = Integer.MAX_VALUE; // the last node is the model's output
        required = new boolean[nodes.size()];
        required[nodes.size() - 1] = true;
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (required[i] && !(nodes.get(i) instanceof Node.InputChoiceNode)) {
                reads(i).stream().filter(j -> j >= 0).forEach(j -> required[j] = true);
            }
        }
    }

    /** The number of nodes. */
    int size() {
        return nodes.size();
    }

    /** Node {@code i}. */
    Node node(int i) {
        return nodes.get(i);
    }

    /** The last node that reads node {@code j}'s output ({@link #MODEL_INPUT} for the model's input). */
    int lastUse(int j) {
        return lastUse[j + 1];
    }

    /** The last node that decides or depends on {@code key}, or -1. */
    int lastKeyUse(String key) {
        return lastKeyUse.getOrDefault(key, -1);
    }

    /** Whether every child runs node {@code i}. */
    boolean required(int i) {
        return required[i];
    }

    /** The depths a depth decision may take. */
    List<Integer> depthsOf(String key) {
        return depthChoices.get(key);
    }

    /** Whether some node runs only in the children whose input choices take it. */
    boolean hasOptionalNodes() {
        for (int i = 0; i < nodes.size(); i++) {
            if (!required[i] && !(nodes.get(i) instanceof Node.InputChoiceNode)) {
                return true;
            }
        }
        return false;
    }

    /** The indices of the nodes node {@code i} reads ({@link #MODEL_INPUT} for the model's input). */
    List<Integer> reads(int i) {
        List<Ref> refs = nodes.get(i).inputs();
        if (refs.isEmpty()) {
            return List.of(i - 1);
        }
        return refs.stream().map(r -> r.id().equals(Ref.MODEL_INPUT) ? MODEL_INPUT : indexOf.get(r.id())).toList();
    }

    /** The index of the node a reference names ({@link #MODEL_INPUT} for the model's input). */
    int indexOf(Ref r) {
        return r.id().equals(Ref.MODEL_INPUT) ? MODEL_INPUT : indexOf.get(r.id());
    }

    /** How messages name the node at index {@code j}: its id, or its line when it has none. */
    String nameOf(int j) {
        if (j == MODEL_INPUT) {
            return Ref.MODEL_INPUT;
        }
        Node n = nodes.get(j);
        return n.anonymous() ? "line " + n.pos().line() : n.id();
    }

    /** "node 'ID': ", how an error inside a node starts; nothing for a node without an id (its position says where). */
    static String named(Node node) {
        return node.anonymous() ? "" : "node '" + node.id() + "': ";
    }

    /** The keys a node decides or depends on (its own decisions and the depths that guard it). */
    private static List<String> keysOf(Node node) {
        List<String> keys = new ArrayList<>(ownKeys(node));
        node.guards().forEach(g -> keys.add(g.key()));
        return keys;
    }

    private static List<String> ownKeys(Node node) {
        if (node instanceof Node.LayerChoiceNode lc) {
            return List.of(lc.key());
        } else if (node instanceof Node.InputChoiceNode ic) {
            return List.of(ic.key());
        } else if (node instanceof Node.DepthSelectNode ds) {
            return List.of(ds.key());
        } else if (!(node instanceof Node.OpNode)) {
            return List.of();
        }
        return ((Node.OpNode) node).op().fields().values().stream()
                .filter(FieldValue.Choice.class::isInstance).map(v -> ((FieldValue.Choice) v).key()).toList();
    }
}

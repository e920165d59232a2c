package org.nas4j.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.nas4j.space.Decision;
import org.nas4j.space.SearchSpace;
import org.nas4j.spec.FieldValue;
import org.nas4j.spec.Node;
import org.nas4j.spec.OpUse;
import org.nas4j.spec.Ref;
import org.nas4j.spec.Spec;

/**
 * Draws a spec's supernet in Graphviz DOT: ops as boxes, each layer choice as a cluster of its
 * candidates, input choices as diamonds fed by dashed edges, block uses as clusters of their
 * nodes. Decisions shared by several nodes are filled with one colour per key and say so.
 */
public final class SupernetDot {
    private static final String[] SHARED_COLOURS = {"#fde68a", "#bfdbfe", "#c7f9cc", "#fbcfe8", "#ddd6fe", "#fed7aa", "#a5f3fc"};

    private final Spec spec;
    private final Map<String, String> colourOfKey = new HashMap<>();
    private final StringBuilder out = new StringBuilder();

    private SupernetDot(Spec spec, SearchSpace space) {
        this.spec = spec;
        int next = 0;
        for (Decision d : space.decisions().values()) {
            if (d.nodes().size() > 1) {
                colourOfKey.put(d.key(), SHARED_COLOURS[next++ % SHARED_COLOURS.length]);
            }
        }
    }

    /** Writes the DOT text of a checked spec's supernet. */
    public static void write(Spec spec, SearchSpace space, PrintWriter writer) {
        SupernetDot dot = new SupernetDot(spec, space);
        writer.print(dot.render());
        writer.flush();
    }

    /** A cluster of nodes: a block use, named by the path of ids it lies in. */
    private static final class Cluster {
        final List<Node> nodes = new ArrayList<>();
        final Map<String, Cluster> children = new LinkedHashMap<>();
    }

    private String render() {
        out.append("digraph supernet {\n");
        out.append("  label=").append(quote(spec.name() + ": the supernet")).append(";\n");
        out.append("  rankdir=TB; fontname=\"Helvetica\"; node [fontname=\"Helvetica\", fontsize=10]; edge [color=\"#555555\"];\n");
        out.append("  input [label=").append(quote("input " + spec.input())).append(", shape=oval];\n");
        Cluster root = new Cluster();
        for (Node n : spec.model()) {
            String[] parts = n.id().split("/");
            Cluster c = root;
            for (int i = 0; i < parts.length - 1; i++) {
                c = c.children.computeIfAbsent(parts[i], k -> new Cluster());
            }
            c.nodes.add(n);
        }
        writeCluster(root, "", "  ");
        for (Node n : spec.model()) {
            edges(n);
        }
        out.append("}\n");
        return out.toString();
    }

    private void writeCluster(Cluster c, String path, String indent) {
        for (Node n : c.nodes) {
            node(n, indent);
        }
        for (Map.Entry<String, Cluster> e : c.children.entrySet()) {
            String childPath = path + e.getKey() + "/";
            out.append(indent).append("subgraph ").append(quote("cluster_" + childPath)).append(" {\n");
            out.append(indent).append("  label=").append(quote(e.getKey())).append("; style=rounded; color=\"#999999\";\n");
            writeCluster(e.getValue(), childPath, indent + "  ");
            out.append(indent).append("}\n");
        }
    }

    private void node(Node n, String indent) {
        if (n instanceof Node.OpNode op) {
            boolean merge = op.op().def().merge();
            String name = n.anonymous() ? "" : n.id().substring(n.id().lastIndexOf('/') + 1) + "\\n";
            out.append(indent).append(quote(n.id())).append(" [label=").append(quote(name + describe(op.op())))
                    .append(merge ? ", shape=circle" : ", shape=box").append(fill(keysOf(op.op()))).append("];\n");
        } else if (n instanceof Node.LayerChoiceNode lc) {
            out.append(indent).append("subgraph ").append(quote("cluster_choice_" + n.id())).append(" {\n");
            out.append(indent).append("  label=").append(quote(choiceLabel(n, lc.key()))).append("; style=\"dashed,filled\"; ")
                    .append("fillcolor=").append(quote(colourOfKey.getOrDefault(lc.key(), "#f3f4f6"))).append(";\n");
            for (Node.Candidate c : lc.candidates().values()) {
                String ops = c.nodes().stream().map(o -> describe(o.op())).collect(Collectors.joining("\\n"));
                out.append(indent).append("  ").append(quote(n.id() + "::" + c.name())).append(" [label=")
                        .append(quote(c.name() + "\\n" + ops)).append(", shape=box, style=filled, fillcolor=white];\n");
            }
            out.append(indent).append("  ").append(quote(n.id())).append(" [label=\"\", shape=point];\n");
            out.append(indent).append("}\n");
        } else if (n instanceof Node.InputChoiceNode ic) {
            String how = (ic.nChosen() == null ? "any of " : ic.nChosen() + " of ") + ic.from().size()
                    + ", " + ic.reduction().name().toLowerCase(java.util.Locale.ROOT);
            out.append(indent).append(quote(n.id())).append(" [label=").append(quote(choiceLabel(n, ic.key()) + "\\n" + how))
                    .append(", shape=diamond").append(fill(List.of(ic.key()))).append("];\n");
        } else if (n instanceof Node.DepthSelectNode ds) {
            out.append(indent).append(quote(n.id())).append(" [label=").append(quote(choiceLabel(n, ds.key()) + "\\ndepth " + ds.depths()))
                    .append(", shape=hexagon").append(fill(List.of(ds.key()))).append("];\n");
        }
    }

    private String choiceLabel(Node n, String key) {
        String name = n.id().substring(n.id().lastIndexOf('/') + 1);
        String label = name.equals(key) ? key : name + " (key " + key + ")";
        return colourOfKey.containsKey(key) ? label + ", shared" : label;
    }

    private String fill(List<String> keys) {
        for (String k : keys) {
            if (colourOfKey.containsKey(k)) {
                return ", style=filled, fillcolor=" + quote(colourOfKey.get(k));
            }
        }
        return "";
    }

    private static List<String> keysOf(OpUse use) {
        return use.fields().values().stream().filter(FieldValue.Choice.class::isInstance)
                .map(v -> ((FieldValue.Choice) v).key()).toList();
    }

    private void edges(Node n) {
        boolean dashed = n instanceof Node.InputChoiceNode || n instanceof Node.DepthSelectNode;
        for (Ref r : n.inputs()) {
            if (n instanceof Node.LayerChoiceNode lc) {
                for (Node.Candidate c : lc.candidates().values()) {
                    out.append("  ").append(quote(r.id())).append(" -> ").append(quote(n.id() + "::" + c.name())).append(";\n");
                }
            } else {
                out.append("  ").append(quote(r.id())).append(" -> ").append(quote(n.id()))
                        .append(dashed ? " [style=dashed]" : "").append(";\n");
            }
        }
        if (n instanceof Node.LayerChoiceNode lc) {
            for (Node.Candidate c : lc.candidates().values()) {
                out.append("  ").append(quote(n.id() + "::" + c.name())).append(" -> ").append(quote(n.id())).append(" [arrowhead=none];\n");
            }
        }
    }

    /** An op in a few words: "conv2d 32 3x3 /2" or "linear 10". */
    static String describe(OpUse use) {
        StringBuilder s = new StringBuilder(use.def().specName());
        for (Map.Entry<String, FieldValue> f : use.fields().entrySet()) {
            Object v = f.getValue() instanceof FieldValue.Fixed fixed ? fixed.value()
                    : "{" + ((FieldValue.Choice) f.getValue()).values().stream().map(Object::toString).collect(Collectors.joining(",")) + "}";
            s.append(' ').append(f.getKey()).append('=').append(v);
        }
        return s.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\\\\n", "\\n") + "\"";
    }
}

package org.nas4j.report;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import org.nas4j.space.Decision;
import org.nas4j.space.SearchSpace;

/**
 * Prints a search space's decisions as a tree: keys are split at '/', so the decisions of a
 * scope (a cell shared by several blocks, a repeat's copies) sit under it.
 */
public final class SpaceTree {
    private SpaceTree() {
    }

    /** A branch of the tree: the decision at this path (if any) and the branches below. */
    private static final class Branch {
        Decision decision;
        final Map<String, Branch> children = new TreeMap<>();
    }

    /** Writes the tree, headed by the spec's name and the space size. */
    public static void write(String name, SearchSpace space, PrintWriter out) {
        Branch root = new Branch();
        for (Decision d : space.decisions().values()) {
            Branch b = root;
            for (String part : d.key().split("/")) {
                b = b.children.computeIfAbsent(part, k -> new Branch());
            }
            b.decision = d;
        }
        out.printf("%s: %s architectures, %d decisions%n", name, String.format(java.util.Locale.ROOT, "%,d", space.size()),
                space.decisions().size());
        write(root, "", out);
    }

    private static void write(Branch branch, String indent, PrintWriter out) {
        int i = 0;
        for (Map.Entry<String, Branch> e : branch.children.entrySet()) {
            boolean last = ++i == branch.children.size();
            Branch child = e.getValue();
            String line = indent + (last ? "└─ " : "├─ ") + e.getKey();
            if (child.decision != null) {
                line += "  " + describe(child.decision);
            } else {
                line += "/";
            }
            out.println(line);
            write(child, indent + (last ? "   " : "│  "), out);
        }
    }

    /** A decision in one line: its kind, choices and, when shared, the nodes sharing it. */
    static String describe(Decision d) {
        String choices;
        if (d instanceof Decision.LayerChoice lc) {
            choices = "one of " + String.join(" | ", lc.candidates());
        } else if (d instanceof Decision.InputChoice ic) {
            choices = (ic.nChosen() == null ? "any subset of " : ic.nChosen() + " of ") + ic.from();
        } else if (d instanceof Decision.DepthChoice dc) {
            choices = "depth " + dc.depths();
        } else {
            choices = "one of " + ((Decision.ValueChoice) d).values();
        }
        String shared = d.nodes().size() > 1 ? "  (shared by " + String.join(", ", d.nodes()) + ")" : "";
        return "[" + d.kind() + "] " + choices + shared;
    }
}

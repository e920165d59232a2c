package org.nas4j.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nas4j.space.Decision;
import org.nas4j.space.SearchSpace;

/**
 * Gathers the decisions of a spec's nodes under their keys and checks that the nodes sharing a
 * key agree: same kind, same candidate names, same {@code from} and n-chosen, same values. A
 * mismatch names both places.
 */
public final class DecisionCollector {
    private final Diagnostics diag;
    private final Map<String, Decision> decisions = new LinkedHashMap<>();
    private final Map<String, Pos> firstSite = new LinkedHashMap<>();

    private DecisionCollector(Diagnostics diag) {
        this.diag = diag;
    }

    /** The search space of a parsed model; mismatches between sharing nodes go to {@code diag}. */
    public static SearchSpace collect(List<Node> model, Diagnostics diag) {
        DecisionCollector c = new DecisionCollector(diag);
        List<SearchSpace.NetworkNode> network = new ArrayList<>();
        for (Node node : model) {
            network.add(new SearchSpace.NetworkNode(node.id(), c.visit(node), node instanceof Node.InputChoiceNode ic
                    ? ic.inputs().stream().map(Ref::id).toList() : List.of()));
        }
        return new SearchSpace(new TreeMap<>(c.decisions), network);
    }

    /** Adds the node's decisions and returns their keys. */
    private List<String> visit(Node node) {
        String nodeName = node.anonymous() ? "line " + node.pos().line() : node.id();
        List<Decision> taken = new ArrayList<>();
        if (node instanceof Node.LayerChoiceNode lc) {
            List<String> none = lc.candidates().values().stream().filter(DecisionCollector::computesNothing).map(Node.Candidate::name)
                    .toList();
            taken.add(add(new Decision.LayerChoice(lc.key(), List.copyOf(lc.candidates().keySet()), List.of(nodeName), none), lc.pos()));
        } else if (node instanceof Node.InputChoiceNode ic) {
            taken.add(add(new Decision.InputChoice(ic.key(), ic.from(), ic.nChosen(), List.of(nodeName)), ic.pos()));
        } else if (node instanceof Node.DepthSelectNode ds) {
            taken.add(add(new Decision.DepthChoice(ds.key(), ds.depths(), List.of(nodeName)), ds.pos()));
        } else if (node instanceof Node.OpNode op) {
            for (FieldValue v : op.op().fields().values()) {
                if (v instanceof FieldValue.Choice choice) {
                    taken.add(add(new Decision.ValueChoice(choice.key(), choice.values(), List.of(nodeName)), choice.pos()));
                }
            }
        }
        return taken.stream().map(Decision::key).distinct().toList();
    }

    /** Whether a candidate only outputs zeros (DARTS's "none"). */
    private static boolean computesNothing(Node.Candidate c) {
        return c.nodes().size() == 1 && c.nodes().get(0).op().def() == OpDef.ZERO;
    }

    private Decision add(Decision site, Pos pos) {
        Decision existing = decisions.get(site.key());
        if (existing == null) {
            decisions.put(site.key(), site);
            firstSite.put(site.key(), pos);
            return site;
        }
        String mismatch = mismatch(existing, site);
        if (mismatch != null) {
            Pos first = firstSite.get(site.key());
            diag.error(pos, "key '" + site.key() + "' of " + site.nodes().get(0) + " is shared with " + existing.nodes().get(0)
                    + " at " + first + ", but " + mismatch,
                    site.key().contains("/") ? "block uses with the same scope share every decision, so their choices must agree"
                            : "nodes naming the same key take one decision and must offer the same choices");
            return site;
        }
        List<String> nodes = new ArrayList<>(existing.nodes());
        nodes.addAll(site.nodes());
        decisions.put(site.key(), withNodes(existing, List.copyOf(nodes)));
        return site;
    }

    /** How a new site differs from the decision already under its key, or null when they agree. */
    private static String mismatch(Decision first, Decision site) {
        if (!first.kind().equals(site.kind())) {
            return "it is a " + site.kind() + " here and a " + first.kind() + " there";
        }
        if (first instanceof Decision.LayerChoice a && site instanceof Decision.LayerChoice b
                && !new HashSet<>(a.candidates()).equals(new HashSet<>(b.candidates()))) {
            return "the candidates differ: " + b.candidates() + " here, " + a.candidates() + " there";
        }
        if (first instanceof Decision.InputChoice a && site instanceof Decision.InputChoice b) {
            if (!a.from().equals(b.from())) {
                return "'from' differs: " + b.from() + " here, " + a.from() + " there";
            }
            if (!java.util.Objects.equals(a.nChosen(), b.nChosen())) {
                return "n-chosen differs: " + nChosen(b.nChosen()) + " here, " + nChosen(a.nChosen()) + " there";
            }
        }
        if (first instanceof Decision.DepthChoice a && site instanceof Decision.DepthChoice b && !a.depths().equals(b.depths())) {
            return "the depths differ: " + b.depths() + " here, " + a.depths() + " there";
        }
        if (first instanceof Decision.ValueChoice a && site instanceof Decision.ValueChoice b && !a.values().equals(b.values())) {
            return "the values differ: " + b.values() + " here, " + a.values() + " there";
        }
        return null;
    }

    private static String nChosen(Integer n) {
        return n == null ? "any" : n.toString();
    }

    private static Decision withNodes(Decision d, List<String> nodes) {
        if (d instanceof Decision.LayerChoice lc) {
            return new Decision.LayerChoice(lc.key(), lc.candidates(), nodes, lc.none());
        } else if (d instanceof Decision.InputChoice ic) {
            return new Decision.InputChoice(ic.key(), ic.from(), ic.nChosen(), nodes);
        } else if (d instanceof Decision.DepthChoice dc) {
            return new Decision.DepthChoice(dc.key(), dc.depths(), nodes);
        }
        Decision.ValueChoice vc = (Decision.ValueChoice) d;
        return new Decision.ValueChoice(vc.key(), vc.values(), nodes);
    }
}

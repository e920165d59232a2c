package org.nas4j.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one node can output in one state of the shape check: an option per candidate, value,
 * depth or chosen inputs it may take there, each with its shape, parameters and FLOPs and the
 * decisions it takes. The rules of each kind of node live here (ops through {@link OpDef}'s
 * rules, layer choices through their candidates' small graphs, input choices through their
 * subsets); the errors they meet are kept until the walk decides which state's to report.
 */
final class NodeOptions {
    /** The shape of an input choice that chose nothing. */
    static final SampleShape ABSENT = new SampleShape(List.of());
    /**
     * The shape of a node that could not be worked out (its error is reported): nodes reading it
     * give UNKNOWN too, silently, so that independent errors elsewhere are still found.
     */
    static final SampleShape UNKNOWN = new SampleShape(List.of(-1));
    /** The output of a node in a repeat's copy that the chosen depth leaves out. */
    static final SampleShape INACTIVE = new SampleShape(List.of(-2));

    /** Most subsets of an input choice's inputs that are tried. */
    private static final int MAX_SUBSETS = 10_000;

    /** One way a node can go in a state: its output, parameters, FLOPs and the decisions it takes. */
    record Option(SampleShape out, long params, long flops, Map<String, Object> decided) { }

    /** What a layer choice's candidates give for one input shape, with the errors met; the same in every state. */
    private record CandidateResults(Map<String, Option> results, List<SpecError> errors) { }

    private final ModelGraph graph;
    /** Errors met at the current node in the current state; the walk reports only the first failing state's. */
    private final Set<SpecError> pending = new LinkedHashSet<>();
    /** Per layer-choice node and input shape, what its candidates give. */
    private final Map<Map.Entry<Integer, SampleShape>, CandidateResults> candidateCache = new HashMap<>();

    /** The options of the nodes of {@code graph}. */
    NodeOptions(ModelGraph graph) {
        this.graph = graph;
    }

    /** The nodes these options are of. */
    ModelGraph graph() {
        return graph;
    }

    /** Forgets the errors met so far, before a node is tried in another state. */
    void clearErrors() {
        pending.clear();
    }

    /** The errors met since {@link #clearErrors}. */
    Set<SpecError> errors() {
        return pending;
    }

    /**
     * The options of node {@code i} in state {@code s}, honouring the depth decisions that guard
     * it: where a guarding depth is not yet decided, each depth is tried.
     */
    List<Option> options(int i, WalkState s) {
        Node node = graph.node(i);
        for (Node.Guard g : node.guards()) {
            Object depth = s.keys().get(g.key());
            if (!(depth instanceof Number)) {
                List<Option> all = new ArrayList<>();
                for (Number d : graph.depthsOf(g.key())) {
                    Map<String, Object> keys = new HashMap<>(s.keys());
                    keys.put(g.key(), d);
                    for (Option o : options(i, new WalkState(s.shapes(), keys))) {
                        Map<String, Object> decided = new HashMap<>(o.decided());
                        decided.put(g.key(), d);
                        all.add(new Option(o.out(), o.params(), o.flops(), decided));
                    }
                }
                return all;
            }
            if (((Number) depth).intValue() < g.depth()) {
                return List.of(new Option(INACTIVE, 0, 0, defaults(node, s)));
            }
        }
        return activeOptions(i, s);
    }

    /** The decisions of a node that does not run in this child: its first option for each, so the architecture stays whole. */
    private static Map<String, Object> defaults(Node node, WalkState s) {
        Map<String, Object> d = new HashMap<>();
        if (node instanceof Node.LayerChoiceNode lc) {
            d.put(lc.key(), lc.candidates().keySet().iterator().next());
        } else if (node instanceof Node.InputChoiceNode ic) {
            d.put(ic.key(), ic.nChosen() == null ? List.of() : List.copyOf(ic.from().subList(0, ic.nChosen())));
        } else if (node instanceof Node.DepthSelectNode ds) {
            d.put(ds.key(), ds.depths().get(0));
        } else if (node instanceof Node.OpNode op) {
            op.op().fields().values().stream().filter(FieldValue.Choice.class::isInstance).map(FieldValue.Choice.class::cast)
                    .forEach(c -> d.putIfAbsent(c.key(), c.values().get(0)));
        }
        d.keySet().removeAll(s.keys().keySet());
        return d;
    }

    private List<Option> activeOptions(int i, WalkState s) {
        Node node = graph.node(i);
        if (node instanceof Node.DepthSelectNode ds) {
            return depthOptions(ds, s);
        }
        boolean unknownInput = node instanceof Node.InputChoiceNode
                ? node.inputs().stream().anyMatch(r -> s.shapes().get(graph.indexOf(r)).equals(UNKNOWN))
                : graph.reads(i).stream().anyMatch(j -> s.shapes().get(j).equals(UNKNOWN));
        if (node instanceof Node.InvalidNode || unknownInput) {
            return List.of(new Option(UNKNOWN, 0, 0, Map.of()));
        }
        if (node instanceof Node.OpNode op) {
            return opOptions(i, op, s);
        } else if (node instanceof Node.LayerChoiceNode lc) {
            return layerOptions(i, lc, s);
        }
        return inputOptions((Node.InputChoiceNode) node, s);
    }

    private List<Option> depthOptions(Node.DepthSelectNode node, WalkState s) {
        List<Option> options = new ArrayList<>();
        Object taken = s.keys().get(node.key());
        for (int k = 0; k < node.depths().size(); k++) {
            Integer d = node.depths().get(k);
            if (taken instanceof Number t && t.intValue() != d) {
                continue;
            }
            SampleShape out = s.shapes().get(graph.indexOf(node.inputs().get(k)));
            options.add(new Option(out, 0, 0, taken instanceof Number ? Map.of() : Map.of(node.key(), d)));
        }
        return options;
    }

    /** The shapes a non-merge node reads, or null (with an error) when one can be absent. */
    private SampleShape singleInput(int i, WalkState s) {
        int j = graph.reads(i).get(0);
        SampleShape in = s.shapes().get(j);
        if (in.equals(ABSENT)) {
            error(graph.node(i).pos(), ModelGraph.named(graph.node(i)) + "this node reads '" + graph.nameOf(j)
                    + "', which may choose no input at all", "only add, concat or mean may read a choice that can be empty");
            return null;
        }
        return in;
    }

    private List<Option> opOptions(int i, Node.OpNode node, WalkState s) {
        OpUse use = node.op();
        List<SampleShape> inputs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (use.def().merge()) {
            for (int j : graph.reads(i)) {
                if (!s.shapes().get(j).equals(ABSENT)) {
                    inputs.add(s.shapes().get(j));
                    names.add(graph.nameOf(j));
                }
            }
            if (inputs.isEmpty()) {
                error(node.pos(), ModelGraph.named(node) + "every input of this " + use.def().specName() + " may be absent at once ("
                        + graph.reads(i).stream().map(graph::nameOf).collect(Collectors.joining(", ")) + " may all choose nothing)",
                        "let at least one input always be present");
                return List.of();
            }
        } else {
            SampleShape in = singleInput(i, s);
            if (in == null) {
                return List.of();
            }
            inputs.add(in);
            names.add(graph.nameOf(graph.reads(i).get(0)));
        }
        List<Option> options = new ArrayList<>();
        for (Map<String, Object> values : valueCombinations(use, s)) {
            OpArgs args = use.args(values);
            Map<String, Object> decided = new HashMap<>(values);
            decided.keySet().removeAll(s.keys().keySet());
            try {
                SampleShape out = use.def().shape().apply(inputs, names, args);
                long params = use.def().params().apply(inputs.get(0), args);
                Counts.fits(use.def().specName(), out, params);
                options.add(new Option(out, params, use.def().flops().apply(inputs.get(0), out, args), decided));
            } catch (ShapeException e) {
                error(node.pos(), ModelGraph.named(node) + e.getMessage() + withValues(values), null);
            } catch (ArithmeticException e) {
                error(node.pos(), ModelGraph.named(node) + Counts.tooManyToCount(use.def().specName()) + withValues(values), null);
            }
        }
        return options;
    }

    private static String withValues(Map<String, Object> decided) {
        if (decided.isEmpty()) {
            return "";
        }
        return " (with " + decided.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }

    /**
     * Every assignment of the op's value choices that agrees with the decisions already taken
     * (those are included too, so that the op's fields can be resolved).
     */
    private static List<Map<String, Object>> valueCombinations(OpUse use, WalkState s) {
        List<Map<String, Object>> combos = new ArrayList<>();
        combos.add(Map.of());
        for (FieldValue v : use.fields().values()) {
            if (!(v instanceof FieldValue.Choice choice)) {
                continue;
            }
            List<Map<String, Object>> grown = new ArrayList<>();
            for (Map<String, Object> combo : combos) {
                Object taken = s.keys().get(choice.key()) instanceof Number n ? n : combo.get(choice.key());
                for (Number value : choice.values()) {
                    if (taken == null || taken.equals(value)) {
                        Map<String, Object> m = new LinkedHashMap<>(combo);
                        m.put(choice.key(), value);
                        grown.add(m);
                    }
                }
            }
            combos = grown;
        }
        return combos;
    }

    private List<Option> layerOptions(int i, Node.LayerChoiceNode node, WalkState s) {
        SampleShape in = singleInput(i, s);
        if (in == null) {
            return List.of();
        }
        Map<String, Option> results = candidates(i, node, in);
        Object taken = s.keys().get(node.key());
        if (taken instanceof String) {
            Option o = results.get(taken);
            return o == null ? List.of() : List.of(new Option(o.out(), o.params(), o.flops(), Map.of()));
        }
        return List.copyOf(results.values());
    }

    /** The working candidates of node {@code i} for an input shape; computed once per shape, as states repeat them. */
    private Map<String, Option> candidates(int i, Node.LayerChoiceNode node, SampleShape in) {
        CandidateResults cached = candidateCache.get(Map.entry(i, in));
        if (cached == null) {
            Set<SpecError> outer = new LinkedHashSet<>(pending);
            pending.clear();
            Map<String, Option> results = new LinkedHashMap<>();
            for (Node.Candidate c : node.candidates().values()) {
                Option result = candidateOption(node, c, in);
                if (result != null) {
                    results.put(c.name(), result);
                }
            }
            if (results.values().stream().map(Option::out).distinct().count() > 1) {
                error(node.pos(), "the candidates of " + node.label() + " give different output shapes for input " + in + ": "
                        + results.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().out()).collect(Collectors.joining(", ")),
                        "every candidate of a layer choice must give the same shape");
                SampleShape first = results.values().iterator().next().out();
                results.values().removeIf(o -> !o.out().equals(first));
            }
            cached = new CandidateResults(results, List.copyOf(pending));
            candidateCache.put(Map.entry(i, in), cached);
            pending.clear();
            pending.addAll(outer);
        }
        pending.addAll(cached.errors());
        return cached.results();
    }

    /**
     * Runs a candidate's small graph on the choice's input; null (with an error) when an op does
     * not fit. Inside it, {@link Ref#MODEL_INPUT} is the choice node's input.
     */
    private Option candidateOption(Node.LayerChoiceNode node, Node.Candidate c, SampleShape in) {
        Map<String, SampleShape> local = new HashMap<>();
        local.put(Ref.MODEL_INPUT, in);
        SampleShape out = in;
        long params = 0;
        long flops = 0;
        for (Node.OpNode op : c.nodes()) {
            OpUse use = op.op();
            List<SampleShape> inputs = op.inputs().stream().map(r -> local.get(r.id())).toList();
            List<String> names = op.inputs().stream().map(r -> r.id().equals(Ref.MODEL_INPUT) ? "the candidate's input"
                    : r.id().substring(r.id().lastIndexOf('/') + 1)).toList();
            OpArgs args = use.args(Map.of());
            try {
                out = use.def().shape().apply(inputs, names, args);
                long own = use.def().params().apply(inputs.get(0), args);
                Counts.fits(use.def().specName(), out, own);
                params = Math.addExact(params, own);
                flops = Counts.saturatedSum(flops, use.def().flops().apply(inputs.get(0), out, args));
            } catch (ShapeException e) {
                error(use.pos(), "candidate '" + c.name() + "' of " + node.label() + ": " + e.getMessage(), null);
                return null;
            } catch (ArithmeticException e) {
                error(use.pos(), "candidate '" + c.name() + "' of " + node.label() + ": " + Counts.tooManyToCount(use.def().specName()), null);
                return null;
            }
            local.put(op.id(), out);
        }
        return new Option(out, params, flops, Map.of(node.key(), c.name()));
    }

    private List<Option> inputOptions(Node.InputChoiceNode node, WalkState s) {
        List<String> from = node.from();
        Map<String, SampleShape> present = new LinkedHashMap<>();
        for (int k = 0; k < from.size(); k++) {
            SampleShape shape = s.shapes().get(graph.indexOf(node.inputs().get(k)));
            if (!shape.equals(ABSENT)) {
                present.put(from.get(k), shape);
            }
        }
        @SuppressWarnings("unchecked")
        List<String> taken = s.keys().get(node.key()) instanceof List<?> list ? (List<String>) list : null;
        List<List<String>> subsets = new ArrayList<>();
        if (taken != null) {
            subsets.add(taken);
        } else if (node.nChosen() == null) {
            subsets.add(List.of());
            // With sum or mean every non-empty subset gives the same shape and no parameters: one stands for all.
            subsets.add(from);
        } else if (node.nChosen() == 1 || node.reduction() == Node.Reduction.CONCAT) {
            subsets.addAll(subsetsOf(from, node.nChosen()));
            if (subsets.size() >= MAX_SUBSETS) {
                error(node.pos(), node.label() + " has more than " + MAX_SUBSETS + " ways to choose its inputs to check",
                        "use a smaller n-chosen or fewer 'from' nodes");
                return List.of();
            }
        } else {
            subsets.add(from.subList(0, node.nChosen()));
        }
        if (node.reduction() != Node.Reduction.CONCAT && (node.nChosen() == null || node.nChosen() > 1)
                && present.values().stream().distinct().count() > 1) {
            error(node.pos(), "the inputs of " + node.label() + " are " + (node.reduction() == Node.Reduction.SUM ? "summed" : "averaged")
                    + ", so they need one shape, but: " + OpRules.listed(List.copyOf(present.values()), List.copyOf(present.keySet())),
                    "use reduction: concat or n-chosen: 1, or make the shapes agree");
            return List.of();
        }
        List<Option> options = new ArrayList<>();
        for (List<String> subset : subsets) {
            List<SampleShape> shapes = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (String id : subset) {
                if (present.containsKey(id)) {
                    shapes.add(present.get(id));
                    names.add(id);
                }
            }
            Map<String, Object> decided = taken != null ? Map.of() : Map.of(node.key(), List.copyOf(subset));
            if (shapes.isEmpty()) {
                options.add(new Option(ABSENT, 0, 0, decided));
                continue;
            }
            try {
                OpDef merge = node.reduction() == Node.Reduction.CONCAT ? OpDef.CONCAT : OpDef.ADD;
                SampleShape out = merge.shape().apply(shapes, names, new OpArgs(Map.of()));
                Counts.fits(merge.specName(), out, 0);
                options.add(new Option(out, 0, 0, decided));
            } catch (ShapeException e) {
                error(node.pos(), "when " + node.label() + " chooses " + subset + ": " + e.getMessage(), null);
            }
        }
        return options;
    }

    /** Every subset of {@code k} ids, in order; at most {@link #MAX_SUBSETS} of them. */
    private List<List<String>> subsetsOf(List<String> from, int k) {
        List<List<String>> out = new ArrayList<>();
        collect(from, k, 0, new ArrayList<>(), out);
        return out;
    }

    private void collect(List<String> from, int k, int start, List<String> current, List<List<String>> out) {
        if (current.size() == k) {
            out.add(Collections.unmodifiableList(new ArrayList<>(current)));
            return;
        }
        for (int i = start; i < from.size() && out.size() < MAX_SUBSETS; i++) {
            current.add(from.get(i));
            collect(from, k, i + 1, current, out);
            current.remove(current.size() - 1);
        }
    }

    private void error(Pos pos, String message, String hint) {
        pending.add(new SpecError(pos, message, hint));
    }
}

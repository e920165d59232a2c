package org.nas4j.spec;

import static org.nas4j.spec.NodeOptions.ABSENT;
import static org.nas4j.spec.NodeOptions.UNKNOWN;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.nas4j.spec.NodeOptions.Option;

/**
 * The shape check's walk over the model, for every child at once.
 *
 * <p>Nodes are visited in order while a set of states is carried along: a state holds the shapes
 * of the nodes that later nodes still read and the decisions that later nodes still depend on.
 * Each node maps every state to one state per option it has (candidate, value, chosen inputs), so
 * every candidate of every choice and every value of every value choice is checked in every
 * context it can meet, and shared keys stay consistent. States that agree on everything still
 * needed are merged, keeping the smallest and largest parameter count with an architecture that
 * reaches each; this keeps the work small for real search spaces while staying exact.
 *
 * <p>Relaxed, a decision whose options all give one shape at a node is not carried on, since it
 * cannot change any later shape: shape errors stay exact, the parameter counts become bounds.
 */
final class ShapeWalk {
    /** The smallest and largest parameter count of the children that reach one state, with an architecture for each. */
    private static final class Accum {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        /** The smallest count of the nodes every child runs (a lower bound when some nodes are optional). */
        long minCore = Long.MAX_VALUE;
        Map<String, Object> minArch;
        Map<String, Object> maxArch;

        void offer(long minParams, Map<String, Object> minA, long maxParams, Map<String, Object> maxA, long core) {
            minCore = Math.min(minCore, core);
            offer(minParams, minA, maxParams, maxA);
        }

        /** Keeps the extremes; on a tie the architecture that sorts first, so that output is stable. */
        void offer(long minParams, Map<String, Object> minA, long maxParams, Map<String, Object> maxA) {
            if (minParams < min || (minParams == min && sortsBefore(minA, minArch))) {
                min = minParams;
                minArch = minA;
            }
            if (maxParams > max || (maxParams == max && sortsBefore(maxA, maxArch))) {
                max = maxParams;
                maxArch = maxA;
            }
        }

        private static boolean sortsBefore(Map<String, Object> a, Map<String, Object> b) {
            return b == null || new TreeMap<>(a).toString().compareTo(new TreeMap<>(b).toString()) < 0;
        }
    }

    /** Thrown inside a separated walk when a key it took out of the states turns out to matter elsewhere. */
    private static final class NotSeparable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotSeparable() {
            super(null, null, false, false);
        }
    }

    private final Spec spec;
    private Diagnostics diag;
    private final ModelGraph graph;
    private final NodeOptions nodeOptions;
    private final boolean relaxed;
    private final Map<String, Object> fixed;
    /** Whether an optional node has parameters: then counts over all children are bounds. */
    private boolean optionalParams;
    /** Per node, the first option met: the child's, when every key is fixed. */
    private final Option[] first;
    /** Whether a child past {@link ShapeChecker#MAX_ELEMENTS} parameters was reported: once, where the first one gets there. */
    private boolean tooManyParams;
    /** The node where the walk gave up with too many states, or -1. */
    private int overflowAt = -1;
    /**
     * Whether keys may be taken out of the states: a key whose every node keeps one shape for all
     * its values, runs in every child and costs the same in every state adds a per-value cost
     * instead of multiplying the states (a genotype shared by many cells would otherwise keep
     * every combination alive to the end). The counts stay exact: they are a sum of the states'
     * and the separated keys' parts, whose extremes are taken independently.
     */
    private boolean separate;
    /** The separated keys: per key, per value, the parameters of the nodes that take it. */
    private final Map<String, Map<Object, Long>> separated = new TreeMap<>();

    /** A walk over the children of {@code spec} that take the {@code fixed} decisions; {@code relaxed} as above. */
    ShapeWalk(Spec spec, Diagnostics diag, boolean relaxed, Map<String, Object> fixed) {
        this(spec, new NodeOptions(new ModelGraph(spec.model())), diag, relaxed, fixed);
    }

    /**
     * The same, on the graph of {@code options} (built from {@code spec}'s model): walks that
     * share it reuse what its candidates give per input shape.
     */
    ShapeWalk(Spec spec, NodeOptions options, Diagnostics diag, boolean relaxed, Map<String, Object> fixed) {
        this.spec = spec;
        this.diag = diag;
        this.relaxed = relaxed;
        this.fixed = fixed;
        this.graph = options.graph();
        this.nodeOptions = options;
        first = new Option[graph.size()];
    }

    /** The model's nodes. */
    ModelGraph graph() {
        return graph;
    }

    /** The node where the walk gave up with more than {@link ShapeChecker#MAX_STATES} states, or -1. */
    int overflowAt() {
        return overflowAt;
    }

    /** Node {@code i}'s first option in the first state that reached it: the child's, when every key is fixed. */
    Option first(int i) {
        return first[i];
    }

    /**
     * Walks every node; null when errors stop the check (they are recorded). An exact walk over
     * the whole space first tries with separable keys taken out of the states, and walks again
     * without when a key turns out not to be separable.
     */
    ShapeChecker.Result run() {
        if (relaxed || !fixed.isEmpty()) {
            return walk();
        }
        Diagnostics real = diag;
        diag = new Diagnostics();
        separate = true;
        try {
            ShapeChecker.Result r = walk();
            diag.errors().forEach(e -> real.error(e.pos(), e.message(), e.hint()));
            return r;
        } catch (NotSeparable e) {
            separate = false;
            separated.clear();
            java.util.Arrays.fill(first, null);
            optionalParams = false;
            tooManyParams = false;
            overflowAt = -1;
        } finally {
            diag = real;
        }
        return walk();
    }

    private ShapeChecker.Result walk() {
        Map<WalkState, Accum> states = new HashMap<>();
        Accum start = new Accum();
        start.offer(0, fixed, 0, fixed, 0);
        states.put(new WalkState(Map.of(ModelGraph.MODEL_INPUT, spec.input()), fixed), start);
        for (int i = 0; i < graph.size(); i++) {
            states = step(i, states);
            if (states == null) {
                return null;
            }
        }
        Accum total = new Accum();
        Set<SampleShape> outputs = new LinkedHashSet<>();
        int last = graph.size() - 1;
        for (Map.Entry<WalkState, Accum> e : states.entrySet()) {
            SampleShape out = e.getKey().shapes().get(last);
            if (out.equals(UNKNOWN)) {
                return null;
            }
            if (out.equals(ABSENT)) {
                diag.error(graph.node(last).pos(), ModelGraph.named(graph.node(last)) + "the model's output (its last node) may be empty",
                        "end the model with a node that always has an output");
                return null;
            }
            outputs.add(out);
            Accum a = e.getValue();
            total.offer(a.min, a.minArch, a.max, a.maxArch, a.minCore);
        }
        if (total.max == Long.MAX_VALUE) {
            return null;
        }
        addSeparated(total);
        if (optionalParams) {
            // Children leave out the edges their input choices do not take: the smallest child has
            // at least the parameters of the nodes every child runs, the largest at most all of them.
            return new ShapeChecker.Result(outputs, total.minCore, new TreeMap<>(total.minArch), total.max, new TreeMap<>(total.maxArch),
                    "children leave out the nodes their input choices do not take");
        }
        return new ShapeChecker.Result(outputs, total.min, new TreeMap<>(total.minArch), total.max, new TreeMap<>(total.maxArch),
                relaxed ? "too many shared decisions to count exactly" : null);
    }

    private Map<WalkState, Accum> step(int i, Map<WalkState, Accum> states) {
        if (separate) {
            Map<WalkState, Accum> next = separatedStep(i, states);
            if (next != null) {
                return next;
            }
        }
        Map<WalkState, Accum> next = new HashMap<>();
        List<SpecError> firstErrors = null;
        Map<String, Object> failingArch = null;
        Map<String, Object> passingArch = null;
        for (Map.Entry<WalkState, Accum> e : states.entrySet()) {
            WalkState s = e.getKey();
            nodeOptions.clearErrors();
            List<Option> options = nodeOptions.options(i, s);
            if (nodeOptions.errors().isEmpty() && options.stream().noneMatch(o -> o.out().equals(UNKNOWN))) {
                passingArch = passingArch == null ? e.getValue().minArch : passingArch;
            } else if (!nodeOptions.errors().isEmpty() && firstErrors == null) {
                firstErrors = List.copyOf(nodeOptions.errors());
                failingArch = e.getValue().minArch;
            }
            if (options.isEmpty()) {
                options = List.of(new Option(UNKNOWN, 0, 0, Map.of()));
            }
            if (first[i] == null) {
                first[i] = options.get(0);
            }
            boolean shapeFree = relaxed && options.stream().map(Option::out).distinct().count() == 1;
            for (Option o : options) {
                if (o.decided().keySet().stream().anyMatch(separated::containsKey)) {
                    throw new NotSeparable();
                }
                Map<Integer, SampleShape> shapes = new HashMap<>(s.shapes());
                shapes.put(i, o.out());
                shapes.keySet().removeIf(j -> graph.lastUse(j) <= i);
                Map<String, Object> keys = new HashMap<>(s.keys());
                if (!shapeFree) {
                    keys.putAll(o.decided());
                }
                keys.keySet().removeIf(k -> graph.lastKeyUse(k) <= i);
                Accum a = e.getValue();
                Accum target = next.computeIfAbsent(new WalkState(shapes, keys), k -> new Accum());
                if (o.out().equals(UNKNOWN) || a.min == Long.MAX_VALUE) {
                    // Counts are meaningless once a shape is unknown; the spec has errors anyway.
                    target.offer(Long.MAX_VALUE, a.minArch, Long.MAX_VALUE, a.maxArch);
                } else if (Counts.fitsLong(a.max, o.params())) {
                    optionalParams |= !graph.required(i) && o.params() > 0;
                    checkChildParams(i, a.max, o.params());
                    target.offer(a.min + o.params(), with(a.minArch, o.decided()),
                            a.max + o.params(), with(a.maxArch, o.decided()), a.minCore + (graph.required(i) ? o.params() : 0));
                } else {
                    diag.error(graph.node(i).pos(), ModelGraph.named(graph.node(i)) + "the largest child has more parameters than can be counted by here");
                    target.offer(Long.MAX_VALUE, a.minArch, Long.MAX_VALUE, a.maxArch);
                }
            }
            if (next.size() > ShapeChecker.MAX_STATES) {
                overflowAt = i;
                return null;
            }
        }
        if (firstErrors != null) {
            String when = passingArch == null ? "" : differences(failingArch, passingArch);
            firstErrors.forEach(err -> diag.error(err.pos(), err.message() + when, err.hint()));
        }
        return next;
    }

    /**
     * Node {@code i} taken without branching, when it is separable: in every state it has no
     * errors, runs in every child, gives one shape for all its options, and its options are the
     * values of one key no state carries, each costing the same in every state. Null when not.
     */
    private Map<WalkState, Accum> separatedStep(int i, Map<WalkState, Accum> states) {
        if (!graph.required(i)) {
            return null;
        }
        String key = null;
        SampleShape out = null;
        Map<Object, Long> costs = null;
        Option firstOption = null;
        for (WalkState s : states.keySet()) {
            nodeOptions.clearErrors();
            List<Option> options = nodeOptions.options(i, s);
            if (!nodeOptions.errors().isEmpty() || options.size() < 2) {
                return null;
            }
            Map<Object, Long> here = new HashMap<>();
            for (Option o : options) {
                if (o.decided().size() != 1 || o.out().equals(UNKNOWN) || o.out().equals(ABSENT) || (out != null && !out.equals(o.out()))) {
                    return null;
                }
                String k = o.decided().keySet().iterator().next();
                if ((key != null && !key.equals(k)) || s.keys().containsKey(k)) {
                    return null;
                }
                key = k;
                out = o.out();
                here.put(o.decided().get(k), o.params());
            }
            if (costs != null && !costs.equals(here)) {
                return null;
            }
            costs = here;
            firstOption = firstOption == null ? options.get(0) : firstOption;
        }
        if (key == null) {
            return null;
        }
        Map<Object, Long> sum = separated.computeIfAbsent(key, k -> new HashMap<>());
        if (!sum.isEmpty() && !sum.keySet().equals(costs.keySet())) {
            throw new NotSeparable();
        }
        costs.forEach((v, p) -> sum.merge(v, p, Long::sum));
        if (first[i] == null) {
            first[i] = firstOption;
        }
        long separatedMax = separated.values().stream().mapToLong(m -> m.values().stream().mapToLong(Long::longValue).max().orElse(0)).sum();
        Map<WalkState, Accum> next = new HashMap<>();
        for (Map.Entry<WalkState, Accum> e : states.entrySet()) {
            Map<Integer, SampleShape> shapes = new HashMap<>(e.getKey().shapes());
            shapes.put(i, out);
            shapes.keySet().removeIf(j -> graph.lastUse(j) <= i);
            Map<String, Object> keys = new HashMap<>(e.getKey().keys());
            keys.keySet().removeIf(k -> graph.lastKeyUse(k) <= i);
            Accum a = e.getValue();
            checkChildParams(i, a.max + separatedMax, 0);
            next.computeIfAbsent(new WalkState(shapes, keys), k -> new Accum()).offer(a.min, a.minArch, a.max, a.maxArch, a.minCore);
        }
        return next;
    }

    /** Adds the separated keys' extremes to the total: each key's cheapest and dearest value, independently. */
    private void addSeparated(Accum total) {
        if (separated.isEmpty()) {
            return;
        }
        Map<String, Object> minArch = new HashMap<>(total.minArch);
        Map<String, Object> maxArch = new HashMap<>(total.maxArch);
        long min = total.min;
        long max = total.max;
        long core = total.minCore;
        for (Map.Entry<String, Map<Object, Long>> e : separated.entrySet()) {
            Map.Entry<Object, Long> lo = extreme(e.getValue(), true);
            Map.Entry<Object, Long> hi = extreme(e.getValue(), false);
            min += lo.getValue();
            core += lo.getValue();
            max += hi.getValue();
            minArch.put(e.getKey(), lo.getKey());
            maxArch.put(e.getKey(), hi.getKey());
        }
        total.min = Long.MAX_VALUE;
        total.max = Long.MIN_VALUE;
        total.minCore = Long.MAX_VALUE;
        total.offer(min, minArch, max, maxArch, core);
    }

    /** The value of least (or most) cost; on a tie the one whose text sorts first, so that output is stable. */
    private static Map.Entry<Object, Long> extreme(Map<Object, Long> costs, boolean least) {
        Map.Entry<Object, Long> best = null;
        for (Map.Entry<Object, Long> e : costs.entrySet()) {
            int c = best == null ? -1 : Long.compare(e.getValue(), best.getValue()) * (least ? 1 : -1);
            if (c < 0 || (c == 0 && String.valueOf(e.getKey()).compareTo(String.valueOf(best.getKey())) < 0)) {
                best = e;
            }
        }
        return best;
    }

    /**
     * Reports the first node where the largest child gets past {@link ShapeChecker#MAX_ELEMENTS} parameters.
     * Only where counts are exact: bounds (children leaving nodes out, or decisions merged) could
     * report a child that does not exist.
     */
    private void checkChildParams(int i, long before, long added) {
        if (relaxed || optionalParams || tooManyParams || before + added <= ShapeChecker.MAX_ELEMENTS) {
            return;
        }
        tooManyParams = true;
        diag.error(graph.node(i).pos(), ModelGraph.named(graph.node(i)) + "by here the largest child has " + Counts.grouped(before + added)
                + " parameters, more than the " + Counts.grouped(ShapeChecker.MAX_ELEMENTS) + " a child may have", "make the largest candidates or values smaller");
    }

    /**
     * " (when k = v, ...)": the earlier decisions in which a failing child differs from a passing
     * one, so that users see which choice breaks a node that fails only in some children.
     */
    private static String differences(Map<String, Object> failing, Map<String, Object> passing) {
        List<String> diff = new ArrayList<>();
        for (Map.Entry<String, Object> e : new TreeMap<>(failing).entrySet()) {
            if (!e.getValue().equals(passing.get(e.getKey()))) {
                diff.add(e.getKey() + " = " + e.getValue());
            }
        }
        if (diff.isEmpty()) {
            return "";
        }
        List<String> shown = diff.size() > 4 ? diff.subList(0, 4) : diff;
        return " (when " + String.join(", ", shown) + (diff.size() > 4 ? ", ..." : "") + ")";
    }

    private static Map<String, Object> with(Map<String, Object> arch, Map<String, Object> decided) {
        if (decided.isEmpty()) {
            return arch;
        }
        Map<String, Object> m = new HashMap<>(arch);
        m.putAll(decided);
        return m;
    }
}

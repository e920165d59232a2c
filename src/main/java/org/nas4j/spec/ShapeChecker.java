package org.nas4j.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Infers shapes over every child of a spec at once, without building any of them, and counts the
 * parameters of the smallest and the largest child exactly.
 *
 * <p>Nodes are visited in order while a set of states is carried along: a state holds the shapes
 * of the nodes that later nodes still read and the decisions that later nodes still depend on.
 * Each node maps every state to one state per option it has (candidate, value, chosen inputs), so
 * every candidate of every choice and every value of every value choice is checked in every
 * context it can meet, and shared keys stay consistent. States that agree on everything still
 * needed are merged, keeping the smallest and largest parameter count with an architecture that
 * reaches each; this keeps the work small for real search spaces while staying exact.
 *
 * <p>When shared keys entangle too many states (cells that share one genotype across a network),
 * the check runs again relaxed: a decision whose options all give one shape at a node is not
 * carried on, since it cannot change any later shape. Shape errors stay exact; the parameter
 * counts become bounds (no smaller, no larger child exists) and are marked as such.
 */
public final class ShapeChecker {
    /**
     * Most values one tensor may hold and most parameters one child may have: the engine indexes
     * with ints (2^31 - 1), and a child past that could not be trained here anyway.
     */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE;
    /** Most states carried between two nodes before the check gives up (with an error). */
    public static final int MAX_STATES = 100_000;
    /** The shape of an input choice that chose nothing. */
    static final Shape ABSENT = new Shape(List.of());
    /**
     * The shape of a node that could not be worked out (its error is reported): nodes reading it
     * give UNKNOWN too, silently, so that independent errors elsewhere are still found.
     */
    static final Shape UNKNOWN = new Shape(List.of(-1));
    /** The output of a node in a repeat's copy that the chosen depth leaves out. */
    static final Shape INACTIVE = new Shape(List.of(-2));
    private static final int MODEL_INPUT = -1;

    /**
     * The outcome of a check that reached the end of the model.
     *
     * @param outputs   the shapes the model's output can have
     * @param minParams parameters of the smallest child, reached by {@code minArch}
     * @param maxParams parameters of the largest child, reached by {@code maxArch}
     * @param boundsReason null when the counts are exact; else why they are bounds (and the
     *                  architectures only indicative)
     */
    public record Result(Set<Shape> outputs, long minParams, Map<String, Object> minArch,
                         long maxParams, Map<String, Object> maxArch, String boundsReason) {
        /** Whether the counts are exact. */
        public boolean exact() {
            return boundsReason == null;
        }
    }

    /**
     * The shapes still to be read and the decisions still to be honoured. Its hash mixes the
     * entries in key order: Map's own hash (a sum of key-xor-value) collides badly here.
     */
    private static final class State {
        private final Map<Integer, Shape> shapes;
        private final Map<String, Object> keys;
        private final int hash;

        State(Map<Integer, Shape> shapes, Map<String, Object> keys) {
            this.shapes = new TreeMap<>(shapes);
            this.keys = new TreeMap<>(keys);
            int h = 1;
            for (Map.Entry<Integer, Shape> e : this.shapes.entrySet()) {
                h = 31 * (31 * h + e.getKey()) + e.getValue().hashCode();
            }
            for (Map.Entry<String, Object> e : this.keys.entrySet()) {
                h = 31 * (31 * h + e.getKey().hashCode()) + e.getValue().hashCode();
            }
            this.hash = h;
        }

        Map<Integer, Shape> shapes() {
            return shapes;
        }

        Map<String, Object> keys() {
            return keys;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State other && hash == other.hash && shapes.equals(other.shapes) && keys.equals(other.keys);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private record Option(Shape out, long params, long flops, Map<String, Object> decided) { }

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

    private final Spec spec;
    private final Diagnostics diag;
    private final List<Node> nodes;
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final int[] lastUse;
    private final Map<String, Integer> lastKeyUse = new HashMap<>();
    /**
     * Whether every child runs the node: false for nodes reached only through input choices
     * (DARTS's edges), which a child leaves out when its choice does not take them.
     */
    private boolean[] required;
    /** Whether an optional node has parameters: then counts over all children are bounds. */
    private boolean optionalParams;
    /** Per node, the output and parameters of the first option met: the child's, when every key is fixed. */
    private Shape[] firstOut;
    private long[] firstParams;
    private long[] firstFlops;
    /** The depths of each depth decision, for nodes guarded by one. */
    private final Map<String, List<Integer>> depthChoices = new HashMap<>();
    /** Whether a child past {@link #MAX_ELEMENTS} parameters was reported: once, where the first one gets there. */
    private boolean tooManyParams;
    /** Errors met at the current node in the current state; kept only for the first state that has any. */
    private final Set<SpecError> pending = new LinkedHashSet<>();
    private boolean overflowed;
    private int overflowAt;

    private final boolean relaxed;

    private final Map<String, Object> fixed;

    private ShapeChecker(Spec spec, Diagnostics diag, boolean relaxed, Map<String, Object> fixed) {
        this.fixed = fixed;
        this.spec = spec;
        this.diag = diag;
        this.relaxed = relaxed;
        this.nodes = spec.model();
        this.lastUse = new int[nodes.size() + 1];
        for (int i = 0; i < nodes.size(); i++) {
            indexOf.put(nodes.get(i).id(), i);
            if (nodes.get(i) instanceof Node.DepthSelectNode ds) {
                depthChoices.put(ds.key(), ds.depths());
            }
        }
        java.util.Arrays.fill(lastUse, Integer.MIN_VALUE);
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
        firstOut = new Shape[nodes.size()];
        firstParams = new long[nodes.size()];
        firstFlops = new long[nodes.size()];
    }

    /** Checks a parsed, structurally sound spec; returns null when errors stop it. */
    public static Result check(Spec spec, Diagnostics diag) {
        return check(spec, Map.of(), diag);
    }

    /** Whether some node runs only in the children whose input choices take it. */
    private boolean hasOptionalNodes() {
        for (int i = 0; i < nodes.size(); i++) {
            if (!required[i] && !(nodes.get(i) instanceof Node.InputChoiceNode)) {
                return true;
            }
        }
        return false;
    }

    /**
     * One child: its output shape, its parameters and FLOPs (counting only the nodes it runs), the ids of
     * those nodes, and every node's output shape.
     */
    public record Child(Shape output, long params, long flops, Set<String> live, Map<String, Shape> shapes) { }

    /**
     * Describes the child that an architecture (a value for every key, already checked against the
     * space) selects; null with errors recorded when its shapes do not work out.
     */
    public static Child child(Spec spec, Map<String, Object> architecture, Diagnostics diag) {
        ShapeChecker c = new ShapeChecker(spec, diag, false, architecture);
        Result r = c.run();
        if (r == null) {
            return null;
        }
        boolean[] live = c.live(architecture);
        long params = 0;
        long flops = 0;
        Set<String> liveIds = new LinkedHashSet<>();
        Map<String, Shape> shapes = new HashMap<>();
        for (int i = 0; i < c.nodes.size(); i++) {
            if (live[i]) {
                params += c.firstParams[i];
                flops = saturatedSum(flops, c.firstFlops[i]);
                liveIds.add(c.nodes.get(i).id());
            }
            shapes.put(c.nodes.get(i).id(), c.firstOut[i]);
        }
        return new Child(r.outputs().iterator().next(), params, flops, Collections.unmodifiableSet(liveIds), Collections.unmodifiableMap(shapes));
    }

    private static long saturatedSum(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** Which nodes the chosen child runs: those its output depends on. */
    private boolean[] live(Map<String, Object> architecture) {
        boolean[] live = new boolean[nodes.size()];
        live[nodes.size() - 1] = true;
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (firstOut[i].equals(INACTIVE) || firstOut[i].equals(ABSENT)) {
                live[i] = false;
            }
            if (!live[i]) {
                continue;
            }
            Node node = nodes.get(i);
            List<Integer> reads = reads(i);
            for (int k = 0; k < reads.size(); k++) {
                boolean used = true;
                if (node instanceof Node.InputChoiceNode ic) {
                    used = architecture.get(ic.key()) instanceof List<?> chosen && chosen.contains(ic.from().get(k));
                } else if (node instanceof Node.DepthSelectNode ds) {
                    used = architecture.get(ds.key()) instanceof Number d && d.intValue() == ds.depths().get(k);
                }
                if (used && reads.get(k) >= 0) {
                    live[reads.get(k)] = true;
                }
            }
        }
        return live;
    }

    /**
     * Checks only the children that take the given decisions (key -> value as in an architecture
     * file); with every key given, the result describes that one child.
     */
    public static Result check(Spec spec, Map<String, Object> fixed, Diagnostics diag) {
        Diagnostics exactErrors = new Diagnostics();
        ShapeChecker exact = new ShapeChecker(spec, exactErrors, false, fixed);
        // Where children may leave nodes out, the counts are bounds anyway: go straight to the
        // cheaper relaxed check, which finds the same shape errors.
        boolean boundsAnyway = fixed.isEmpty() && exact.hasOptionalNodes();
        Result result = boundsAnyway ? null : exact.run();
        if (!boundsAnyway && !exact.overflowed) {
            exactErrors.errors().forEach(e -> diag.error(e.pos(), e.message(), e.hint()));
            return result;
        }
        ShapeChecker relaxed = new ShapeChecker(spec, diag, true, fixed);
        result = relaxed.run();
        if (relaxed.overflowed) {
            Node at = spec.model().get(relaxed.overflowAt);
            diag.error(at.pos(), named(at) + "checking every child needs more than " + MAX_STATES
                    + " combinations of shapes and shared decisions at this node",
                    "fewer value choices that change shapes keep the check small");
        }
        return result;
    }

    private Result run() {
        Map<State, Accum> states = new HashMap<>();
        Accum start = new Accum();
        start.offer(0, fixed, 0, fixed, 0);
        states.put(new State(Map.of(MODEL_INPUT, spec.input()), fixed), start);
        for (int i = 0; i < nodes.size(); i++) {
            states = step(i, states);
            if (states == null) {
                return null;
            }
        }
        Accum total = new Accum();
        Set<Shape> outputs = new LinkedHashSet<>();
        int last = nodes.size() - 1;
        for (Map.Entry<State, Accum> e : states.entrySet()) {
            Shape out = e.getKey().shapes().get(last);
            if (out.equals(UNKNOWN)) {
                return null;
            }
            if (out.equals(ABSENT)) {
                diag.error(nodes.get(last).pos(), named(nodes.get(last)) + "the model's output (its last node) may be empty",
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
        if (optionalParams) {
            // Children leave out the edges their input choices do not take: the smallest child has
            // at least the parameters of the nodes every child runs, the largest at most all of them.
            return new Result(outputs, total.minCore, new TreeMap<>(total.minArch), total.max, new TreeMap<>(total.maxArch),
                    "children leave out the nodes their input choices do not take");
        }
        return new Result(outputs, total.min, new TreeMap<>(total.minArch), total.max, new TreeMap<>(total.maxArch),
                relaxed ? "too many shared decisions to count exactly" : null);
    }

    private Map<State, Accum> step(int i, Map<State, Accum> states) {
        Map<State, Accum> next = new HashMap<>();
        List<SpecError> firstErrors = null;
        Map<String, Object> failingArch = null;
        Map<String, Object> passingArch = null;
        for (Map.Entry<State, Accum> e : states.entrySet()) {
            State s = e.getKey();
            pending.clear();
            List<Option> options = options(i, s);
            if (pending.isEmpty() && options.stream().noneMatch(o -> o.out().equals(UNKNOWN))) {
                passingArch = passingArch == null ? e.getValue().minArch : passingArch;
            } else if (!pending.isEmpty() && firstErrors == null) {
                firstErrors = List.copyOf(pending);
                failingArch = e.getValue().minArch;
            }
            if (options.isEmpty()) {
                options = List.of(new Option(UNKNOWN, 0, 0, Map.of()));
            }
            if (firstOut[i] == null) {
                firstOut[i] = options.get(0).out();
                firstParams[i] = options.get(0).params();
                firstFlops[i] = options.get(0).flops();
            }
            boolean shapeFree = relaxed && options.stream().map(Option::out).distinct().count() == 1;
            for (Option o : options) {
                Map<Integer, Shape> shapes = new HashMap<>(s.shapes());
                shapes.put(i, o.out());
                shapes.keySet().removeIf(j -> lastUse[j + 1] <= i);
                Map<String, Object> keys = new HashMap<>(s.keys());
                if (!shapeFree) {
                    keys.putAll(o.decided());
                }
                keys.keySet().removeIf(k -> lastKeyUse.getOrDefault(k, -1) <= i);
                Accum a = e.getValue();
                Accum target = next.computeIfAbsent(new State(shapes, keys), k -> new Accum());
                if (o.out().equals(UNKNOWN) || a.min == Long.MAX_VALUE) {
                    // Counts are meaningless once a shape is unknown; the spec has errors anyway.
                    target.offer(Long.MAX_VALUE, a.minArch, Long.MAX_VALUE, a.maxArch);
                } else if (fitsLong(a.max, o.params())) {
                    optionalParams |= !required[i] && o.params() > 0;
                    checkChildParams(i, a.max, o.params());
                    target.offer(a.min + o.params(), with(a.minArch, o.decided()),
                            a.max + o.params(), with(a.maxArch, o.decided()), a.minCore + (required[i] ? o.params() : 0));
                } else {
                    diag.error(nodes.get(i).pos(), named(nodes.get(i)) + "the largest child has more parameters than can be counted by here");
                    target.offer(Long.MAX_VALUE, a.minArch, Long.MAX_VALUE, a.maxArch);
                }
            }
            if (next.size() > MAX_STATES) {
                overflowed = true;
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
     * Reports the first node where the largest child gets past {@link #MAX_ELEMENTS} parameters.
     * Only where counts are exact: bounds (children leaving nodes out, or decisions merged) could
     * report a child that does not exist.
     */
    private void checkChildParams(int i, long before, long added) {
        if (relaxed || optionalParams || tooManyParams || before + added <= MAX_ELEMENTS) {
            return;
        }
        tooManyParams = true;
        diag.error(nodes.get(i).pos(), named(nodes.get(i)) + "by here the largest child has " + grouped(before + added)
                + " parameters, more than the " + grouped(MAX_ELEMENTS) + " a child may have", "make the largest candidates or values smaller");
    }

    /**
     * Refuses an op whose output or parameters are past {@link #MAX_ELEMENTS}, before anything
     * downstream multiplies them further.
     */
    private static void fits(String op, Shape out, long params) throws ShapeException {
        if (out.size() > MAX_ELEMENTS) {
            throw new ShapeException(op + " would give " + out + ": " + (out.size() == Long.MAX_VALUE ? "too many" : grouped(out.size()))
                    + " values, more than the " + grouped(MAX_ELEMENTS) + " a tensor may hold");
        }
        if (params > MAX_ELEMENTS) {
            throw new ShapeException(op + " would have " + grouped(params) + " parameters, more than the " + grouped(MAX_ELEMENTS)
                    + " a child may have");
        }
    }

    /** An op's parameters past a long: more than a child may have, by far. */
    private static String tooManyToCount(String op) {
        return op + " would have more parameters than a child may have (" + grouped(MAX_ELEMENTS) + ")";
    }

    /** "node 'ID': ", how an error inside a node starts; nothing for a node without an id (its position says where). */
    private static String named(Node node) {
        return node.anonymous() ? "" : "node '" + node.id() + "': ";
    }

    private static String grouped(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }

    private static boolean fitsLong(long a, long b) {
        return a <= Long.MAX_VALUE - b;
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

    /** The indices of the nodes node {@code i} reads ({@link #MODEL_INPUT} for the model's input). */
    private List<Integer> reads(int i) {
        List<Ref> refs = nodes.get(i).inputs();
        if (refs.isEmpty()) {
            return List.of(i - 1);
        }
        return refs.stream().map(r -> r.id().equals(Ref.MODEL_INPUT) ? MODEL_INPUT : indexOf.get(r.id())).toList();
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

    private String nameOf(int j) {
        if (j == MODEL_INPUT) {
            return Ref.MODEL_INPUT;
        }
        Node n = nodes.get(j);
        return n.anonymous() ? "line " + n.pos().line() : n.id();
    }

    private void error(Pos pos, String message, String hint) {
        pending.add(new SpecError(pos, message, hint));
    }

    /**
     * The options of node {@code i} in state {@code s}, honouring the depth decisions that guard
     * it: where a guarding depth is not yet decided, each depth is tried.
     */
    private List<Option> options(int i, State s) {
        Node node = nodes.get(i);
        for (Node.Guard g : node.guards()) {
            Object depth = s.keys().get(g.key());
            if (!(depth instanceof Number)) {
                List<Option> all = new ArrayList<>();
                for (Number d : depthsOf(g.key())) {
                    Map<String, Object> keys = new HashMap<>(s.keys());
                    keys.put(g.key(), d);
                    for (Option o : options(i, new State(s.shapes(), keys))) {
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
    private static Map<String, Object> defaults(Node node, State s) {
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

    private List<? extends Number> depthsOf(String key) {
        return depthChoices.get(key);
    }

    private List<Option> activeOptions(int i, State s) {
        Node node = nodes.get(i);
        if (node instanceof Node.DepthSelectNode ds) {
            return depthOptions(ds, s);
        }
        boolean unknownInput = node instanceof Node.InputChoiceNode
                ? node.inputs().stream().anyMatch(r -> s.shapes().get(indexOf(r)).equals(UNKNOWN))
                : reads(i).stream().anyMatch(j -> s.shapes().get(j).equals(UNKNOWN));
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

    private int indexOf(Ref r) {
        return r.id().equals(Ref.MODEL_INPUT) ? MODEL_INPUT : indexOf.get(r.id());
    }

    private List<Option> depthOptions(Node.DepthSelectNode node, State s) {
        List<Option> options = new ArrayList<>();
        Object taken = s.keys().get(node.key());
        for (int k = 0; k < node.depths().size(); k++) {
            Integer d = node.depths().get(k);
            if (taken instanceof Number t && t.intValue() != d) {
                continue;
            }
            Shape out = s.shapes().get(indexOf(node.inputs().get(k)));
            options.add(new Option(out, 0, 0, taken instanceof Number ? Map.of() : Map.of(node.key(), d)));
        }
        return options;
    }

    /** The shapes a non-merge node reads, or null (with an error) when one can be absent. */
    private Shape singleInput(int i, State s) {
        int j = reads(i).get(0);
        Shape in = s.shapes().get(j);
        if (in.equals(ABSENT)) {
            error(nodes.get(i).pos(), named(nodes.get(i)) + "this node reads '" + nameOf(j) + "', which may choose no input at all",
                    "only add, concat or mean may read a choice that can be empty");
            return null;
        }
        return in;
    }

    private List<Option> opOptions(int i, Node.OpNode node, State s) {
        OpUse use = node.op();
        List<Shape> inputs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (use.def().merge()) {
            for (int j : reads(i)) {
                if (!s.shapes().get(j).equals(ABSENT)) {
                    inputs.add(s.shapes().get(j));
                    names.add(nameOf(j));
                }
            }
            if (inputs.isEmpty()) {
                error(node.pos(), named(node) + "every input of this " + use.def().specName() + " may be absent at once ("
                        + reads(i).stream().map(this::nameOf).collect(Collectors.joining(", ")) + " may all choose nothing)",
                        "let at least one input always be present");
                return List.of();
            }
        } else {
            Shape in = singleInput(i, s);
            if (in == null) {
                return List.of();
            }
            inputs.add(in);
            names.add(nameOf(reads(i).get(0)));
        }
        List<Option> options = new ArrayList<>();
        for (Map<String, Object> values : valueCombinations(use, s)) {
            OpArgs args = args(use, values);
            Map<String, Object> decided = new HashMap<>(values);
            decided.keySet().removeAll(s.keys().keySet());
            try {
                Shape out = use.def().shape().apply(inputs, names, args);
                long params = use.def().params().apply(inputs.get(0), args);
                fits(use.def().specName(), out, params);
                options.add(new Option(out, params, use.def().flops().apply(inputs.get(0), out, args), decided));
            } catch (ShapeException e) {
                error(node.pos(), named(node) + e.getMessage() + withValues(values), null);
            } catch (ArithmeticException e) {
                error(node.pos(), named(node) + tooManyToCount(use.def().specName()) + withValues(values), null);
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
    private static List<Map<String, Object>> valueCombinations(OpUse use, State s) {
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

    private static OpArgs args(OpUse use, Map<String, Object> decided) {
        Map<String, Object> values = new HashMap<>();
        for (FieldDef f : use.def().fields()) {
            values.put(f.name(), f.defaultValue());
        }
        use.fields().forEach((name, v) -> values.put(name, v instanceof FieldValue.Fixed fixed ? fixed.value()
                : decided.get(((FieldValue.Choice) v).key())));
        return new OpArgs(values);
    }

    private List<Option> layerOptions(int i, Node.LayerChoiceNode node, State s) {
        Shape in = singleInput(i, s);
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

    /** What a layer choice's candidates give for one input shape, with the errors met; the same in every state. */
    private record CandidateResults(Map<String, Option> results, List<SpecError> errors) { }

    private final Map<Map.Entry<Integer, Shape>, CandidateResults> candidateCache = new HashMap<>();

    /** The working candidates of node {@code i} for an input shape; computed once per shape, as states repeat them. */
    private Map<String, Option> candidates(int i, Node.LayerChoiceNode node, Shape in) {
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
                Shape first = results.values().iterator().next().out();
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
    private Option candidateOption(Node.LayerChoiceNode node, Node.Candidate c, Shape in) {
        Map<String, Shape> local = new HashMap<>();
        local.put(Ref.MODEL_INPUT, in);
        Shape out = in;
        long params = 0;
        long flops = 0;
        for (Node.OpNode op : c.nodes()) {
            OpUse use = op.op();
            List<Shape> inputs = op.inputs().stream().map(r -> local.get(r.id())).toList();
            List<String> names = op.inputs().stream().map(r -> r.id().equals(Ref.MODEL_INPUT) ? "the candidate's input"
                    : r.id().substring(r.id().lastIndexOf('/') + 1)).toList();
            OpArgs args = args(use, Map.of());
            try {
                out = use.def().shape().apply(inputs, names, args);
                long own = use.def().params().apply(inputs.get(0), args);
                fits(use.def().specName(), out, own);
                params = Math.addExact(params, own);
                flops = saturatedSum(flops, use.def().flops().apply(inputs.get(0), out, args));
            } catch (ShapeException e) {
                error(use.pos(), "candidate '" + c.name() + "' of " + node.label() + ": " + e.getMessage(), null);
                return null;
            } catch (ArithmeticException e) {
                error(use.pos(), "candidate '" + c.name() + "' of " + node.label() + ": " + tooManyToCount(use.def().specName()), null);
                return null;
            }
            local.put(op.id(), out);
        }
        return new Option(out, params, flops, Map.of(node.key(), c.name()));
    }

    private List<Option> inputOptions(Node.InputChoiceNode node, State s) {
        List<String> from = node.from();
        Map<String, Shape> present = new LinkedHashMap<>();
        for (int k = 0; k < from.size(); k++) {
            Shape shape = s.shapes().get(indexOf(node.inputs().get(k)));
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
            List<Shape> shapes = new ArrayList<>();
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
                Shape out = merge.shape().apply(shapes, names, new OpArgs(Map.of()));
                fits(merge.specName(), out, 0);
                options.add(new Option(out, 0, 0, decided));
            } catch (ShapeException e) {
                error(node.pos(), "when " + node.label() + " chooses " + subset + ": " + e.getMessage(), null);
            }
        }
        return options;
    }

    private static final int MAX_SUBSETS = 10_000;

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
}

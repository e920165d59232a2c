package org.nas4j.spec;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Infers shapes over every child of a spec at once, without building any of them, and counts the
 * parameters of the smallest and the largest child exactly; or describes the one child an
 * architecture selects.
 *
 * <p>The work is a walk over the model with a set of states ({@link ShapeWalk}), each node giving
 * its options in a state by its kind's rules ({@link NodeOptions}). When shared keys entangle too
 * many states (cells that share one genotype across a network), the check runs again relaxed: a
 * decision whose options all give one shape at a node is not carried on, since it cannot change
 * any later shape. SampleShape errors stay exact; the parameter counts become bounds (no smaller, no
 * larger child exists) and are marked as such.
 */
public final class ShapeChecker {
    /**
     * Most values one tensor may hold and most parameters one child may have: the engine indexes
     * with ints (2^31 - 1), and a child past that could not be trained here anyway.
     */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE;
    /** Most states carried between two nodes before the check gives up (with an error). */
    public static final int MAX_STATES = 100_000;

    /**
     * The outcome of a check that reached the end of the model.
     *
     * @param outputs   the shapes the model's output can have
     * @param minParams parameters of the smallest child, reached by {@code minArch}
     * @param maxParams parameters of the largest child, reached by {@code maxArch}
     * @param boundsReason null when the counts are exact; else why they are bounds (and the
     *                  architectures only indicative)
     */
    public record Result(Set<SampleShape> outputs, long minParams, Map<String, Object> minArch,
                         long maxParams, Map<String, Object> maxArch, String boundsReason) {
        /** Whether the counts are exact. */
        public boolean exact() {
            return boundsReason == null;
        }
    }

    /**
     * One child: its output shape, its parameters and FLOPs (counting only the nodes it runs), the ids of
     * those nodes, and every node's output shape.
     */
    public record Child(SampleShape output, long params, long flops, Set<String> live, Map<String, SampleShape> shapes) { }

    private ShapeChecker() {
    }

    /** Checks a parsed, structurally sound spec; returns null when errors stop it. */
    public static Result check(Spec spec, Diagnostics diag) {
        return check(spec, Map.of(), diag);
    }

    /**
     * Checks only the children that take the given decisions (key -> value as in an architecture
     * file); with every key given, the result describes that one child.
     */
    public static Result check(Spec spec, Map<String, Object> fixed, Diagnostics diag) {
        Diagnostics exactErrors = new Diagnostics();
        ShapeWalk exact = new ShapeWalk(spec, exactErrors, false, fixed);
        // Where children may leave nodes out, the counts are bounds anyway: go straight to the
        // cheaper relaxed check, which finds the same shape errors.
        boolean boundsAnyway = fixed.isEmpty() && exact.graph().hasOptionalNodes();
        Result result = boundsAnyway ? null : exact.run();
        if (!boundsAnyway && exact.overflowAt() < 0) {
            exactErrors.errors().forEach(e -> diag.error(e.pos(), e.message(), e.hint()));
            return result;
        }
        ShapeWalk relaxed = new ShapeWalk(spec, diag, true, fixed);
        result = relaxed.run();
        if (relaxed.overflowAt() >= 0) {
            Node at = spec.model().get(relaxed.overflowAt());
            diag.error(at.pos(), ModelGraph.named(at) + "checking every child needs more than " + MAX_STATES
                    + " combinations of shapes and shared decisions at this node",
                    "fewer value choices that change shapes keep the check small");
        }
        return result;
    }

    /**
     * Describes the child that an architecture (a value for every key, already checked against the
     * space) selects; null with errors recorded when its shapes do not work out.
     */
    public static Child child(Spec spec, Map<String, Object> architecture, Diagnostics diag) {
        return children(spec).child(architecture, diag);
    }

    /** Describes children of {@code spec} one after another, reusing what their checks share. */
    public static Children children(Spec spec) {
        return new Children(spec);
    }

    /**
     * Describes many children of one spec: the model's graph and what each layer choice's
     * candidates give per input shape are worked out once, not once per child (a table search
     * counts every trial's parameters; NAS-Bench-201 has 90 layer choices of 5 candidates each).
     * One thread at a time.
     */
    public static final class Children {
        private final Spec spec;
        private final NodeOptions options;

        private Children(Spec spec) {
            this.spec = spec;
            this.options = new NodeOptions(new ModelGraph(spec.model()));
        }

        /** The child an architecture selects, as {@link ShapeChecker#child} describes it. */
        public Child child(Map<String, Object> architecture, Diagnostics diag) {
            return describe(new ShapeWalk(spec, options, diag, false, architecture), architecture);
        }
    }

    private static Child describe(ShapeWalk walk, Map<String, Object> architecture) {
        Result r = walk.run();
        if (r == null) {
            return null;
        }
        ModelGraph graph = walk.graph();
        boolean[] live = live(walk, architecture);
        long params = 0;
        long flops = 0;
        Set<String> liveIds = new LinkedHashSet<>();
        Map<String, SampleShape> shapes = new HashMap<>();
        for (int i = 0; i < graph.size(); i++) {
            if (live[i]) {
                params += walk.first(i).params();
                flops = Counts.saturatedSum(flops, walk.first(i).flops());
                liveIds.add(graph.node(i).id());
            }
            shapes.put(graph.node(i).id(), walk.first(i).out());
        }
        return new Child(r.outputs().iterator().next(), params, flops, Collections.unmodifiableSet(liveIds), Collections.unmodifiableMap(shapes));
    }

    /** Which nodes the chosen child runs: those its output depends on. */
    private static boolean[] live(ShapeWalk walk, Map<String, Object> architecture) {
        ModelGraph graph = walk.graph();
        boolean[] live = new boolean[graph.size()];
        live[graph.size() - 1] = true;
        for (int i = graph.size() - 1; i >= 0; i--) {
            SampleShape out = walk.first(i).out();
            if (out.equals(NodeOptions.INACTIVE) || out.equals(NodeOptions.ABSENT)) {
                live[i] = false;
            }
            if (!live[i]) {
                continue;
            }
            Node node = graph.node(i);
            List<Integer> reads = graph.reads(i);
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
}

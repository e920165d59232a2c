package org.nas4j.spec;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dataset kinds, evaluator types and ops that plug-ins add to the spec language, with the fields
 * each takes beyond the built-in ones. The spec reads and checks them like its own; what they do
 * lives in the plug-in, out of the spec's sight (which knows no DJL).
 */
public final class Extensions {
    /** A name a plug-in adds, the fields it takes (scalars, handed over as text) and where it comes from (for messages). */
    public record Kind(String name, List<String> fields, String source) {
        /** Copies the field list. */
        public Kind {
            fields = List.copyOf(fields);
        }
    }

    private static final Map<String, Kind> DATASETS = new TreeMap<>();
    private static final Map<String, Kind> EVALUATORS = new TreeMap<>();
    private static final Map<String, Op> OPS = new TreeMap<>();
    private static final Map<String, String> OP_SOURCES = new TreeMap<>();

    private Extensions() {
    }

    /** Adds a dataset kind ({@code data: {dataset: NAME, ...}}); a name nas4j or another plug-in has is refused. */
    public static synchronized void addDataset(Kind kind) {
        add(DATASETS, Spec.DataSpec.DATASETS, kind, "dataset");
    }

    /** Adds an evaluator type ({@code search.evaluator: {type: NAME, ...}}); a name nas4j or another plug-in has is refused. */
    public static synchronized void addEvaluator(Kind kind) {
        add(EVALUATORS, Spec.EvaluatorSpec.TYPES, kind, "evaluator");
    }

    private static void add(Map<String, Kind> to, List<String> builtIn, Kind kind, String what) {
        Kind had = to.get(kind.name());
        if (builtIn.contains(kind.name()) || (had != null && !had.source().equals(kind.source()))) {
            throw new IllegalArgumentException(kind.source() + " adds the " + what + " '" + kind.name() + "', which "
                    + (had != null ? had.source() : "nas4j") + " already has");
        }
        to.put(kind.name(), kind);
    }

    /** Adds an op ({@code op: NAME}), checked and counted by its own rules; a name nas4j or another plug-in has is refused. */
    public static synchronized void addOp(Op op, String source) {
        String had = OP_SOURCES.get(op.specName());
        if (OpDef.named(op.specName()) != null || (had != null && !had.equals(source))) {
            throw new IllegalArgumentException(source + " adds the op '" + op.specName() + "', which " + (had != null ? had : "nas4j")
                    + " already has");
        }
        if (op.merge()) {
            throw new IllegalArgumentException(source + ": op '" + op.specName() + "' merges inputs; only nas4j's add, mean and concat do");
        }
        OPS.put(op.specName(), op);
        OP_SOURCES.put(op.specName(), source);
    }

    /** The ops plug-ins added, by name. */
    public static synchronized Map<String, Op> ops() {
        return Map.copyOf(OPS);
    }

    /** The dataset kinds plug-ins added, by name. */
    public static synchronized Map<String, Kind> datasets() {
        return Map.copyOf(DATASETS);
    }

    /** The evaluator types plug-ins added, by name. */
    public static synchronized Map<String, Kind> evaluators() {
        return Map.copyOf(EVALUATORS);
    }
}

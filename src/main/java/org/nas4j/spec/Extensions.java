package org.nas4j.spec;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dataset kinds and evaluator types that plug-ins add to the spec language, with the fields
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

    /** The dataset kinds plug-ins added, by name. */
    public static synchronized Map<String, Kind> datasets() {
        return Map.copyOf(DATASETS);
    }

    /** The evaluator types plug-ins added, by name. */
    public static synchronized Map<String, Kind> evaluators() {
        return Map.copyOf(EVALUATORS);
    }
}

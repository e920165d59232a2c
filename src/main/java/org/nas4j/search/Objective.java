package org.nas4j.search;

import java.util.List;
import java.util.Map;

/**
 * One objective of a multi-objective search: a metric a trial records, and whether more is
 * better. Points handed to {@link Pareto} maximise every objective, so a cost enters negated.
 */
public record Objective(String metric, boolean maximize) {
    /** The metric of a child's inference latency as measured here, in milliseconds at batch 1. */
    public static final String LATENCY = "latency-ms";

    /**
     * A trial's point: each objective's metric, negated when it is minimised; null when the
     * trial failed or lacks one of them (it then has no place on any front).
     */
    public static double[] point(List<Objective> objectives, Map<String, Object> metrics, double score) {
        if (Double.isNaN(score)) {
            return null;
        }
        double[] p = new double[objectives.size()];
        for (int k = 0; k < p.length; k++) {
            Objective o = objectives.get(k);
            if (!(metrics.get(o.metric()) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                return null;
            }
            p[k] = o.maximize() ? n.doubleValue() : -n.doubleValue();
        }
        return p;
    }
}

package org.nas4j.search;

import org.nas4j.space.Architecture;

/**
 * A strategy that gives each trial its budget (hyperband, asha, bohb): it proposes through
 * {@link #next()} and must hear each result with the budget it ran at, in its metrics.
 */
interface BudgetedStrategy extends Strategy {

    /** The architecture of the next proposal, for callers that take no budgets; null also while it waits. */
    @Override
    default Architecture propose() {
        Proposal p = next();
        return p == null || p == Proposal.WAIT ? null : p.architecture();
    }

    /** Refused: a result without its budget cannot be placed on a rung. */
    @Override
    default void report(Architecture architecture, double score) {
        throw new IllegalStateException(getClass().getSimpleName() + " needs a trial's budget: report(architecture, score, metrics)");
    }

    /** A score to rank by: a failed trial (NaN) below every other. */
    static double rankable(double score) {
        return Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score;
    }
}

package org.nas4j.search;

import org.nas4j.space.Architecture;

/**
 * A trial a strategy asks for: an architecture and its budget in epochs (null: the run's epochs
 * per trial). Multi-fidelity strategies give budgets; they may also answer {@link #WAIT} when
 * what they propose next depends on trials still running.
 */
public record Proposal(Architecture architecture, Integer budget) {
    /** Nothing until a running trial finishes (a rung is not complete yet). */
    public static final Proposal WAIT = new Proposal(null, null);

    /** The budget a finished trial ran at: its {@code budget} metric, or null. */
    static Integer budgetOf(Trial trial) {
        return budgetOf(trial.metrics());
    }

    /** The budget in a trial's metrics, or null. */
    static Integer budgetOf(java.util.Map<String, Object> metrics) {
        return metrics.get("budget") instanceof Number n ? n.intValue() : null;
    }

    /** Whether {@code trial} is this proposal run. */
    boolean ranAs(Trial trial) {
        return architecture.equals(trial.architecture()) && java.util.Objects.equals(budget, budgetOf(trial));
    }
}

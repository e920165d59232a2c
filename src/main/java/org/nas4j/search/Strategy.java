package org.nas4j.search;
import org.nas4j.space.Architecture;


/**
 * A multi-trial search strategy: proposes architectures one at a time and hears their scores.
 * A strategy is a deterministic function of its seed and the scores it heard, so a run resumes
 * by replaying its journal into a fresh strategy.
 */
public interface Strategy {

    /** The next architecture to evaluate, or null when the strategy has nothing new to propose. */
    Architecture propose();

    /**
     * The next trial: an architecture and its budget, {@link Proposal#WAIT} until a running trial
     * finishes, or null when there is nothing left. Strategies without budgets propose at the run's.
     */
    default Proposal next() {
        Architecture a = propose();
        return a == null ? null : new Proposal(a, null);
    }

    /** The score of an architecture it proposed: higher is better; NaN for a failed trial. */
    void report(Architecture architecture, double score);

    /**
     * The score and every metric the trial recorded (params, flops, a table's fields, the
     * {@code budget} it ran at): what multi-objective and multi-fidelity strategies rank by.
     * Others hear the score alone.
     */
    default void report(Architecture architecture, double score, java.util.Map<String, Object> metrics) {
        report(architecture, score);
    }
}

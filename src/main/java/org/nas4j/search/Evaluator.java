package org.nas4j.search;
import org.nas4j.space.Architecture;

import java.util.Map;

/** Scores an architecture for a multi-trial search. */
public interface Evaluator {

    /** A score (higher is better) and the metrics to record. */
    record Evaluation(double score, Map<String, Object> metrics) { }

    /** Evaluates one architecture; an exception fails the trial (its message is recorded), not the search. */
    Evaluation evaluate(Architecture architecture) throws Exception;

    /** Evaluates one architecture at {@code budget} epochs (null: the run's); evaluators without budgets refuse one. */
    default Evaluation evaluate(Architecture architecture, Integer budget) throws Exception {
        if (budget != null) {
            throw new IllegalArgumentException("this evaluator cannot vary a trial's budget");
        }
        return evaluate(architecture);
    }

    /** A trial finished before this evaluator existed (a resumed run's journal): what it learns from it, if anything. */
    default void heard(Trial trial) {
    }
}

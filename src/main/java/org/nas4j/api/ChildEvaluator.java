package org.nas4j.api;

/** The team's own evaluation of a child: train it, time it, measure it; higher scores are better. */
@FunctionalInterface
public interface ChildEvaluator {
    /** The child's score; an exception fails this trial only (its message is recorded) and the search goes on. */
    double evaluate(Child child) throws Exception;
}

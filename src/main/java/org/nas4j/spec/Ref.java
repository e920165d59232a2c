package org.nas4j.spec;

/** A reference to a node by id, where it was written. {@code input} names the model's input. */
public record Ref(String id, Pos pos) {
    /** The id that names the model's input. */
    public static final String MODEL_INPUT = org.nas4j.space.SearchSpace.MODEL_INPUT;
}

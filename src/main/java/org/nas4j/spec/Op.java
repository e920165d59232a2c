package org.nas4j.spec;

import java.util.List;
import java.util.Optional;

/**
 * What the spec knows of an op: the name a spec writes, its fields, whether it merges several
 * inputs, and its rules for the output shape, the trainable parameters and the FLOPs. nas4j's own
 * ops are {@link OpDef}; a plug-in's ops implement this through {@code supernet.OpPlugin}.
 */
public interface Op {
    /** The name a spec writes, such as {@code conv2d}. */
    String specName();

    /** Its fields, in the order of its documentation. */
    List<FieldDef> fields();

    /** Whether it merges several named inputs (only nas4j's add, mean and concat do). */
    default boolean merge() {
        return false;
    }

    /** Its output shape rule. */
    OpDef.ShapeRule shape();

    /** Its trainable parameter count, as PyTorch counts them. */
    OpDef.ParamRule params();

    /** Its multiply-accumulates per sample. */
    OpDef.FlopRule flops();

    /** The definition of a field, if the op has it. */
    default Optional<FieldDef> field(String fieldName) {
        return fields().stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }
}

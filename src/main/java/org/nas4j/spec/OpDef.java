package org.nas4j.spec;

import java.util.List;
import java.util.Optional;

/**
 * What the spec knows of an op: its fields, whether it merges several inputs, its output shape
 * its trainable parameter count (as PyTorch counts them: batch-norm running statistics
 * excluded) and its FLOPs (multiply-accumulates of one sample, as NAS papers count them). Pure Java, so that specs are checked without starting a native engine.
 */
public record OpDef(String name, List<FieldDef> fields, boolean merge, ShapeRule shape, ParamRule params, FlopRule flops) {

    /** Computes the output shape from the input shapes (named, for messages). */
    @FunctionalInterface
    public interface ShapeRule {
        /** The output shape, or a {@link ShapeException} saying why the inputs do not fit. */
        Shape apply(List<Shape> inputs, List<String> names, OpArgs args) throws ShapeException;
    }

    /** Counts the trainable parameters from the (first) input shape; ArithmeticException past a long. */
    @FunctionalInterface
    public interface ParamRule {
        /** The number of trainable parameters. */
        long apply(Shape input, OpArgs args);
    }

    /** Counts the multiply-accumulates of one sample; saturates at Long.MAX_VALUE. */
    @FunctionalInterface
    public interface FlopRule {
        /** The multiply-accumulates from the (first) input shape and the output shape. */
        long apply(Shape input, Shape output, OpArgs args);
    }

    /** The definition of a field, if the op has it. */
    public Optional<FieldDef> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }
}

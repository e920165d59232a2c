package org.nas4j.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The ops a spec may use, each described once, in the order of docs/spec.md: the name a spec
 * writes, its fields, whether it merges several inputs, its output shape, its trainable parameter
 * count (as PyTorch counts them: batch-norm running statistics excluded) and its FLOPs
 * (multiply-accumulates of one sample, as NAS papers count them). This is the one list of op
 * names: the runtime keys its blocks by these constants, so an op cannot be known to one side
 * only. Pure Java, so that specs are checked without starting a native engine.
 */
public enum OpDef implements Op {
    CONV2D("conv2d", List.of(FieldDef.requiredInt("channels", 1), FieldDef.requiredInt("kernel", 1),
            FieldDef.optionalInt("stride", 1, 1), FieldDef.padding(), FieldDef.optionalInt("dilation", 1, 1),
            FieldDef.optionalInt("groups", 1, 1), FieldDef.bool("bias", true)),
            OpRules::conv2dShape, OpRules::conv2dParams, OpRules::conv2dFlops),
    LINEAR("linear", List.of(FieldDef.requiredInt("units", 1), FieldDef.bool("bias", true)),
            OpRules::linearShape, OpRules::linearParams, OpRules::linearFlops),
    RELU("relu"),
    RELU6("relu6"),
    HSWISH("hswish"),
    SIGMOID("sigmoid"),
    TANH("tanh"),
    GELU("gelu"),
    IDENTITY("identity"),
    MAXPOOL("maxpool", OpRules.poolFields(), OpRules.poolShape("maxpool"), OpRules::noParams, OpRules::noFlops),
    AVGPOOL("avgpool", OpRules.avgPoolFields(), OpRules.poolShape("avgpool"), OpRules::noParams, OpRules::noFlops),
    GLOBAL_AVGPOOL("global-avgpool", List.of(), OpRules::globalPoolShape, OpRules::noParams, OpRules::noFlops),
    BATCHNORM("batchnorm", List.of(FieldDef.bool("affine", true)), OpRules::normShape, OpRules::normParams, OpRules::noFlops),
    LAYERNORM("layernorm", List.of(FieldDef.bool("affine", true)), OpRules::normShape, OpRules::normParams, OpRules::noFlops),
    DROPOUT("dropout", List.of(FieldDef.rate("rate", 0.5)), OpRules::sameShape, OpRules::noParams, OpRules::noFlops),
    FLATTEN("flatten", List.of(), OpRules::flattenShape, OpRules::noParams, OpRules::noFlops),
    ZERO("zero", List.of(FieldDef.optionalInt("stride", 1, 1)), OpRules::zeroShape, OpRules::noParams, OpRules::noFlops),
    ADD("add", OpRules::sameShapes),
    MEAN("mean", OpRules::sameShapes),
    CONCAT("concat", OpRules::concatShape);

    /** Computes the output shape from the input shapes (named, for messages). */
    @FunctionalInterface
    public interface ShapeRule {
        /** The output shape, or a {@link ShapeException} saying why the inputs do not fit. */
        SampleShape apply(List<SampleShape> inputs, List<String> names, OpArgs args) throws ShapeException;
    }

    /** Counts the trainable parameters from the (first) input shape; ArithmeticException past a long. */
    @FunctionalInterface
    public interface ParamRule {
        /** The number of trainable parameters. */
        long apply(SampleShape input, OpArgs args);
    }

    /** Counts the multiply-accumulates of one sample; saturates at Long.MAX_VALUE. */
    @FunctionalInterface
    public interface FlopRule {
        /** The multiply-accumulates from the (first) input shape and the output shape. */
        long apply(SampleShape input, SampleShape output, OpArgs args);
    }

    private static final Map<String, OpDef> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(OpDef::specName, Function.identity()));

    private final String specName;
    private final List<FieldDef> fields;
    private final boolean merge;
    private final ShapeRule shape;
    private final ParamRule params;
    private final FlopRule flops;

    OpDef(String specName, List<FieldDef> fields, ShapeRule shape, ParamRule params, FlopRule flops) {
        this(specName, fields, false, shape, params, flops);
    }

    /** An element-wise op without fields: the shape is unchanged, nothing to train or count. */
    OpDef(String specName) {
        this(specName, List.of(), false, OpRules::sameShape, OpRules::noParams, OpRules::noFlops);
    }

    /** An op that merges named inputs: no fields, nothing to train or count. */
    OpDef(String specName, ShapeRule shape) {
        this(specName, List.of(), true, shape, OpRules::noParams, OpRules::noFlops);
    }

    OpDef(String specName, List<FieldDef> fields, boolean merge, ShapeRule shape, ParamRule params, FlopRule flops) {
        this.specName = specName;
        this.fields = fields;
        this.merge = merge;
        this.shape = shape;
        this.params = params;
        this.flops = flops;
    }

    /** The op a spec names so, or null. */
    public static OpDef named(String specName) {
        return BY_NAME.get(specName);
    }

    /** Every op's name as a spec writes it, in the order of the documentation. */
    public static List<String> names() {
        return Arrays.stream(values()).map(OpDef::specName).toList();
    }

    @Override
    public String specName() {
        return specName;
    }

    @Override
    public List<FieldDef> fields() {
        return fields;
    }

    @Override
    public boolean merge() {
        return merge;
    }

    @Override
    public ShapeRule shape() {
        return shape;
    }

    @Override
    public ParamRule params() {
        return params;
    }

    @Override
    public FlopRule flops() {
        return flops;
    }
}

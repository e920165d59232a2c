package org.nas4j.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The ops a spec may use (PRODUCT.md's list), with their fields, shapes and parameter counts. */
public final class Ops {
    private static final Map<String, OpDef> OPS = new LinkedHashMap<>();
    private static final OpDef.ParamRule NO_PARAMS = (in, a) -> 0;
    private static final OpDef.FlopRule NO_FLOPS = (in, out, a) -> 0;
    private static final OpDef.ShapeRule SAME = (in, n, a) -> in.get(0);
    /** The largest dimension a shape may have (the engine indexes with ints). */
    public static final int MAX_DIMENSION = Integer.MAX_VALUE;

    static {
        add("conv2d", List.of(FieldDef.requiredInt("channels", 1), FieldDef.requiredInt("kernel", 1),
                FieldDef.optionalInt("stride", 1, 1), FieldDef.padding(), FieldDef.optionalInt("dilation", 1, 1),
                FieldDef.optionalInt("groups", 1, 1), FieldDef.bool("bias", true)),
                Ops::conv2dShape,
                (in, a) -> Math.addExact(product(a.integer("channels"), in.dim(0) / a.integer("groups"), a.integer("kernel"),
                        a.integer("kernel")), a.bool("bias") ? a.integer("channels") : 0),
                // Every output value costs (input channels / groups) x kernel x kernel multiply-accumulates.
                (in, out, a) -> saturated(out.size(), in.dim(0) / a.integer("groups"), a.integer("kernel"), a.integer("kernel")));
        add("linear", List.of(FieldDef.requiredInt("units", 1), FieldDef.bool("bias", true)),
                (in, n, a) -> {
                    Shape s = in.get(0);
                    if (s.rank() != 1) {
                        throw new ShapeException("linear needs a flat [features] input, got " + s + "; add {op: flatten} before it");
                    }
                    return Shape.of(a.integer("units"));
                },
                (in, a) -> Math.addExact(product(in.dim(0), a.integer("units")), a.bool("bias") ? a.integer("units") : 0),
                (in, out, a) -> saturated(in.dim(0), a.integer("units")));
        for (String activation : List.of("relu", "relu6", "hswish", "sigmoid", "tanh", "gelu", "identity")) {
            add(activation, List.of(), SAME, NO_PARAMS, NO_FLOPS);
        }
        for (String pool : List.of("maxpool", "avgpool")) {
            add(pool, List.of(FieldDef.requiredInt("kernel", 1), FieldDef.optionalInt("stride", 1, null),
                    new FieldDef("padding", FieldType.INT, 0, false, 0, Double.POSITIVE_INFINITY, false)),
                    (in, n, a) -> poolShape(pool, in.get(0), a), NO_PARAMS, NO_FLOPS);
        }
        add("global-avgpool", List.of(), (in, n, a) -> Shape.of(spatial("global-avgpool", in.get(0)).dim(0)), NO_PARAMS, NO_FLOPS);
        add("batchnorm", List.of(FieldDef.bool("affine", true)), Ops::normShape,
                (in, a) -> a.bool("affine") ? 2L * in.dim(0) : 0, NO_FLOPS);
        add("layernorm", List.of(FieldDef.bool("affine", true)), Ops::normShape,
                (in, a) -> a.bool("affine") ? 2L * in.dim(0) : 0, NO_FLOPS);
        add("dropout", List.of(FieldDef.rate("rate", 0.5)), SAME, NO_PARAMS, NO_FLOPS);
        add("flatten", List.of(), (in, n, a) -> Shape.of(dimension("flatten", in.get(0).size())), NO_PARAMS, NO_FLOPS);
        add("zero", List.of(FieldDef.optionalInt("stride", 1, 1)), Ops::zeroShape, NO_PARAMS, NO_FLOPS);
        addMerge("add", Ops::sameShapes);
        addMerge("mean", Ops::sameShapes);
        addMerge("concat", Ops::concatShape);
    }

    private Ops() {
    }

    /** The op of this name, or null. */
    public static OpDef get(String name) {
        return OPS.get(name);
    }

    /** Every op name, in the order of the documentation. */
    public static List<String> names() {
        return List.copyOf(OPS.keySet());
    }

    private static void add(String name, List<FieldDef> fields, OpDef.ShapeRule shape, OpDef.ParamRule params, OpDef.FlopRule flops) {
        OPS.put(name, new OpDef(name, fields, false, shape, params, flops));
    }

    private static void addMerge(String name, OpDef.ShapeRule shape) {
        OPS.put(name, new OpDef(name, List.of(), true, shape, NO_PARAMS, NO_FLOPS));
    }

    private static Shape spatial(String op, Shape s) throws ShapeException {
        if (s.rank() != 3) {
            throw new ShapeException(op + " needs a [channels, height, width] input, got " + s);
        }
        return s;
    }

    private static Shape conv2dShape(List<Shape> in, List<String> names, OpArgs a) throws ShapeException {
        Shape s = spatial("conv2d", in.get(0));
        int k = a.integer("kernel");
        int d = a.integer("dilation");
        int groups = a.integer("groups");
        int channels = a.integer("channels");
        if (s.dim(0) % groups != 0 || channels % groups != 0) {
            throw new ShapeException("conv2d groups " + groups + " must divide both the input channels (" + s.dim(0)
                    + ") and the output channels (" + channels + ")");
        }
        long pad;
        if (a.isSame("padding")) {
            if (k % 2 == 0) {
                throw new ShapeException("conv2d padding 'same' needs an odd kernel, got kernel " + k);
            }
            pad = (long) d * (k - 1) / 2;
        } else {
            pad = a.integer("padding");
        }
        int stride = a.integer("stride");
        long extent = (long) d * (k - 1) + 1;
        long h = Math.floorDiv(s.dim(1) + 2 * pad - extent, stride) + 1;
        long w = Math.floorDiv(s.dim(2) + 2 * pad - extent, stride) + 1;
        if (h < 1 || w < 1) {
            throw new ShapeException("conv2d kernel " + k + (d > 1 ? " (dilation " + d + ")" : "") + " with padding " + pad
                    + " does not fit the " + s.dim(1) + "x" + s.dim(2) + " input " + s);
        }
        return Shape.of(channels, dimension("conv2d", h), dimension("conv2d", w));
    }

    /** The product of factors; throws ArithmeticException past a long. */
    private static long product(long... factors) {
        long p = 1;
        for (long f : factors) {
            p = Math.multiplyExact(p, f);
        }
        return p;
    }

    /** The product of factors, or Long.MAX_VALUE past a long (FLOPs are compared with a limit, never summed exactly). */
    private static long saturated(long... factors) {
        try {
            return product(factors);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** A dimension that fits the engine's int sizes, or an error saying it is too large. */
    private static int dimension(String op, long size) throws ShapeException {
        if (size > MAX_DIMENSION) {
            throw new ShapeException(op + " would give a dimension of " + size + ", more than the " + MAX_DIMENSION + " allowed");
        }
        return (int) size;
    }

    private static Shape poolShape(String op, Shape in, OpArgs a) throws ShapeException {
        Shape s = spatial(op, in);
        int k = a.integer("kernel");
        int stride = a.has("stride") ? a.integer("stride") : k;
        int pad = a.integer("padding");
        if (2 * pad > k) {
            throw new ShapeException(op + " padding " + pad + " must be at most half the kernel " + k);
        }
        long h = Math.floorDiv(s.dim(1) + 2L * pad - k, stride) + 1;
        long w = Math.floorDiv(s.dim(2) + 2L * pad - k, stride) + 1;
        if (h < 1 || w < 1) {
            throw new ShapeException(op + " kernel " + k + " does not fit the " + s.dim(1) + "x" + s.dim(2) + " input " + s);
        }
        return Shape.of(s.dim(0), dimension(op, h), dimension(op, w));
    }

    private static Shape normShape(List<Shape> in, List<String> names, OpArgs a) throws ShapeException {
        Shape s = in.get(0);
        if (s.rank() != 1 && s.rank() != 3) {
            throw new ShapeException("normalisation needs a [features] or [channels, height, width] input, got " + s);
        }
        return s;
    }

    private static Shape zeroShape(List<Shape> in, List<String> names, OpArgs a) throws ShapeException {
        int stride = a.integer("stride");
        Shape s = in.get(0);
        if (stride == 1) {
            return s;
        }
        spatial("zero with a stride", s);
        return Shape.of(s.dim(0), ceilDiv(s.dim(1), stride), ceilDiv(s.dim(2), stride));
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    private static Shape sameShapes(List<Shape> in, List<String> names, OpArgs a) throws ShapeException {
        if (in.stream().distinct().count() > 1) {
            throw new ShapeException("inputs must have the same shape: " + listed(in, names));
        }
        return in.get(0);
    }

    private static Shape concatShape(List<Shape> in, List<String> names, OpArgs a) throws ShapeException {
        Shape first = in.get(0);
        boolean fits = in.stream().allMatch(s -> s.rank() == first.rank() && s.dims().subList(1, s.rank()).equals(first.dims().subList(1, first.rank())));
        if (!fits) {
            throw new ShapeException("concat joins along the first axis, so the other axes must agree: " + listed(in, names));
        }
        List<Integer> dims = new ArrayList<>(first.dims());
        dims.set(0, dimension("concat", in.stream().mapToLong(s -> s.dim(0)).sum()));
        return new Shape(Collections.unmodifiableList(dims));
    }

    /** "a [1, 2], b [3, 4]": shapes with the names of the nodes they come from. */
    static String listed(List<Shape> shapes, List<String> names) {
        return IntStream.range(0, shapes.size()).mapToObj(i -> names.get(i) + " " + shapes.get(i)).collect(Collectors.joining(", "));
    }
}

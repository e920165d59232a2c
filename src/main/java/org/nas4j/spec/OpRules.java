package org.nas4j.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The shape, parameter and FLOP rules of the ops in {@link OpDef}, and the checks they share
 * (spatial inputs, dimensions that fit the engine, products that do not overflow).
 */
final class OpRules {
    /** The largest dimension a shape may have (the engine indexes with ints). */
    static final int MAX_DIMENSION = Integer.MAX_VALUE;

    private OpRules() {
    }

    /** A maxpool's or avgpool's fields: the stride defaults to the kernel. */
    static List<FieldDef> poolFields() {
        return List.of(FieldDef.requiredInt("kernel", 1), FieldDef.optionalInt("stride", 1, null),
                new FieldDef("padding", FieldType.INT, 0, false, 0, Double.POSITIVE_INFINITY, false));
    }

    /**
     * An average pool's fields: a pool's, and whether padding counts in the average (PyTorch's
     * count_include_pad; DARTS's and NAS-Bench-201's avg_pool_3x3 leave it out).
     */
    static List<FieldDef> avgPoolFields() {
        List<FieldDef> fields = new java.util.ArrayList<>(poolFields());
        fields.add(FieldDef.bool("count-include-pad", true));
        return List.copyOf(fields);
    }

    /** The input shape, unchanged. */
    static SampleShape sameShape(List<SampleShape> in, List<String> names, OpArgs a) {
        return in.get(0);
    }

    /** No trainable parameters. */
    static long noParams(SampleShape in, OpArgs a) {
        return 0;
    }

    /** No multiply-accumulates counted (only conv2d and linear are, as NAS papers count them). */
    static long noFlops(SampleShape in, SampleShape out, OpArgs a) {
        return 0;
    }

    /** Weights of channels x (input channels / groups) x kernel x kernel, and a bias per channel. */
    static long conv2dParams(SampleShape in, OpArgs a) {
        return Math.addExact(product(a.integer("channels"), in.dim(0) / a.integer("groups"), a.integer("kernel"), a.integer("kernel")),
                a.bool("bias") ? a.integer("channels") : 0);
    }

    /** Every output value costs (input channels / groups) x kernel x kernel multiply-accumulates. */
    static long conv2dFlops(SampleShape in, SampleShape out, OpArgs a) {
        return saturated(out.size(), in.dim(0) / a.integer("groups"), a.integer("kernel"), a.integer("kernel"));
    }

    /** [features] -> [units]; a spatial input must be flattened first. */
    static SampleShape linearShape(List<SampleShape> in, List<String> names, OpArgs a) throws ShapeException {
        SampleShape s = in.get(0);
        if (s.rank() != 1) {
            throw new ShapeException("linear needs a flat [features] input, got " + s + "; add {op: flatten} before it");
        }
        return SampleShape.of(a.integer("units"));
    }

    /** Weights of features x units, and a bias per unit. */
    static long linearParams(SampleShape in, OpArgs a) {
        return Math.addExact(product(in.dim(0), a.integer("units")), a.bool("bias") ? a.integer("units") : 0);
    }

    /** One multiply-accumulate per weight. */
    static long linearFlops(SampleShape in, SampleShape out, OpArgs a) {
        return saturated(in.dim(0), a.integer("units"));
    }

    /** [C, H, W] -> [C]. */
    static SampleShape globalPoolShape(List<SampleShape> in, List<String> names, OpArgs a) throws ShapeException {
        return SampleShape.of(spatial("global-avgpool", in.get(0)).dim(0));
    }

    /** A scale and a shift per channel (or feature) when affine. */
    static long normParams(SampleShape in, OpArgs a) {
        return a.bool("affine") ? 2L * in.dim(0) : 0;
    }

    /** [C, H, W] -> [C x H x W]. */
    static SampleShape flattenShape(List<SampleShape> in, List<String> names, OpArgs a) throws ShapeException {
        return SampleShape.of(dimension("flatten", in.get(0).size()));
    }

    private static SampleShape spatial(String op, SampleShape s) throws ShapeException {
        if (s.rank() != 3) {
            throw new ShapeException(op + " needs a [channels, height, width] input, got " + s);
        }
        return s;
    }

    /** [C, H, W] -> [channels, H', W'], H' = floor((H + 2 padding - dilation (kernel - 1) - 1) / stride) + 1. */
    static SampleShape conv2dShape(List<SampleShape> in, List<String> names, OpArgs a) throws ShapeException {
        SampleShape s = spatial("conv2d", in.get(0));
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
        return SampleShape.of(channels, dimension("conv2d", h), dimension("conv2d", w));
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

    /** The shape rule of a pool named {@code op} (for its messages). */
    static OpDef.ShapeRule poolShape(String op) {
        return (in, names, a) -> poolOutput(op, in.get(0), a);
    }

    private static SampleShape poolOutput(String op, SampleShape in, OpArgs a) throws ShapeException {
        SampleShape s = spatial(op, in);
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
        return SampleShape.of(s.dim(0), dimension(op, h), dimension(op, w));
    }

    /** Unchanged; only [features] and [channels, height, width] inputs are normalised. */
    static SampleShape normShape(List<SampleShape> in, List<String> names, OpArgs a) throws ShapeException {
        SampleShape s = in.get(0);
        if (s.rank() != 1 && s.rank() != 3) {
            throw new ShapeException("normalisation needs a [features] or [channels, height, width] input, got " + s);
        }
        return s;
    }

    /** Zeros of the input's shape, subsampled by the stride (DARTS's "none"). */
    static SampleShape zeroShape(List<SampleShape> in, List<String> names, OpArgs a) throws ShapeException {
        int stride = a.integer("stride");
        SampleShape s = in.get(0);
        if (stride == 1) {
            return s;
        }
        spatial("zero with a stride", s);
        return SampleShape.of(s.dim(0), ceilDiv(s.dim(1), stride), ceilDiv(s.dim(2), stride));
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    /** add and mean: inputs of one shape give that shape. */
    static SampleShape sameShapes(List<SampleShape> in, List<String> names, OpArgs a) throws ShapeException {
        if (in.stream().distinct().count() > 1) {
            throw new ShapeException("inputs must have the same shape: " + listed(in, names));
        }
        return in.get(0);
    }

    /** Joins along the first axis (channels or features); the other axes must agree. */
    static SampleShape concatShape(List<SampleShape> in, List<String> names, OpArgs a) throws ShapeException {
        SampleShape first = in.get(0);
        boolean fits = in.stream().allMatch(s -> s.rank() == first.rank() && s.dims().subList(1, s.rank()).equals(first.dims().subList(1, first.rank())));
        if (!fits) {
            throw new ShapeException("concat joins along the first axis, so the other axes must agree: " + listed(in, names));
        }
        List<Integer> dims = new ArrayList<>(first.dims());
        dims.set(0, dimension("concat", in.stream().mapToLong(s -> s.dim(0)).sum()));
        return new SampleShape(Collections.unmodifiableList(dims));
    }

    /** "a [1, 2], b [3, 4]": shapes with the names of the nodes they come from. */
    static String listed(List<SampleShape> shapes, List<String> names) {
        return IntStream.range(0, shapes.size()).mapToObj(i -> names.get(i) + " " + shapes.get(i)).collect(Collectors.joining(", "));
    }
}

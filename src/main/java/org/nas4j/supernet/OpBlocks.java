package org.nas4j.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.pooling.Pool;
import org.nas4j.spec.OpArgs;

/** Builds the DJL block of one (non-merge) op from its resolved fields. */
final class OpBlocks {
    private OpBlocks() {
    }

    /** The block for {@code op} with its fields, for inputs of {@code inputRank} axes per sample. */
    static Block of(String op, OpArgs a, int inputRank) {
        return switch (op) {
            case "conv2d" -> conv2d(a);
            case "linear" -> Linear.builder().setUnits(a.integer("units")).optBias(a.bool("bias")).build();
            case "relu" -> Activation.reluBlock();
            case "relu6" -> single(Activation::relu6);
            case "hswish" -> single(x -> x.mul(Activation.relu6(x.add(3f))).div(6f));
            case "sigmoid" -> Activation.sigmoidBlock();
            case "tanh" -> Activation.tanhBlock();
            case "gelu" -> single(Activation::gelu);
            case "identity" -> Blocks.identityBlock();
            case "maxpool" -> Pool.maxPool2dBlock(square(a.integer("kernel")), square(stride(a)), square(a.integer("padding")));
            case "avgpool" -> Pool.avgPool2dBlock(square(a.integer("kernel")), square(stride(a)), square(a.integer("padding")),
                    false, true);
            case "global-avgpool" -> single(x -> x.mean(new int[] {3}).mean(new int[] {2}));
            case "batchnorm" -> BatchNorm.builder().optCenter(a.bool("affine")).optScale(a.bool("affine"))
                    .optEpsilon(1e-5f).optMomentum(0.9f).build();
            case "layernorm" -> layerNorm(a.bool("affine"), inputRank);
            case "dropout" -> Dropout.builder().optRate((float) a.number("rate")).build();
            case "flatten" -> Blocks.batchFlattenBlock();
            case "zero" -> zero(a.integer("stride"));
            default -> throw new IllegalArgumentException("no block for op " + op);
        };
    }

    /**
     * Normalises over the channel (or feature) axis. PyTorch normalises trailing axes only, so a
     * [C, H, W] sample is moved to channels-last and back.
     */
    private static Block layerNorm(boolean affine, int inputRank) {
        if (inputRank == 1) {
            return LayerNorm.builder().axis(1).optCenter(affine).optScale(affine).optEpsilon(1e-5f).build();
        }
        return new SequentialBlock()
                .add(single(x -> x.transpose(0, 2, 3, 1)))
                .add(LayerNorm.builder().axis(3).optCenter(affine).optScale(affine).optEpsilon(1e-5f).build())
                .add(single(x -> x.transpose(0, 3, 1, 2)));
    }

    private static Block conv2d(OpArgs a) {
        int k = a.integer("kernel");
        int d = a.integer("dilation");
        int pad = a.isSame("padding") ? d * (k - 1) / 2 : a.integer("padding");
        return Conv2d.builder().setKernelShape(square(k)).setFilters(a.integer("channels"))
                .optStride(square(a.integer("stride"))).optPadding(square(pad)).optDilation(square(d))
                .optGroups(a.integer("groups")).optBias(a.bool("bias")).build();
    }

    private static int stride(OpArgs a) {
        return a.has("stride") ? a.integer("stride") : a.integer("kernel");
    }

    /** DARTS's "none": zeros, subsampled by the stride. */
    private static Block zero(int stride) {
        if (stride == 1) {
            return single(NDArray::zerosLike);
        }
        NDIndex every = new NDIndex(":, :, ::" + stride + ", ::" + stride);
        return single(x -> x.get(every).zerosLike());
    }

    private static Block single(java.util.function.Function<NDArray, NDArray> f) {
        return LambdaBlock.singleton(f);
    }

    private static Shape square(int n) {
        return new Shape(n, n);
    }
}

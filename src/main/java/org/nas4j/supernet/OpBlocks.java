package org.nas4j.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
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
import java.util.List;
import org.nas4j.spec.OpArgs;
import org.nas4j.spec.Op;
import org.nas4j.spec.OpDef;

/**
 * What each op of {@link OpDef} computes in DJL: the block of an op, or the merge of a merging
 * op's inputs. The switch over the ops has no default, so an op added to the spec without a
 * block here does not compile.
 */
final class OpBlocks {
    private OpBlocks() {
    }

    /** The block for a (non-merge) {@code op} with its fields, for inputs of {@code inputRank} axes per sample. */
    static Block of(Op op, OpArgs a, int inputRank) {
        if (op instanceof OpPlugin plugin) {
            return plugin.block(a, inputRank);
        }
        return switch ((OpDef) op) {
            case CONV2D -> conv2d(a);
            case LINEAR -> Linear.builder().setUnits(a.integer("units")).optBias(a.bool("bias")).build();
            case RELU -> Activation.reluBlock();
            case RELU6 -> single(Activation::relu6);
            case HSWISH -> single(x -> x.mul(Activation.relu6(x.add(3f))).div(6f));
            case SIGMOID -> Activation.sigmoidBlock();
            case TANH -> Activation.tanhBlock();
            case GELU -> single(Activation::gelu);
            case IDENTITY -> Blocks.identityBlock();
            case MAXPOOL -> Pool.maxPool2dBlock(square(a.integer("kernel")), square(stride(a)), square(a.integer("padding")));
            case AVGPOOL -> avgPool(a.integer("kernel"), stride(a), a.integer("padding"), a.bool("count-include-pad"));
            case GLOBAL_AVGPOOL -> single(x -> x.mean(new int[] {3}).mean(new int[] {2}));
            case BATCHNORM -> BatchNorm.builder().optCenter(a.bool("affine")).optScale(a.bool("affine"))
                    .optEpsilon(1e-5f).optMomentum(0.9f).build();
            case LAYERNORM -> layerNorm(a.bool("affine"), inputRank);
            case DROPOUT -> Dropout.builder().optRate((float) a.number("rate")).build();
            case FLATTEN -> Blocks.batchFlattenBlock();
            case ZERO -> zero(a.integer("stride"));
            case ADD, MEAN, CONCAT -> throw new IllegalArgumentException(op.specName() + " merges inputs: it has no block of its own");
        };
    }

    /**
     * A merging {@code op} (add, mean, concat along the first axis after the batch) of the inputs
     * that are present: the input itself when only one is, null when none is.
     */
    static NDArray merge(OpDef op, List<NDArray> present) {
        if (present.isEmpty()) {
            return null;
        }
        if (present.size() == 1) {
            return present.get(0);
        }
        // A merging op missing here fails OpBlocksTest, which merges two inputs with every one.
        return switch (op) {
            case ADD -> NDArrays.add(present.toArray(new NDArray[0]));
            case MEAN -> NDArrays.add(present.toArray(new NDArray[0])).div(present.size());
            case CONCAT -> NDArrays.concat(new NDList(present), 1);
            default -> throw new IllegalArgumentException(op.specName() + " does not merge inputs");
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

    /**
     * Average pooling; without {@code countPad}, each average is over the window's cells inside
     * the input only. DJL's PyTorch engine (0.36) ignores its own count-include-pad flag, so the
     * padded average is divided by the share of each window inside the input (the average of ones).
     */
    private static Block avgPool(int kernel, int stride, int padding, boolean countPad) {
        if (countPad || padding == 0) {
            return Pool.avgPool2dBlock(square(kernel), square(stride), square(padding), false, true);
        }
        return single(x -> {
            NDArray sum = Pool.avgPool2d(x, square(kernel), square(stride), square(padding), false, true);
            try (NDArray ones = x.getManager().ones(new Shape(1, 1, x.getShape().get(2), x.getShape().get(3)), x.getDataType());
                 NDArray inside = Pool.avgPool2d(ones, square(kernel), square(stride), square(padding), false, true)) {
                return sum.div(inside);
            }
        });
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

package org.example.nasplugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.List;
import org.nas4j.spec.FieldDef;
import org.nas4j.spec.OpArgs;
import org.nas4j.spec.OpDef;
import org.nas4j.supernet.OpPlugin;

/**
 * An op for nas4j: a learned scale per feature (or per channel of an image), starting at 1
 * ({@code op: feature-scale}). Same shape out as in; as many parameters as the first axis.
 */
public final class FeatureScaleOp implements OpPlugin {
    @Override
    public String specName() {
        return "feature-scale";
    }

    @Override
    public List<FieldDef> fields() {
        return List.of();
    }

    @Override
    public OpDef.ShapeRule shape() {
        return (inputs, names, args) -> inputs.get(0);
    }

    @Override
    public OpDef.ParamRule params() {
        return (input, args) -> input.dim(0);
    }

    @Override
    public OpDef.FlopRule flops() {
        return (input, output, args) -> 0;
    }

    @Override
    public Block block(OpArgs args, int inputRank) {
        return new Scale(inputRank);
    }

    /** x times a learned vector along the first axis after the batch. */
    private static final class Scale extends AbstractBlock {
        private final int rank;
        private final Parameter scale;

        Scale(int rank) {
            this.rank = rank;
            this.scale = addParameter(Parameter.builder().setName("scale").setType(Parameter.Type.GAMMA)
                    .optInitializer(Initializer.ONES).build());
        }

        @Override
        protected void prepare(Shape[] inputShapes) {
            scale.setShape(new Shape(inputShapes[0].get(1)));
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray s = store.getValue(scale, x.getDevice(), training);
            long[] shape = new long[rank];
            java.util.Arrays.fill(shape, 1);
            shape[0] = s.size();
            return new NDList(x.mul(s.reshape(new Shape(shape))));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}

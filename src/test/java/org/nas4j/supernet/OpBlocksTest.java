package org.nas4j.supernet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nas4j.spec.FieldDef;
import org.nas4j.spec.OpArgs;
import org.nas4j.spec.OpDef;
import org.nas4j.spec.SampleShape;
import org.nas4j.spec.ShapeException;

/**
 * Every op of the spec's registry runs in DJL: a block builds and gives the shape and parameter
 * count the spec's rules predict, or, for a merging op, two inputs merge into the predicted shape.
 */
class OpBlocksTest {
    private static final SampleShape SPATIAL = SampleShape.of(4, 6, 6);
    private static final SampleShape FLAT = SampleShape.of(4);
    private static final int BATCH = 2;

    @ParameterizedTest
    @EnumSource(OpDef.class)
    void everyOpRunsWithThePredictedShape(OpDef op) throws ShapeException {
        OpArgs args = smallestArgs(op);
        SampleShape in = fits(op, SPATIAL, args) ? SPATIAL : FLAT;
        SampleShape predicted = op.shape().apply(op.merge() ? List.of(in, in) : List.of(in), List.of("a", "b"), args);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(batched(in));
            NDArray out;
            if (op.merge()) {
                out = OpBlocks.merge(op, List.of(x, x.add(1f)));
            } else {
                Block block = OpBlocks.of(op, args, in.rank());
                block.initialize(m, DataType.FLOAT32, batched(in));
                out = block.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                assertEquals(op.params().apply(in, args), SupernetCompiler.trainableParameters(block), op.specName());
            }
            assertEquals(batched(predicted), out.getShape(), op.specName());
        }
    }

    /** The op's fields at their defaults, required whole numbers at 2 (a kernel that fits a 6x6 input). */
    private static OpArgs smallestArgs(OpDef op) {
        Map<String, Object> values = new HashMap<>();
        for (FieldDef f : op.fields()) {
            values.put(f.name(), f.required() ? 2 : f.defaultValue());
        }
        return new OpArgs(values);
    }

    private static boolean fits(OpDef op, SampleShape in, OpArgs args) {
        try {
            op.shape().apply(List.of(in, in), List.of("a", "b"), args);
            return true;
        } catch (ShapeException e) {
            return false;
        }
    }

    private static ai.djl.ndarray.types.Shape batched(SampleShape s) {
        long[] dims = new long[s.rank() + 1];
        dims[0] = BATCH;
        for (int i = 0; i < s.rank(); i++) {
            dims[i + 1] = s.dim(i);
        }
        return new ai.djl.ndarray.types.Shape(dims);
    }
}

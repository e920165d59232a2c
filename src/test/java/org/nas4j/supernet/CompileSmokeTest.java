package org.nas4j.supernet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nas4j.spec.SpecLoader;

class CompileSmokeTest {
    @Test
    void mnistChildHasTheCheckedParameterCountAndRuns() throws Exception {
        SpecLoader.Checked c = SpecLoader.load(Path.of("specs/mnist.yaml"));
        GraphBlock child = SupernetCompiler.child(c.spec(), Map.of("conv1", "conv5x5", "skipcon", List.of("conv2")));
        try (NDManager m = NDManager.newBaseManager()) {
            child.initialize(m, DataType.FLOAT32, new Shape(2, 1, 28, 28));
            assertEquals(c.shapes().maxParams(), SupernetCompiler.trainableParameters(child));
            NDArray out = child.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(2, 1, 28, 28))), false).head();
            assertEquals(new Shape(2, 10), out.getShape());
        }
    }
}

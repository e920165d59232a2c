package org.nas4j.supernet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nas4j.spec.Diagnostics;
import org.nas4j.spec.ShapeChecker;
import org.nas4j.spec.SpecLoader;

/** Every op, built by DJL from a spec, gives the shape and parameter count the spec check predicts. */
class OpsRuntimeTest {
    private static final String SPEC = """
            nas: 1
            input: [3, 9, 9]
            data: {dataset: synthetic}
            model:
              - {id: c1, op: conv2d, channels: 6, kernel: 3, stride: 2, padding: same, dilation: 1, groups: 3, bias: false}
              - {op: batchnorm}
              - {op: relu6}
              - {id: c2, op: conv2d, channels: {choice: [6, 12]}, kernel: 3, padding: 2, dilation: 2}
              - {op: hswish}
              - {op: layernorm}
              - {id: p, layer-choice: {max: {op: maxpool, kernel: 3, stride: 1, padding: 1}, avg: {op: avgpool, kernel: 3, stride: 1, padding: 1}}}
              - {id: z, op: zero, stride: 1}
              - {id: s, input-choice: {from: [p, z], n-chosen: 2, reduction: mean}}
              - {id: k, input-choice: {from: [s, p], n-chosen: 2, reduction: concat}}
              - {id: g, op: global-avgpool}
              - {op: gelu}
              - {id: fl, op: flatten, input: k}
              - {id: f, op: linear, units: 7}
              - {op: sigmoid}
              - {op: tanh}
              - {op: dropout, rate: 0.2}
              - {op: identity}
              - {op: concat, inputs: [g, f]}
              - {id: last, op: flatten}
            """;

    @Test
    void everyOpRunsWithThePredictedShapesAndParameters() throws Exception {
        SpecLoader.Checked c = SpecLoader.check("ops.yaml", SPEC.getBytes(StandardCharsets.UTF_8));
        assertTrue(c.ok(), c.errors().toString());
        for (Object width : List.of(6, 12)) {
            for (String pool : List.of("max", "avg")) {
                Map<String, Object> arch = Map.of("c2.channels", width, "p", pool, "s", List.of("p", "z"), "k", List.of("s", "p"));
                ShapeChecker.Child child = ShapeChecker.child(c.spec(), arch, new Diagnostics());
                GraphBlock block = SupernetCompiler.child(c.spec(), arch);
                try (NDManager m = NDManager.newBaseManager()) {
                    block.initialize(m, DataType.FLOAT32, new Shape(2, 3, 9, 9));
                    NDArray out = block.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(2, 3, 9, 9))), true)
                            .singletonOrThrow();
                    assertEquals(new Shape(2, child.output().dim(0)), out.getShape(), arch.toString());
                    assertEquals(child.params(), SupernetCompiler.trainableParameters(block), arch.toString());
                }
            }
        }
    }

    @Test
    void averagePoolingCountsPaddingOnlyWhenAsked() throws Exception {
        for (boolean countPad : List.of(true, false)) {
            SpecLoader.Checked c = SpecLoader.check("pool.yaml", ("""
                    nas: 1
                    input: [1, 3, 3]
                    data: {dataset: synthetic}
                    model:
                      - {op: avgpool, kernel: 3, stride: 1, padding: 1, count-include-pad: %s}
                    """.formatted(countPad)).getBytes(StandardCharsets.UTF_8));
            assertTrue(c.ok(), c.errors().toString());
            GraphBlock block = SupernetCompiler.child(c.spec(), Map.of());
            try (NDManager m = NDManager.newBaseManager()) {
                block.initialize(m, DataType.FLOAT32, new Shape(1, 1, 3, 3));
                NDArray out = block.forward(new ParameterStore(m, false), new NDList(m.ones(new Shape(1, 1, 3, 3))), false).singletonOrThrow();
                // A corner sees 4 of its 9 window cells inside the image.
                assertEquals(countPad ? 4f / 9 : 1f, out.getFloat(0, 0, 0, 0), 1e-6, "count-include-pad " + countPad);
                assertEquals(1f, out.getFloat(0, 0, 1, 1), 1e-6);
            }
        }
    }
}

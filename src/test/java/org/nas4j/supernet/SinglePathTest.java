package org.nas4j.supernet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nas4j.spec.SpecLoader;

/** The single-path supernet: only the decided path runs and only its weights move. */
class SinglePathTest {
    private static final String SPEC = """
            nas: 1
            input: [2, 6, 6]
            data: {dataset: synthetic}
            model:
              - id: pick
                layer-choice:
                  a: {op: conv2d, channels: 4, kernel: 3, padding: same}
                  b: {op: conv2d, channels: 4, kernel: 5, padding: same}
              - {id: widen, op: conv2d, channels: 4, kernel: 1, input: input}
              - {id: skip, input-choice: {from: [widen]}}
              - {op: add, inputs: [pick, skip]}
              - {op: global-avgpool}
              - {id: out, op: linear, units: {choice: [3, 3]}}
            """;

    private static GraphBlock supernet() throws Exception {
        SpecLoader.Checked c = SpecLoader.check("s.yaml", SPEC.replace("{choice: [3, 3]}", "3").getBytes(StandardCharsets.UTF_8));
        assertTrue(c.ok(), c.errors().toString());
        return SupernetCompiler.singlePath(c.spec());
    }

    private static float[] weights(GraphBlock g, String candidate) {
        for (var e : g.getParameters()) {
            if (e.getKey().contains("pick/" + candidate) && e.getValue().getType() == Parameter.Type.WEIGHT) {
                return e.getValue().getArray().toFloatArray();
            }
        }
        throw new AssertionError("no weight for candidate " + candidate);
    }

    @Test
    void inactiveCandidatesAreNotMovedByMomentumOrWeightDecay() throws Exception {
        GraphBlock g = supernet();
        try (Model model = Model.newInstance("s")) {
            model.setBlock(g);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).optWeightDecays(0.1f).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(4, 2, 6, 6));
                NDManager m = trainer.getManager();
                NDArray x = m.randomNormal(new Shape(4, 2, 6, 6));
                NDArray y = m.create(new float[] {0, 1, 2, 1});
                Map<String, Object> useA = Map.of("pick", "a", "skip", List.of("widen"));
                Map<String, Object> useB = Map.of("pick", "b", "skip", List.of());
                step(trainer, g, useB, x, y); // b gets momentum
                float[] bBefore = weights(g, "b");
                float[] aBefore = weights(g, "a");
                for (int i = 0; i < 5; i++) {
                    step(trainer, g, useA, x, y);
                }
                assertTrue(java.util.Arrays.equals(bBefore, weights(g, "b")), "b moved while a was on the path");
                assertNotEquals(java.util.Arrays.toString(aBefore), java.util.Arrays.toString(weights(g, "a")));
            }
        }
    }

    private static void step(Trainer trainer, GraphBlock g, Map<String, Object> arch, NDArray x, NDArray y) {
        g.follow(arch);
        try (GradientCollector gc = trainer.newGradientCollector()) {
            NDList out = trainer.forward(new NDList(x));
            gc.backward(Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), out));
        }
        trainer.step();
    }

    @Test
    void onlyTheDecidedPathComputes() throws Exception {
        GraphBlock g = supernet();
        try (NDManager m = NDManager.newBaseManager()) {
            g.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 2, 6, 6));
            var ps = new ai.djl.training.ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(1, 2, 6, 6));
            g.follow(Map.of("pick", "a", "skip", List.of()));
            float[] a = g.forward(ps, new NDList(x), false).head().toFloatArray();
            g.follow(Map.of("pick", "b", "skip", List.of()));
            float[] b = g.forward(ps, new NDList(x), false).head().toFloatArray();
            assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
            g.follow(Map.of("pick", "a", "skip", List.of()));
            assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(g.forward(ps, new NDList(x), false).head().toFloatArray()));
        }
    }

    @Test
    void aValueChoiceThatChangesShapesIsRefusedClearly() {
        String widening = """
                nas: 1
                input: [2, 6, 6]
                data: {dataset: synthetic}
                model:
                  - {id: c, op: conv2d, channels: {choice: [4, 8]}, kernel: 1}
                  - {op: global-avgpool}
                  - {op: linear, units: 3}
                """;
        SpecLoader.Checked w = SpecLoader.check("w.yaml", widening.getBytes(StandardCharsets.UTF_8));
        assertTrue(w.ok());
        CompileException e = assertThrows(CompileException.class, () -> SupernetCompiler.singlePath(w.spec()));
        assertTrue(e.getMessage().contains("the value choice [c.channels] of 'c' changes its output shape"), e.getMessage());
    }
}

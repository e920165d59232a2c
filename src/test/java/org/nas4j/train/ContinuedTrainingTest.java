package org.nas4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nas4j.spec.Spec;
import org.nas4j.spec.SpecLoader;
import org.nas4j.supernet.SupernetCompiler;

/**
 * A child trained to a budget and continued from its saved state to a larger one trains as the
 * child trained to the larger budget at once: the same weights, optimizer state and batch order.
 */
class ContinuedTrainingTest extends WithEngine {

    private static ChildTraining.Result train(Spec spec, Datasets.Splits data, ChildTraining.Span span, int epochs) throws Exception {
        Engines.seed(5);
        data.restart(11);
        try (Model model = Model.newInstance("c", manager.getDevice())) {
            model.setBlock(SupernetCompiler.child(spec, Map.of("conv1", "b")));
            return ChildTraining.train(model, spec.training(), span, epochs, data, spec.data().batchSize(), spec.input(), Progress.SILENT,
                    1, ChildTraining.EpochCheck.NEVER);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{type: adam, lr: 0.002}", "{type: sgd, lr: 0.05, momentum: 0.9}"})
    void aContinuedChildEndsWhereAnUninterruptedOneDoes(String optimizer) throws Exception {
        // No dropout: the engine's random numbers are not part of a child's state.
        Path file = tmp.resolve("s.yaml");
        Files.writeString(file, """
                nas: 1
                input: [1, 12, 12]
                data: {dataset: synthetic, batch-size: 32, limit: 320}
                training: {optimizer: %s, schedule: {type: cosine}}
                model:
                  - id: conv1
                    layer-choice:
                      a: {op: conv2d, channels: 8, kernel: 3}
                      b: {op: conv2d, channels: 8, kernel: 5, padding: 1}
                  - {op: batchnorm}
                  - {op: relu}
                  - {op: flatten}
                  - {op: linear, units: 10}
                """.formatted(optimizer));
        SpecLoader.Checked c = SpecLoader.load(file);
        assertTrue(c.ok(), c.errors().toString());
        Spec spec = c.spec();
        Datasets.Splits data = Datasets.load(spec.data(), spec.input(), 10, 0.2, 3, manager);
        ChildTraining.Result whole = train(spec, data, new ChildTraining.Span(0, null, List.of(), 3, null), 3);

        Path state = tmp.resolve("state");
        Files.createDirectories(state);
        List<List<Double>> kept = new java.util.ArrayList<>();
        ChildTraining.Result first = train(spec, data, new ChildTraining.Span(0, null, List.of(), 3, (writer, done, curve) -> {
            writer.write(state);
            kept.add(curve);
        }), 1);
        assertEquals(1, kept.get(0).size());
        assertNotNull(first);
        ChildTraining.Result rest = train(spec, data, new ChildTraining.Span(1, state, kept.get(0), 3, null), 3);
        assertEquals(3, rest.curve().size());
        assertEquals(whole.curve().get(0), rest.curve().get(0), "the first epoch's score is carried over");
        assertEquals(whole.loss(), rest.loss(), 1e-4, "the last epoch's training loss: " + whole.loss() + " against " + rest.loss());
        assertEquals(whole.curve(), rest.curve(), "the validation accuracy after each epoch");
        assertTrue(first.loss() - rest.loss() > 0.05, "it goes on learning: " + first.loss() + " then " + rest.loss());
    }
}

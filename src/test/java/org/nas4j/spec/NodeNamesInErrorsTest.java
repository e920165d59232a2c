package org.nas4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An error inside a node names the node's id, as well as its line and column. */
class NodeNamesInErrorsTest {
    private static final String HEAD = "nas: 1\ninput: [1, 28, 28]\ndata: {dataset: synthetic}\n";

    private static List<String> errors(String rest) {
        return SpecLoader.check("t.yaml", (HEAD + rest).getBytes(StandardCharsets.UTF_8)).errors().stream()
                .map(SpecError::toString).toList();
    }

    private static void assertHas(List<String> errors, String expected) {
        assertTrue(errors.contains(expected), "no '" + expected + "' in\n" + String.join("\n", errors));
    }

    @Test
    void readingErrorsNameTheNode() {
        List<String> errors = errors("""
                model:
                  - {id: conv1, op: conv2d, channels: 8, kernel: 3, stide: 2}
                  - {id: pick, input-choice: {from: [conv1], n-chosen: 2}}
                  - id: choose
                    layer-choice:
                      a: {op: conv2d, channels: 8, kernl: 3}
                      b: {op: identity}
                  - {op: relu, rate: 1}
                """);
        assertHas(errors, "t.yaml:5:53: node 'conv1': unknown field 'stide' for op conv2d (did you mean 'stride'?)");
        assertHas(errors, "t.yaml:6:56: node 'pick': n-chosen must be between 1 and 1 (the number of 'from' nodes) or 'any', got 2");
        // A candidate has no id: its errors name the choice node.
        assertHas(errors, "t.yaml:9:36: node 'choose': unknown field 'kernl' for op conv2d (did you mean 'kernel'?)");
        assertHas(errors, "t.yaml:9:10: node 'choose': conv2d needs 'kernel'");
        // A node without an id is known by its position alone.
        assertHas(errors, "t.yaml:11:16: unknown field 'rate' for op relu (relu has no fields)");
    }

    @Test
    void errorsInABlockNameTheNodeAndTheBlockOnce() {
        List<String> errors = errors("""
                blocks:
                  res:
                    params: {c: null}
                    nodes:
                      - {id: conv, op: conv2d, channels: $c, kernel: $k, padding: same}
                      - {id: sum, op: add, inputs: [in, conv]}
                model:
                  - {id: b1, block: res, c: 1}
                  - {id: b2, block: res, c: 1}
                """);
        // The same errors of both uses, kept once: they are the block's, wherever it is used.
        assertEquals(List.of("t.yaml:8:54: node 'conv' in block 'res': block 'res' has no parameter 'k' (did you mean 'c'? valid: c)",
                "t.yaml:8:54: node 'conv' in block 'res': kernel must be a whole number, got '$k', which is not a parameter here"), errors);
    }

    @Test
    void shapeErrorsNameTheNodeByItsExpandedId() {
        List<String> errors = errors("""
                blocks:
                  res:
                    params: {c: null}
                    nodes:
                      - {id: conv, op: conv2d, channels: $c, kernel: 3, padding: same}
                      - {id: sum, op: add, inputs: [in, conv]}
                      - {op: relu}
                model:
                  - {id: stem, op: conv2d, channels: 4, kernel: 29}
                  - {id: b1, block: res, c: 8, input: input}
                  - {id: skip, input-choice: {from: [input]}}
                  - {id: act, op: relu, input: skip}
                """);
        assertHas(errors, "t.yaml:12:5: node 'stem': conv2d kernel 29 with padding 0 does not fit the 28x28 input [1, 28, 28]");
        // Inside a block the node is named as in every message and picture: USE/ID.
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("t.yaml:9:9: node 'b1/sum': inputs must have the same shape")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("t.yaml:15:5: node 'act': this node reads 'skip'")), errors.toString());
    }
}

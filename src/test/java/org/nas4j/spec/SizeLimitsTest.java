package org.nas4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Children past 2^31 - 1 parameters and tensors past 2^31 - 1 values are spec errors naming the
 * node and its place, never an overflow or a crash later.
 */
class SizeLimitsTest {
    private static List<SpecError> errors(String input, String model) {
        String spec = "nas: 1\ninput: " + input + "\ndata: {dataset: synthetic}\nmodel:\n" + model;
        return SpecLoader.check("t.yaml", spec.getBytes(StandardCharsets.UTF_8)).errors();
    }

    private static SpecError only(List<SpecError> errors) {
        assertEquals(1, errors.size(), errors.toString());
        return errors.get(0);
    }

    @Test
    void anOpWithTooManyParametersNamesItsNode() {
        SpecError e = only(errors("[65536]", "  - {id: fc, op: linear, units: 65536}\n"));
        assertEquals(new Pos("t.yaml", 5, 5), e.pos());
        assertEquals("node 'fc': linear would have 4,295,032,832 parameters, more than the 2,147,483,647 a child may have", e.message());
    }

    @Test
    void aChildWhoseOpsFitButWhoseSumDoesNotNamesTheNodeWhereItGetsThere() {
        String model = """
                  - {id: fc1, op: linear, units: 40000}
                  - {id: fc2, op: linear, units: {choice: [10, 40000]}}
                  - {id: out, op: linear, units: 10}
                """;
        SpecError e = only(errors("[40000]", model));
        assertEquals(new Pos("t.yaml", 6, 5), e.pos());
        assertTrue(e.message().startsWith("node 'fc2': by here the largest child has 3,200,080,000 parameters, more than the 2,147,483,647"),
                e.toString());
        assertEquals(List.of(), errors("[40000]", model.replace("40000}", "20000}").replace("40000]", "20000]")));
    }

    @Test
    void anOutputWithTooManyValuesNamesItsNode() {
        SpecError e = only(errors("[3, 1000, 1000]", "  - {id: wide, op: conv2d, channels: 4096, kernel: 1}\n  - {op: global-avgpool}\n"));
        assertEquals(new Pos("t.yaml", 5, 5), e.pos());
        assertEquals("node 'wide': conv2d would give [4096, 1000, 1000]: 4,096,000,000 values, more than the 2,147,483,647 a tensor may hold",
                e.message());
    }

    @Test
    void aConcatOfTwoLargeTensorsIsAnError() {
        SpecError e = only(errors("[3, 1000, 1000]", """
                  - {id: a, op: conv2d, channels: 1500, kernel: 1}
                  - {id: b, op: conv2d, channels: 1500, kernel: 1, input: input}
                  - {id: cat, op: concat, inputs: [a, b]}
                """));
        assertEquals(new Pos("t.yaml", 7, 5), e.pos());
        assertTrue(e.message().startsWith("node 'cat': concat would give [3000, 1000, 1000]: 3,000,000,000 values"), e.toString());
    }

    @Test
    void aCandidateWithATooLargeOutputNamesTheCandidateAndItsNode() {
        SpecError e = only(errors("[3, 1000, 1000]", """
                  - id: pick
                    layer-choice:
                      small: {op: conv2d, channels: 4, kernel: 1}
                      huge: [{op: conv2d, channels: 4096, kernel: 1}, {op: conv2d, channels: 4, kernel: 1}]
                """));
        assertTrue(e.message().startsWith("candidate 'huge' of 'pick': conv2d would give [4096, 1000, 1000]"), e.toString());
        assertEquals(8, e.pos().line());
    }

    @Test
    void anInputWithTooManyValuesIsAnErrorAtTheInput() {
        SpecError e = only(errors("[1000000, 1000000, 1000000]", "  - {op: relu}\n"));
        assertEquals(new Pos("t.yaml", 2, 8), e.pos());
        assertEquals("input [1000000, 1000000, 1000000] has 1,000,000,000,000,000,000 values, more than the 2,147,483,647 a tensor may hold",
                e.message());
    }
}

package org.nas4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nas4j.space.Decision;

/** Blocks, parameters, scopes and repeats on small specs written here. */
class BlocksTest {
    private static final InlineSpecs SPECS = new InlineSpecs("b.yaml", "nas: 1\ninput: [4, 8, 8]\ndata: {dataset: synthetic}\n");

    private static final String RESIDUAL = """
            blocks:
              res:
                params: {c: 4, kernel: 3}
                nodes:
                  - {id: conv, op: conv2d, channels: $c, kernel: $kernel, padding: same}
                  - {id: act, layer-choice: {relu: {op: relu}, tanh: {op: tanh}}}
                  - {op: add, inputs: [in, act]}
            """;

    @Test
    void parametersAreSubstitutedAndKeysScopedByInstance() {
        SpecLoader.Checked c = SPECS.valid(RESIDUAL + """
                model:
                  - {id: a, block: res}
                  - {id: b, block: res, kernel: 5}
                  - {op: global-avgpool}
                """);
        assertEquals(Set.of("a/act", "b/act"), c.space().decisions().keySet());
        long conv3 = 4 * 4 * 9 + 4;
        long conv5 = 4 * 4 * 25 + 4;
        assertEquals(conv3 + conv5, c.shapes().minParams());
        assertEquals(conv3 + conv5, c.shapes().maxParams());
        assertEquals(Set.of(SampleShape.of(4)), c.shapes().outputs());
    }

    @Test
    void instancesSharingAScopeTakeOneDecision() {
        SpecLoader.Checked c = SPECS.valid(RESIDUAL + """
                model:
                  - {id: a, block: res, scope: shared}
                  - {id: b, block: res, scope: shared}
                """);
        assertEquals(Set.of("shared/act"), c.space().decisions().keySet());
        assertEquals(List.of("a/act", "b/act"), c.space().decisions().get("shared/act").nodes());
        assertEquals(BigInteger.TWO, c.space().size());
    }

    @Test
    void blocksWithSeveralInputsNameThemIn0In1() {
        SpecLoader.Checked c = SPECS.valid("""
                blocks:
                  join:
                    params: {}
                    nodes:
                      - {id: x, op: conv2d, input: in1, channels: 4, kernel: 1}
                      - {op: concat, inputs: [in0, x]}
                model:
                  - {id: p, op: relu}
                  - {id: q, op: tanh, input: input}
                  - {id: j, block: join, inputs: [p, q]}
                """);
        assertEquals(Set.of(SampleShape.of(8, 8, 8)), c.shapes().outputs());
    }

    @Test
    void aBlockCanBeALayerChoiceCandidate() {
        SpecLoader.Checked c = SPECS.valid("""
                blocks:
                  res:
                    params: {c: null}
                    nodes:
                      - {id: conv, op: conv2d, channels: $c, kernel: 3, padding: same}
                      - {op: add, inputs: [in, conv]}
                model:
                  - id: pick
                    layer-choice:
                      skip: {op: identity}
                      res: {block: res, c: 4}
                      twice: [{block: res, c: 4}, {block: res, c: 4}]
                """);
        long conv = 4 * 4 * 9 + 4;
        assertEquals(0, c.shapes().minParams());
        assertEquals(2 * conv, c.shapes().maxParams());
    }

    @Test
    void repeatChainsCopiesAndADepthChoiceCountsOnlyTheCopiesThatRun() {
        SpecLoader.Checked fixed = SPECS.valid(RESIDUAL + """
                model:
                  - {id: r, repeat: res, depth: 3}
                """);
        assertEquals(Set.of("r/0/act", "r/1/act", "r/2/act"), fixed.space().decisions().keySet());

        SpecLoader.Checked chosen = SPECS.valid(RESIDUAL + """
                model:
                  - {id: r, repeat: res, depth: {choice: [1, 3]}}
                  - {op: global-avgpool}
                """);
        Decision.DepthChoice depth = (Decision.DepthChoice) chosen.space().decisions().get("r.depth");
        assertEquals(List.of(1, 3), depth.depths());
        assertEquals(BigInteger.valueOf(2 * 2 * 2 * 2), chosen.space().size()); // 2 depths x 3 copies of a 2-way choice
        long conv = 4 * 4 * 9 + 4;
        assertEquals(conv, chosen.shapes().minParams());
        assertEquals(3 * conv, chosen.shapes().maxParams());
        assertEquals(1, chosen.shapes().minArch().get("r.depth"));
        Map<String, Object> arch = new java.util.TreeMap<>(Map.of("r.depth", 3, "r/0/act", "relu", "r/1/act", "tanh", "r/2/act", "relu"));
        assertEquals(3 * conv, ShapeChecker.child(chosen.spec(), arch, new Diagnostics()).params());
        arch.put("r.depth", 1);
        assertEquals(conv, ShapeChecker.child(chosen.spec(), arch, new Diagnostics()).params());
    }

    @Test
    void aChildLeavesOutTheEdgesItsInputChoicesDoNotTake() {
        SpecLoader.Checked c = SPECS.valid("""
                model:
                  - {id: a, op: conv2d, channels: 4, kernel: 1}
                  - {id: b, op: conv2d, channels: 4, kernel: 3, padding: same, input: input}
                  - {id: pick, input-choice: {from: [a, b], n-chosen: 1}}
                """);
        assertTrue(!c.shapes().exact());
        long a = 4 * 4 + 4;
        long b = 4 * 4 * 9 + 4;
        assertEquals(a + b, c.shapes().maxParams());
        assertEquals(a, ShapeChecker.child(c.spec(), Map.of("pick", List.of("a")), new Diagnostics()).params());
        assertEquals(b, ShapeChecker.child(c.spec(), Map.of("pick", List.of("b")), new Diagnostics()).params());
    }

    private static String firstError(String rest) {
        SpecLoader.Checked c = SPECS.check(rest);
        assertTrue(!c.ok());
        return c.errors().get(0).toString();
    }

    @Test
    void blockErrorsNameWhatIsWrong() {
        assertTrue(firstError("model:\n  - {id: a, block: nope}\n").contains("no block is named 'nope'"));
        assertTrue(firstError(RESIDUAL + "model:\n  - {id: a, block: res, kernal: 5}\n").contains("has no parameter 'kernal' (did you mean 'kernel'?"));
        assertTrue(firstError("blocks:\n  b: {params: {c: null}, nodes: [{op: relu}]}\nmodel:\n  - {id: a, block: b}\n")
                .contains("needs the parameter 'c'"));
        assertTrue(firstError("blocks:\n  b: {params: {scope: 1}, nodes: [{op: relu}]}\nmodel:\n  - {op: relu}\n")
                .contains("'scope' cannot be a parameter name"));
        assertTrue(firstError("blocks:\n  a: {nodes: [{id: x, block: b}]}\n  b: {nodes: [{id: y, block: a}]}\nmodel:\n  - {id: z, block: a}\n")
                .contains("block 'a' uses itself: a -> b -> a"));
        assertTrue(firstError("blocks:\n  b: {nodes: [{op: add, inputs: [in0, in1]}]}\nmodel:\n  - {id: a, block: b}\n")
                .contains("reads in1, but this use of it gives 1 input"));
        assertTrue(firstError(RESIDUAL + "model:\n  - {block: res}\n").contains("a block use needs an id"));
        assertTrue(firstError(RESIDUAL + "model:\n  - {id: r, repeat: res}\n").contains("a repeat needs a depth"));
    }

    @Test
    void scopeSharingChecksThatTheDecisionsAgree() {
        String differentValues = """
                blocks:
                  w:
                    params: {widths: [4, 8]}
                    nodes:
                      - {id: conv, op: conv2d, channels: {choice: $widths}, kernel: 1}
                model:
                  - {id: a, block: w, scope: s}
                  - {id: b, block: w, scope: s, widths: [4, 16]}
                """;
        String e = firstError(differentValues);
        assertTrue(e.contains("key 's/conv.channels' of b is shared with a at b.yaml:") && e.contains("the values differ"), e);
        String differentBlocks = RESIDUAL + """
                  other:
                    nodes: [{id: act, layer-choice: {relu: {op: relu}, tanh: {op: tanh}}}]
                model:
                  - {id: a, block: res, scope: s}
                  - {id: b, block: other, scope: s}
                """;
        assertTrue(firstError(differentBlocks).contains("scope 's' is shared with a use of block 'res'"));
    }

    @Test
    void choicesInsideACandidateBlockAreRefused() {
        String e = firstError(RESIDUAL + "model:\n  - id: x\n    layer-choice: {r: {block: res}, i: {op: identity}}\n");
        assertTrue(e.contains("a choice inside a layer-choice candidate is not allowed"), e);
    }
}

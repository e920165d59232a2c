package org.nas4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nas4j.space.Decision;

/** Keys, space sizes, shape inference and parameter counts on small specs written here. */
class SpaceSemanticsTest {
    private static final InlineSpecs SPECS = new InlineSpecs("t.yaml", "nas: 1\ninput: [3, 8, 8]\ndata: {dataset: synthetic}\nmodel:\n");

    @Test
    void valueChoiceOnChannelsChangesDownstreamParameterCounts() {
        SpecLoader.Checked c = SPECS.valid("""
                  - {id: c, op: conv2d, channels: {choice: [4, 8]}, kernel: 3, padding: same}
                  - {op: global-avgpool}
                  - {op: linear, units: 2}
                """);
        assertEquals(Set.of("c.channels"), c.space().decisions().keySet());
        long small = 4 * 3 * 9 + 4 + 4 * 2 + 2;
        long large = 8 * 3 * 9 + 8 + 8 * 2 + 2;
        assertEquals(small, c.shapes().minParams());
        assertEquals(large, c.shapes().maxParams());
        assertEquals(4, c.shapes().minArch().get("c.channels"));
    }

    @Test
    void aBrokenCandidateIsOneErrorNotAlsoAnUnknownTableKey() {
        SpecLoader.Checked c = SpecLoader.check("t.yaml", """
                nas: 1
                input: [1, 8, 8]
                data: {dataset: synthetic}
                search: {evaluator: {type: table, key: "{pick}", table: t.json, metric: acc}}
                model:
                  - {id: pick, layer-choice: {a: {op: identity}, b: {op: avgpool, kernel: 3, colour: red}}}
                  - {op: flatten}
                  - {op: linear, units: 2}
                """.getBytes(StandardCharsets.UTF_8));
        assertEquals(1, c.errors().size(), c.errors().toString());
        assertTrue(c.errors().get(0).message().contains("colour"), c.errors().toString());
    }

    @Test
    void oneDescriberReusedOverChildrenAgreesWithAFreshOneErrorsIncluded() {
        // Pooling keeps the channels, the convolution makes 3: the candidates agree only when w is 3.
        SpecLoader.Checked c = SPECS.check("""
                  - {id: w, op: conv2d, channels: {choice: [3, 5]}, kernel: 1}
                  - {id: k, layer-choice: {conv: {op: conv2d, channels: 3, kernel: 3, padding: 1}, pool: {op: maxpool, kernel: 3, stride: 1, padding: 1}}}
                  - {op: global-avgpool}
                  - {op: linear, units: 2}
                """);
        assertTrue(c.spec() != null && !c.ok());
        ShapeChecker.Children reused = ShapeChecker.children(c.spec());
        Set<Boolean> described = new java.util.HashSet<>();
        for (int round = 0; round < 2; round++) {
            for (int w : List.of(3, 5)) {
                for (String k : List.of("conv", "pool")) {
                    java.util.Map<String, Object> arch = java.util.Map.of("w.channels", w, "k", k);
                    Diagnostics fresh = new Diagnostics();
                    Diagnostics again = new Diagnostics();
                    ShapeChecker.Child expected = ShapeChecker.child(c.spec(), arch, fresh);
                    ShapeChecker.Child got = reused.child(arch, again);
                    described.add(expected != null);
                    assertEquals(expected == null ? null : expected.params(), got == null ? null : got.params(), arch.toString());
                    assertEquals(fresh.errors(), again.errors(), arch.toString());
                }
            }
        }
        assertEquals(Set.of(true, false), described);
    }

    @Test
    void sharedValueKeyKeepsResidualWidthsConsistent() {
        // Two convs share one width decision, so their sum always fits; independent widths would not.
        SpecLoader.Checked shared = SPECS.valid("""
                  - {id: a, op: conv2d, channels: {choice: [4, 8], key: width}, kernel: 1}
                  - {id: b, op: conv2d, channels: {choice: [4, 8], key: width}, kernel: 1}
                  - {op: add, inputs: [a, b]}
                """);
        assertEquals(BigInteger.TWO, shared.space().size());
        assertEquals(List.of("a", "b"), shared.space().decisions().get("width").nodes());

        SpecLoader.Checked independent = SPECS.check("""
                  - {id: a, op: conv2d, channels: {choice: [4, 8]}, kernel: 1}
                  - {id: b, op: conv2d, channels: {choice: [4, 8]}, kernel: 1}
                  - {op: add, inputs: [a, b]}
                """);
        assertEquals(1, independent.errors().size(), independent.errors().toString());
        assertTrue(independent.errors().get(0).message().contains("same shape"));
    }

    @Test
    void spaceSizeCountsSubsetsAndFixedChoices() {
        SpecLoader.Checked c = SPECS.valid("""
                  - {id: a, op: conv2d, channels: 4, kernel: 1}
                  - {id: b, op: conv2d, channels: 4, kernel: 1}
                  - {id: d, op: conv2d, channels: 4, kernel: 1}
                  - {id: any, input-choice: {from: [a, b, d]}}
                  - {id: two, input-choice: {from: [a, b, d], n-chosen: 2}}
                  - {id: cat, input-choice: {from: [a, b, d], n-chosen: 2, reduction: concat}}
                  - {op: add, inputs: [any, two]}
                """);
        // 2^3 subsets x C(3,2) x C(3,2)
        assertEquals(BigInteger.valueOf(8 * 3 * 3), c.space().size());
        Decision.InputChoice any = (Decision.InputChoice) c.space().decisions().get("any");
        assertEquals(null, any.nChosen());
    }

    @Test
    void concatWidthDependsOnTheChosenInputs() {
        SpecLoader.Checked c = SPECS.valid("""
                  - {id: a, op: conv2d, channels: 4, kernel: 1}
                  - {id: b, op: conv2d, channels: 6, kernel: 1}
                  - {id: cat, input-choice: {from: [a, b], n-chosen: 1, reduction: concat}}
                  - {op: flatten}
                  - {op: linear, units: 1}
                """);
        assertEquals(Set.of(SampleShape.of(1)), c.shapes().outputs());
        long a = 4 * 3 + 4;
        long b = 6 * 4 + 6; // b reads a, the node before it
        assertEquals(a + b + 6 * 64 + 1, c.shapes().maxParams());
        assertEquals(List.of("b"), c.shapes().maxArch().get("cat"));
        // a runs in both children (b reads it); b only when chosen.
        assertEquals(a + 4 * 64 + 1, ShapeChecker.child(c.spec(), java.util.Map.of("cat", List.of("a")), new Diagnostics()).params());
        assertEquals(a + b + 6 * 64 + 1, ShapeChecker.child(c.spec(), java.util.Map.of("cat", List.of("b")), new Diagnostics()).params());
    }

    @Test
    void anAbsentInputIsLeftOutOfTheMerge() {
        SpecLoader.Checked c = SPECS.valid("""
                  - {id: a, op: conv2d, channels: 4, kernel: 1}
                  - {id: skip, input-choice: {from: [input]}}
                  - {id: b, op: conv2d, channels: 3, kernel: 1, input: a}
                  - {op: add, inputs: [b, skip]}
                """);
        assertEquals(Set.of(SampleShape.of(3, 8, 8)), c.shapes().outputs());
    }

    @Test
    void sharedLayerChoiceIsOneDecisionAndCandidateOrderDoesNotMatter() {
        SpecLoader.Checked c = SPECS.valid("""
                  - id: x
                    key: op
                    layer-choice: {r: {op: relu}, t: {op: tanh}}
                  - id: y
                    key: op
                    layer-choice: {t: {op: tanh}, r: {op: relu}}
                """);
        assertEquals(BigInteger.TWO, c.space().size());
        assertEquals(List.of("x", "y"), c.space().decisions().get("op").nodes());
    }

    @Test
    void yamlKeysAreStringsAndNoIsNotFalse() {
        SpecLoader.Checked c = SPECS.valid("""
                  - id: x
                    layer-choice:
                      0: {op: relu}
                      no: {op: identity}
                      1.5: [{op: relu}, {op: tanh}]
                """);
        Decision.LayerChoice d = (Decision.LayerChoice) c.space().decisions().get("x");
        assertEquals(List.of("0", "no", "1.5"), d.candidates());
    }

    @Test
    void listedCandidatesAreNamedByTheirIndex() {
        SpecLoader.Checked c = SPECS.valid("""
                  - id: x
                    layer-choice: [{op: relu}, {op: conv2d, channels: 3, kernel: 3, padding: same}]
                """);
        assertEquals(List.of("0", "1"), ((Decision.LayerChoice) c.space().decisions().get("x")).candidates());
        assertEquals(0, c.shapes().minParams());
        assertEquals(3 * 3 * 9 + 3, c.shapes().maxParams());
    }

    @Test
    void everyErrorOfAFileIsReportedInFileOrder() {
        SpecLoader.Checked c = SPECS.check("""
                  - {op: conv2d, channels: 0, kernel: 3}
                  - {op: relux}
                  - {op: linear, unitz: 3}
                """);
        assertEquals(List.of(5, 6, 7), c.errors().stream().map(e -> e.pos().line()).distinct().toList(), c.errors().toString());
    }

    @Test
    void sharedKeysThatKeepTheShapeAreCountedExactlyWithoutCarryingTheirCombinations() {
        // Six keys of 8 candidates, each taken again at the end: 8^6 combinations would stay
        // entangled, but every candidate keeps the shape, so each key's cost is counted apart.
        StringBuilder model = new StringBuilder();
        String candidates = "{k1: {op: conv2d, channels: 3, kernel: 1}, k3: {op: conv2d, channels: 3, kernel: 3, padding: same},"
                + " k5: {op: conv2d, channels: 3, kernel: 5, padding: same}, k7: {op: conv2d, channels: 3, kernel: 7, padding: same},"
                + " n1: {op: conv2d, channels: 3, kernel: 1, bias: false}, n3: {op: conv2d, channels: 3, kernel: 3, padding: same, bias: false},"
                + " n5: {op: conv2d, channels: 3, kernel: 5, padding: same, bias: false}, n7: {op: conv2d, channels: 3, kernel: 7, padding: same, bias: false}}";
        for (int round = 0; round < 2; round++) {
            for (int k = 0; k < 6; k++) {
                model.append("  - {id: n").append(round).append(k).append(", key: k").append(k)
                        .append(", layer-choice: ").append(candidates).append("}\n");
            }
        }
        SpecLoader.Checked c = SPECS.valid(model.toString());
        assertEquals(BigInteger.valueOf(8).pow(6), c.space().size());
        assertTrue(c.shapes().exact());
        long smallest = 3 * 3 + 0;   // 1x1 conv, no bias, in every one of the 12 nodes
        long largest = 3 * 3 * 49 + 3;
        assertEquals(12 * smallest, c.shapes().minParams());
        assertEquals(12 * largest, c.shapes().maxParams());
        assertEquals("n1", c.shapes().minArch().get("k0"));
        assertEquals("k7", c.shapes().maxArch().get("k5"));
    }

    @Test
    void aKeyThatKeepsTheShapeAtOneNodeButNotAtAnotherIsStillCountedExactly() {
        // Key w keeps the shape at a (its kernel, padded) but changes it at b (its channels): the check
        // must carry w's values after all, and pair a's cost with b's for the same value.
        SpecLoader.Checked c = SPECS.valid("""
                  - {id: a, op: conv2d, channels: 3, kernel: {choice: [1, 3], key: w}, padding: same}
                  - {id: b, op: conv2d, channels: {choice: [1, 3], key: w}, kernel: 1}
                  - {op: global-avgpool}
                  - {op: linear, units: 2}
                """);
        assertTrue(c.shapes().exact());
        assertEquals(12 + 4 + 4, c.shapes().minParams());   // w 1: a 1x1 3->3, b 1x1 3->1, linear 1->2
        assertEquals(84 + 12 + 8, c.shapes().maxParams());  // w 3: a 3x3 3->3, b 1x1 3->3, linear 3->2
        assertEquals(1, ((Number) c.shapes().minArch().get("w")).intValue());
    }

    @Test
    void leadingZerosAreDecimalAsInYaml12() {
        SpecLoader.Checked c = SPECS.valid("  - {op: conv2d, channels: 010, kernel: 0o3, padding: 0x1}\n");
        assertEquals(10L * 3 * 9 + 10, c.shapes().minParams());
        assertEquals(Set.of(SampleShape.of(10, 8, 8)), c.shapes().outputs());
    }

    @Test
    void parameterCountsThatOverflowAreErrorsNotNegativeNumbers() {
        SpecLoader.Checked c = SpecLoader.check("t.yaml", """
                nas: 1
                input: [1000000]
                data: {dataset: synthetic}
                model:
                  - {op: linear, units: 2000000000}
                  - {op: linear, units: 2000000000}
                  - {op: linear, units: 2000000000}
                  - {op: linear, units: 2000000000}
                """.getBytes(StandardCharsets.UTF_8));
        assertEquals(1, c.errors().size(), c.errors().toString());
        assertTrue(c.errors().get(0).message().contains("linear would have 2,000,002,000,000,000 parameters, more than the 2,147,483,647 a child may have"),
                c.errors().toString());
    }

    @Test
    void anEmptyIdIsOneError() {
        SpecLoader.Checked c = SPECS.check("  - {id: , op: relu}\n");
        assertEquals(1, c.errors().size(), c.errors().toString());
    }
}

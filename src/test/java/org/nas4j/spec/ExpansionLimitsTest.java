package org.nas4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Blocks and repeats are expanded into nodes within limits: small specs that would expand into
 * billions of nodes, or nest blocks thousands deep, are errors found at once, not a heap or stack
 * exhausted.
 */
class ExpansionLimitsTest {
    private static final String HEAD = "nas: 1\ninput: [4]\ndata: {dataset: synthetic}\n";

    private static List<SpecError> errors(String spec) {
        byte[] bytes = spec.getBytes(StandardCharsets.UTF_8);
        SpecLoader.Checked c = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> SpecLoader.check("bomb.yaml", bytes));
        return c.errors();
    }

    /** Blocks b1..bN, each using the one before {@code uses} times; b0 is one op. */
    private static String chain(int n, int uses) {
        StringBuilder y = new StringBuilder(HEAD + "blocks:\n  b0: {nodes: [{op: relu}]}\n");
        for (int i = 1; i <= n; i++) {
            y.append("  b").append(i).append(": {nodes: [");
            for (int u = 0; u < uses; u++) {
                y.append(u == 0 ? "" : ", ").append("{id: u").append(u).append(", block: b").append(i - 1).append("}");
            }
            y.append("]}\n");
        }
        return y.append("model:\n  - {id: top, block: b").append(n).append("}\n").toString();
    }

    @Test
    void blocksUsingTheOneBeforeTwiceStopAtTheNodeLimit() {
        String bomb = chain(40, 2); // 2^40 nodes
        assertTrue(bomb.length() < 3000, bomb.length() + " bytes");
        List<SpecError> errors = errors(bomb);
        assertEquals(1, errors.size(), errors.toString());
        SpecError e = errors.get(0);
        assertEquals(new Pos("bomb.yaml", 47, 5), e.pos());
        assertEquals("node 'top': expanding blocks and repeats gives more than 100,000 nodes", e.message());
    }

    @Test
    void aSpaceJustUnderTheNodeLimitIsChecked() {
        SpecLoader.Checked c = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> SpecLoader.check("big.yaml", chain(16, 2).getBytes(StandardCharsets.UTF_8))); // 65,536 relus
        assertTrue(c.ok(), c.errors().toString());
        assertEquals(1 << 16, c.spec().model().size());
    }

    @Test
    void thousandsOfNestedBlocksStopAtTheDepthLimit() {
        List<SpecError> errors = errors(chain(3000, 1));
        assertEquals(1, errors.size(), errors.toString());
        SpecError e = errors.get(0);
        assertTrue(e.message().contains("blocks nest more than 64 deep here: b3000 -> b2999 -> ... -> b2938 -> b2937 -> b2936"), e.toString());
        assertTrue(e.message().startsWith("node 'u0' in block 'b2937': "), e.toString());
        assertEquals(new Pos("bomb.yaml", 2942, 35), e.pos()); // b2937's use of b2936
    }

    @Test
    void sixtyFourNestedBlocksAreFineAndSixtyFiveAreNot() {
        assertEquals(List.of(), errors(chain(63, 1))); // b63 holds b62 ... holds b0: 64 blocks
        assertEquals(1, errors(chain(64, 1)).size());
    }

    @Test
    void aRepeatIsAtMostOneThousandDeep() {
        String blocks = "blocks:\n  b: {nodes: [{op: relu}]}\nmodel:\n";
        assertTrue(errors(HEAD + blocks + "  - {id: r, repeat: b, depth: 1000}\n").isEmpty());
        List<SpecError> fixed = errors(HEAD + blocks + "  - {id: r, repeat: b, depth: 1000000000}\n");
        assertEquals(List.of(new SpecError(new Pos("bomb.yaml", 7, 31), "node 'r': depth must be in [1, 1000], got 1000000000", null)), fixed);
        List<SpecError> choice = errors(HEAD + blocks + "  - {id: r, repeat: b, depth: {choice: [1, 5000]}}\n");
        assertEquals(1, choice.size(), choice.toString());
        assertTrue(choice.get(0).message().contains("depth must be in [1, 1000], got 5000"), choice.toString());
    }

    @Test
    void repeatsOfRepeatsStopAtTheNodeLimit() {
        String spec = HEAD + "blocks:\n  b0: {nodes: [{op: relu}]}\n"
                + "  b1: {nodes: [{id: r, repeat: b0, depth: 1000}]}\n"
                + "  b2: {nodes: [{id: r, repeat: b1, depth: 1000}]}\n"
                + "model:\n  - {id: top, repeat: b2, depth: 1000}\n";
        List<SpecError> errors = errors(spec);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).message().contains("more than 100,000 nodes"), errors.toString());
    }

    @Test
    void aLargeBlockUsedVeryOftenStopsAtTheCopyLimit() {
        // Each use copies 10,000 values; 2^10 uses copy more than 10 million.
        String big = "  b0: {nodes: [{op: relu, note: [" + "1, ".repeat(9_999) + "1]}]}\n";
        String spec = chain(10, 2).replace("  b0: {nodes: [{op: relu}]}\n", big);
        List<SpecError> errors = errors(spec);
        assertTrue(errors.stream().anyMatch(e -> e.message().equals("node 'top': expanding blocks copies more than 10,000,000 values of their nodes")),
                errors.toString());
    }
}

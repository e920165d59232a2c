package org.nas4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nas space}: the tree of decisions and the supernet picture. */
class SpaceCommandTest {

    private static boolean graphvizInstalled() {
        return java.util.Arrays.stream(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "dot")));
    }

    @Test
    void treeGroupsScopedDecisionsAndSaysWhichAreShared() {
        CliRun run = CliRun.of("space", "--spec", "specs/darts-cell.yaml");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("├─ normal/"), run.out());
        assertTrue(run.out().contains("└─ reduce/"), run.out());
        assertTrue(run.out().contains("n3  [input-choice] 2 of [e3-s0, e3-s1, e3-n0, e3-n1, e3-n2]  (shared by cell1/n3, cell3/n3)"), run.out());
    }

    @Test
    void dotDrawsChoicesAsClustersAndMarksSharedDecisions(@TempDir Path dir) throws Exception {
        Path dot = dir.resolve("darts.dot");
        CliRun run = CliRun.of("space", "--spec", "specs/darts-cell.yaml", "--dot", dot.toString());
        assertEquals(0, run.code(), run.err());
        String graph = Files.readString(dot);
        assertTrue(graph.startsWith("digraph supernet {"));
        // 3 cells x 14 edges, each a layer choice drawn as a cluster of its 8 candidates.
        assertEquals(42, graph.split("subgraph \"cluster_choice_", -1).length - 1);
        assertTrue(graph.contains("subgraph \"cluster_cell2/\""), "block uses are clusters");
        assertTrue(graph.contains("label=\"e0-s0 (key normal/e0-s0/op), shared\""), "shared decisions say so");
        assertTrue(graph.contains("label=\"e0-s0 (key reduce/e0-s0/op)\""), "the reduction cell is alone in its scope");
        assertTrue(graph.contains("\"cell1/n0\" [label=\"n0 (key normal/n0), shared\\n2 of 2, sum\", shape=diamond"), graph);
    }

    @Test
    void svgIsDrawnByGraphvizOrByNas4j(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("mnist.svg");
        CliRun run = CliRun.of("space", "--spec", "specs/mnist.yaml", "--svg", svg.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(Files.readString(svg).contains("<svg"));
        assertEquals(!graphvizInstalled(), run.out().contains("drawn by nas4j"), run.out());
    }

    @Test
    void theGraphvizFreeDrawingHasABoxPerNodeAndAnEdgePerInput() throws Exception {
        org.nas4j.spec.SpecLoader.Checked c = org.nas4j.spec.SpecLoader.load(Path.of("specs/mnist.yaml"));
        String svg = org.nas4j.report.GraphSvg.render(c.spec(), null, null);
        assertEquals(c.spec().model().size() + 1, svg.split("<g class=\"node", -1).length - 1);
        long inputs = c.spec().model().stream().mapToLong(n -> n.inputs().size()).sum();
        assertEquals(inputs, svg.split("<path class=\"edge", -1).length - 1);
        assertTrue(svg.contains("conv3x3 | conv5x5"), "the supernet lists every candidate");
    }

    @Test
    void anInvalidSpecIsReportedNotDrawn() {
        CliRun run = CliRun.of("space", "--spec", "docs/nni-mnist-original.yaml");
        assertEquals(1, run.code());
        assertTrue(run.err().contains("give different output shapes"), run.err());
        assertFalse(run.crashed());
    }
}

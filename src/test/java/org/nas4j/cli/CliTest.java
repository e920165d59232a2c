package org.nas4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages of the command line itself. */
class CliTest {

    @Test
    void helpDescribesTheCommands() {
        CliRun run = CliRun.of("--help");
        assertEquals(0, run.code());
        assertTrue(run.out().contains("validate-spec"), run.out());
        CliRun sub = CliRun.of("validate-spec", "--help");
        assertEquals(0, sub.code());
        assertTrue(sub.out().contains("--json") && sub.out().contains("FILE:LINE:COL"), sub.out());
    }

    @Test
    void versionIsPrinted() {
        CliRun run = CliRun.of("--version");
        assertEquals(0, run.code());
        assertTrue(run.out().startsWith("nas4j "), run.out());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, CliRun.of("no-such-command").code());
        assertEquals(2, CliRun.of("validate-spec").code());
        CliRun flag = CliRun.of("validate-spec", "--jsn", "specs/mnist.yaml");
        assertEquals(2, flag.code());
        assertTrue(flag.err().contains("--jsn"), flag.err());
        assertEquals(2, CliRun.of().code());
    }

    @Test
    void missingFileOrDirectoryIsAPositionedErrorNotACrash(@TempDir Path dir) {
        CliRun missing = CliRun.of("validate-spec", dir.resolve("nope.yaml").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope.yaml:1:1: no such file"), missing.err());
        CliRun directory = CliRun.of("validate-spec", dir.toString());
        assertEquals(1, directory.code());
        assertTrue(directory.err().contains("is a directory"), directory.err());
        assertFalse(missing.crashed() || directory.crashed());
    }

    @Test
    void oneBadFileAmongGoodOnesFailsTheRunButEveryFileIsReported(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "nas: 1\n");
        CliRun run = CliRun.of("validate-spec", "specs/mnist.yaml", bad.toString());
        assertEquals(1, run.code());
        assertTrue(run.out().contains("specs/mnist.yaml: valid"), run.out());
        assertTrue(run.err().contains("bad.yaml:1:1: missing 'input'"), run.err());
    }

    @Test
    void shellCompletionIsGenerated() {
        CliRun run = CliRun.of("generate-completion");
        assertEquals(0, run.code());
        assertTrue(run.out().contains("validate-spec"));
    }

    @Test
    void aBadStrategyOptionIsRefusedBeforeTheRunDirectoryExists(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        for (String[] bad : new String[][] {{"enas", "controller-steps=abc", "whole number"}, {"evolution", "population=0", "whole number"},
                {"tpe", "gamma=2", "(0, 1)"}, {"random", "dedup=maybe", "true or false"}, {"darts", "lr=-1", "at least 0"}}) {
            java.nio.file.Path run = dir.resolve(bad[0]);
            CliRun r = CliRun.of("search", "--spec", "specs/mnist.yaml", "--strategy", bad[0], "--option", bad[1], "--out", run.toString());
            assertEquals(1, r.code(), bad[1] + ": " + r.out() + r.err());
            assertTrue(r.err().contains(bad[2]) && !r.crashed(), r.err());
            assertTrue(!java.nio.file.Files.exists(run), "no run directory for " + bad[1]);
        }
    }

    @Test
    void parallelIsRefusedForOneShotStrategies() {
        CliRun run = CliRun.of("search", "--spec", "specs/mnist.yaml", "--strategy", "darts", "--parallel", "2");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--parallel runs multi-trial trials in worker processes"), run.err());
    }

    @Test
    void strategiesAreListedWithTheirDefaults() {
        CliRun run = CliRun.of("strategies");
        assertEquals(0, run.code());
        String out = run.out();
        assertTrue(out.contains("\nevolution       multi-trial  regularized evolution"), out);
        assertTrue(out.contains("\n    population=20 (whole >= 1) ") && out.contains("\n    sample=5 (whole >= 1) "), out);
        assertTrue(out.contains("\ntpe             multi-trial") && out.contains("\n    gamma=0.25 (in (0, 1)) "), out);
        assertTrue(out.contains("\nspos            one-shot") && out.contains("\n    top-k=5 (whole >= 1) ")
                && out.contains("\n    mutation-prob=0.1 (in (0, 1)) ") && out.contains("\n    bn-batches=10 (whole >= 1) "), out);
        assertTrue(out.contains("\ndarts           one-shot") && out.contains("\n    lr=0.025 (number >= 0) ")
                && out.contains("\n    order=1 (whole 1..2) "), out);
    }
}

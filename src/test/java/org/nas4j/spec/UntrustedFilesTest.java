package org.nas4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.cli.CliRun;

/** Specs and architecture files that are devices, FIFOs or huge are refused at once, through the CLI. */
class UntrustedFilesTest {
    @TempDir
    Path dir;

    private static CliRun quickly(String... args) {
        CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> CliRun.of(args));
        assertEquals(1, run.code(), run.err());
        assertFalse(run.crashed(), run.err());
        return run;
    }

    private Path fifo() throws Exception {
        Path fifo = dir.resolve("pipe");
        try {
            Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
            assumeTrue(p.waitFor() == 0, "mkfifo failed");
        } catch (IOException noMkfifo) {
            assumeTrue(false, "mkfifo is not available");
        }
        return fifo;
    }

    @Test
    void devicesAndFifosAreNotSpecs() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        CliRun zero = quickly("validate-spec", "/dev/zero");
        assertTrue(zero.err().contains("/dev/zero:1:1: not a regular file; a spec must be one"), zero.err());
        Path fifo = fifo();
        CliRun pipe = quickly("validate-spec", fifo.toString());
        assertTrue(pipe.err().contains(fifo + ":1:1: not a regular file"), pipe.err());
    }

    @Test
    void aSpecOverTheLimitIsRefusedByReading() throws Exception {
        Path big = dir.resolve("big.yaml");
        Files.write(big, new byte[YamlReader.MAX_BYTES + 1]);
        CliRun run = quickly("validate-spec", big.toString());
        assertTrue(run.err().contains(big + ":1:1: larger than 1 MiB; is it a spec?"), run.err());
    }

    @Test
    void devicesAndFifosAreNotArchitectureFiles() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        CliRun zero = quickly("retrain", "--spec", "specs/mnist.yaml", "--arch", "/dev/zero", "--out", dir.resolve("m").toString());
        assertTrue(zero.err().contains("/dev/zero: not a regular file; an architecture file must be one"), zero.err());
        Path fifo = fifo();
        CliRun pipe = quickly("retrain", "--spec", "specs/mnist.yaml", "--arch", fifo.toString(), "--out", dir.resolve("m").toString());
        assertTrue(pipe.err().contains(fifo + ": not a regular file"), pipe.err());
        assertFalse(Files.exists(dir.resolve("m")));
    }
}

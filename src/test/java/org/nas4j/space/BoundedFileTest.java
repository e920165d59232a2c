package org.nas4j.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounded reading: devices, FIFOs and oversized files are refused by reading, with one-line messages. */
class BoundedFileTest {
    @TempDir
    Path dir;

    private static String refusal(Path path, long limit) {
        IOException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(IOException.class, () -> BoundedFile.read(path, limit, "a spec")));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsAFileUpToTheLimit() throws IOException {
        Path f = Files.write(dir.resolve("ok.yaml"), new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, BoundedFile.read(f, 3, "a spec"));
        assertEquals(f + ": larger than 2 bytes; is it a spec?", refusal(f, 2));
        Path big = Files.write(dir.resolve("big"), new byte[1025]);
        assertEquals(big + ": larger than 1 KiB; is it a spec?", refusal(big, 1024));
    }

    @Test
    void anEndlessDeviceIsRefused() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero));
        assertEquals("/dev/zero: not a regular file; a spec must be one", refusal(zero, 16L << 20));
    }

    @Test
    void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
        Path fifo = dir.resolve("pipe.yaml");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException noMkfifo) {
            assumeTrue(false, "mkfifo is not available");
            return;
        }
        assumeTrue(p.waitFor() == 0 && Files.exists(fifo), "mkfifo failed");
        assertEquals(fifo + ": not a regular file; a spec must be one", refusal(fifo, 1 << 20));
    }

    @Test
    void aMissingFileAndADirectoryAreNamed() {
        Path missing = dir.resolve("none.yaml");
        IOException e = assertThrows(NoSuchFileException.class, () -> BoundedFile.read(missing, 10, "a spec"));
        assertEquals(missing + ": no such file", e.getMessage());
        assertEquals(dir + ": is a directory, not a spec", refusal(dir, 10));
    }
}

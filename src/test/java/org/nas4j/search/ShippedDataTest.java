package org.nas4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.space.InputException;
import org.nas4j.spec.SampleShape;
import org.nas4j.spec.Spec;

class ShippedDataTest {
    private static Path idxFolder(Path dir) throws Exception {
        Files.createDirectories(dir);
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            Files.write(dir.resolve(f), new byte[1000]);
        }
        return dir;
    }

    @Test
    void shipsTheFolderAnIdxDatasetIsReadFromWithItsSize(@TempDir Path dir) throws Exception {
        Path digits = idxFolder(dir.resolve("digits"));
        ShippedData d = ShippedData.of(new Spec.DataSpec("idx", digits.toString(), 32, null, null));
        assertEquals(digits.toAbsolutePath(), d.source());
        assertEquals(4000, d.bytes());
    }

    @Test
    void refusesDataOverTheLimitSayingWhatToDoInstead(@TempDir Path dir) throws Exception {
        Path table = Files.writeString(dir.resolve("t.csv"), "x,y\n".repeat(1000));
        InputException e = assertThrows(InputException.class, () -> ShippedData.of(new Spec.DataSpec("csv", table.toString(), 8, null, null), 100));
        assertTrue(e.getMessage().contains(table.toString()) && e.getMessage().contains("a path every host of the cluster reads"), e.getMessage());
    }

    @Test
    void refusesDataThatReadsNoFilesAndDataThatIsMissing(@TempDir Path dir) {
        InputException none = assertThrows(InputException.class, () -> ShippedData.of(new Spec.DataSpec("synthetic", null, 8, null, null)));
        assertTrue(none.getMessage().contains("dataset synthetic reads no files"), none.getMessage());
        InputException missing = assertThrows(InputException.class,
                () -> ShippedData.of(new Spec.DataSpec("image-folder", dir.resolve("nope").toString(), 8, null, null)));
        assertTrue(missing.getMessage().contains("nope does not exist"), missing.getMessage());
    }

    @Test
    void aWorkerReadsTheSameDataFromItsCopyABuiltInDatasetAsIdxFiles(@TempDir Path dir) {
        Spec mnist = new Spec("s.yaml", "s", SampleShape.of(1, 28, 28), new Spec.DataSpec("mnist", null, 64, 512, 0.2), null, null,
                java.util.List.of());
        assertSame(mnist, ShippedData.readingCopy(mnist, Map.of()), "no copy: the spec as it is");
        Spec copied = ShippedData.readingCopy(mnist, Map.of(ShippedData.ENV, "/tmp/copy/mnist"));
        assertEquals(new Spec.DataSpec("idx", "/tmp/copy/mnist", 64, 512, 0.2), copied.data());
        Spec table = mnist.withData(new Spec.DataSpec("csv", "specs/data/two-moons.csv", 32, null, null));
        assertEquals("csv", ShippedData.readingCopy(table, Map.of(ShippedData.ENV, "/x/two-moons.csv")).data().dataset());
        assertEquals("/x/two-moons.csv", ShippedData.readingCopy(table, Map.of(ShippedData.ENV, "/x/two-moons.csv")).data().path());
    }
}

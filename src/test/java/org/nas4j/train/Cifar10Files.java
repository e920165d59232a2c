package org.nas4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntBinaryOperator;

/** Writes files in CIFAR-10's binary layout for tests: record r has label r % 10. */
public final class Cifar10Files {
    private Cifar10Files() {
    }

    /**
     * Writes root/cifar-10-batches-bin with {@code perTrainFile} records in each of the five
     * training files and {@code test} in the test file; {@code value.applyAsInt(r, k)} is byte k
     * (0 to 3,071: red, green, blue planes) of record r's image.
     */
    public static Path write(Path root, int perTrainFile, int test, IntBinaryOperator value) throws IOException {
        Path dir = Files.createDirectories(root.resolve(Cifar10Reader.FOLDER));
        for (String f : Cifar10Reader.TRAIN_FILES) {
            Files.write(dir.resolve(f), records(perTrainFile, value));
        }
        Files.write(dir.resolve(Cifar10Reader.TEST_FILE), records(test, value));
        return dir;
    }

    /** {@code n} records, as one file holds them. */
    public static byte[] records(int n, IntBinaryOperator value) {
        byte[] b = new byte[n * Cifar10Reader.RECORD_BYTES];
        for (int r = 0; r < n; r++) {
            int at = r * Cifar10Reader.RECORD_BYTES;
            b[at] = (byte) (r % 10);
            for (int k = 0; k < Cifar10Reader.IMAGE_BYTES; k++) {
                b[at + 1 + k] = (byte) value.applyAsInt(r, k);
            }
        }
        return b;
    }
}

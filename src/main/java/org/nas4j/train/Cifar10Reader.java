package org.nas4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nas4j.space.InputException;
import org.nas4j.space.IoReason;

/**
 * Reads CIFAR-10's binary distribution (cifar-10-batches-bin): data_batch_1.bin to
 * data_batch_5.bin and test_batch.bin, each a run of 3,073-byte records, a label (0 to 9) then a
 * 32x32 image as 1,024 red, 1,024 green and 1,024 blue bytes, row by row: already the [3, 32, 32]
 * layout a model takes.
 */
public final class Cifar10Reader {
    /** The training files, in order. */
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    /** The test file. */
    public static final String TEST_FILE = "test_batch.bin";
    /** The folder the distribution unpacks to; a path may name it or the folder that holds it. */
    public static final String FOLDER = "cifar-10-batches-bin";
    /** Values in one image. */
    public static final int IMAGE_BYTES = 3 * 32 * 32;
    /** Bytes of one record: the label, then the image. */
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    /** The classes CIFAR-10 has. */
    public static final int CLASSES = 10;

    private Cifar10Reader() {
    }

    /** Images one after another ({@link #IMAGE_BYTES} bytes each) and their labels. */
    public record Part(byte[] images, int[] labels) {
    }

    /**
     * The folder of the files under {@code path}: the path itself when it holds data_batch_1.bin,
     * else its cifar-10-batches-bin sub-folder when that does.
     *
     * @throws InputException naming every missing file
     */
    public static Path locate(Path path) throws InputException {
        if (!Files.isDirectory(path)) {
            throw new InputException("dataset cifar10 not found: " + path + (Files.exists(path) ? " is not a directory" : " does not exist"));
        }
        Path dir = Files.isRegularFile(path.resolve(TRAIN_FILES.get(0))) || !Files.isDirectory(path.resolve(FOLDER)) ? path : path.resolve(FOLDER);
        List<String> missing = new ArrayList<>();
        for (String f : allFiles()) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            throw new InputException("dataset cifar10: " + dir + " lacks " + String.join(", ", missing)
                    + " (the binary version, cifar-10-binary.tar.gz, unpacked: " + FOLDER + "/ with data_batch_1.bin to 5 and "
                    + TEST_FILE + ")");
        }
        return dir;
    }

    /** The training part (the five data batches in order) of the files in {@code dir}, as {@link #locate} found it. */
    public static Part train(Path dir) throws InputException {
        List<Path> files = new ArrayList<>();
        for (String f : TRAIN_FILES) {
            files.add(dir.resolve(f));
        }
        return read(files);
    }

    /** The test part. */
    public static Part test(Path dir) throws InputException {
        return read(List.of(dir.resolve(TEST_FILE)));
    }

    private static List<String> allFiles() {
        List<String> all = new ArrayList<>(TRAIN_FILES);
        all.add(TEST_FILE);
        return all;
    }

    private static Part read(List<Path> files) throws InputException {
        long total = 0;
        for (Path f : files) {
            long size = size(f);
            if (size == 0 || size % RECORD_BYTES != 0) {
                throw new InputException(String.format(Locale.ROOT, "%s: %,d bytes is not a whole number of CIFAR-10 records (%,d bytes each:"
                        + " a label and a 32x32 RGB image); is it the binary version, whole?", f, size, RECORD_BYTES));
            }
            total += size / RECORD_BYTES;
        }
        if (total * IMAGE_BYTES > Integer.MAX_VALUE - 64) {
            throw new InputException(files.get(0).getParent() + ": " + total + " CIFAR-10 images are more than one array holds");
        }
        byte[] images = new byte[(int) total * IMAGE_BYTES];
        int[] labels = new int[(int) total];
        int n = 0;
        for (Path f : files) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(f);
            } catch (IOException e) {
                throw new InputException("cannot read " + f + ": " + IoReason.of(e));
            }
            for (int r = 0; r < bytes.length / RECORD_BYTES; r++, n++) {
                int label = bytes[r * RECORD_BYTES] & 0xff;
                if (label >= CLASSES) {
                    throw new InputException(String.format(Locale.ROOT, "%s: record %d (byte %,d) has label %d; CIFAR-10 labels are 0 to 9",
                            f, r + 1, (long) r * RECORD_BYTES, label));
                }
                labels[n] = label;
                System.arraycopy(bytes, r * RECORD_BYTES + 1, images, n * IMAGE_BYTES, IMAGE_BYTES);
            }
        }
        return new Part(images, labels);
    }

    private static long size(Path f) throws InputException {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new InputException("cannot read " + f + ": " + IoReason.of(e));
        }
    }
}

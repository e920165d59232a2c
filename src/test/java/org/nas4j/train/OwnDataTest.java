package org.nas4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Batch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nas4j.space.InputException;
import org.nas4j.spec.SampleShape;
import org.nas4j.spec.Spec;

/** The datasets a user brings: CIFAR-10's binary files and CSV tables, read right or refused with where and what. */
class OwnDataTest extends WithEngine {
    // ---- CIFAR-10 ----

    /**
     * CIFAR-10 files with {@code perBatch} records in each training file and {@code test} in the
     * test file: a record's red plane holds 20 x its label, green 100, blue 250, so that the
     * layout can be checked after loading.
     */
    private static Path cifar(Path root, int perBatch, int test) throws IOException {
        return Cifar10Files.write(root, perBatch, test, OwnDataTest::planes);
    }

    private static int planes(int record, int k) {
        return k < 1024 ? 20 * (record % 10) : k < 2048 ? 100 : 250;
    }

    private static byte[] records(int n) {
        return Cifar10Files.records(n, OwnDataTest::planes);
    }

    private static Spec.DataSpec cifarData(Path path) {
        return new Spec.DataSpec("cifar10", path.toString(), 8, null, 0.1);
    }

    @Test
    void cifar10FilesLoadAsRgbImagesWithTheirLabels() throws Exception {
        cifar(tmp, 20, 10);
        // The folder that holds cifar-10-batches-bin, or that folder itself.
        for (Path path : List.of(tmp, tmp.resolve("cifar-10-batches-bin"))) {
            Datasets.Splits s = Datasets.load(cifarData(path), SampleShape.of(3, 32, 32), 10, 0.1, 1, manager);
            assertEquals(List.of(90, 10, 10), List.of(s.trainSize(), s.validationSize(), s.testSize()));
            for (RandomAccessDataset part : List.of(s.train(), s.test())) {
                for (Batch b : part.getData(manager)) {
                    try (b) {
                        NDArray x = b.getData().head();
                        float[] labels = b.getLabels().head().toFloatArray();
                        assertEquals(3, x.getShape().get(1));
                        for (int i = 0; i < labels.length; i++) {
                            float red = x.get(i, 0, 5, 7).getFloat();
                            float green = x.get(i, 1, 31, 0).getFloat();
                            float blue = x.get(i, 2, 0, 31).getFloat();
                            // One scale for all values: their order and spacing survive standardisation.
                            float step = (blue - green) / 150;
                            assertEquals(green - 100 * step + 20 * labels[i] * step, red, 1e-3, "sample " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void cifar10ProblemsNameTheFile() throws Exception {
        Path dir = cifar(tmp, 3, 2);
        Files.delete(dir.resolve("data_batch_4.bin"));
        Files.delete(dir.resolve(Cifar10Reader.TEST_FILE));
        String missing = assertThrows(InputException.class, () -> Datasets.locate(cifarData(tmp))).getMessage();
        assertTrue(missing.contains("data_batch_4.bin, test_batch.bin") && missing.contains(dir.toString()), missing);

        cifar(tmp, 3, 2);
        Files.write(dir.resolve("data_batch_2.bin"), java.util.Arrays.copyOf(records(3), 3 * Cifar10Reader.RECORD_BYTES - 5));
        String cut = load(cifarData(tmp));
        assertTrue(cut.startsWith(dir.resolve("data_batch_2.bin") + ": 9,214 bytes is not a whole number of CIFAR-10 records"), cut);

        cifar(tmp, 3, 2);
        byte[] bad = records(3);
        bad[2 * Cifar10Reader.RECORD_BYTES] = 11;
        Files.write(dir.resolve("data_batch_3.bin"), bad);
        String label = load(cifarData(tmp));
        assertTrue(label.startsWith(dir.resolve("data_batch_3.bin") + ": record 3 (byte 6,146) has label 11"), label);

        cifar(tmp, 10, 2);
        String classes = assertThrows(InputException.class,
                () -> Datasets.load(cifarData(tmp), SampleShape.of(3, 32, 32), 5, 0.1, 1, manager)).getMessage();
        assertTrue(classes.contains("labels 0 to 9 but the model tells apart 5 classes"), classes);
        String shape = assertThrows(InputException.class,
                () -> Datasets.load(cifarData(tmp), SampleShape.of(1, 28, 28), 10, 0.1, 1, manager)).getMessage();
        assertTrue(shape.contains("[3, 32, 32]") && shape.contains("[1, 28, 28]"), shape);
    }

    private static String load(Spec.DataSpec data) {
        return assertThrows(InputException.class, () -> Datasets.load(data, SampleShape.of(3, 32, 32), 10, 0.1, 1, manager)).getMessage();
    }

    // ---- CSV ----

    private static Spec.DataSpec csv(Path file, String label, List<String> features, String onBadRow) {
        return new Spec.DataSpec("csv", file.toString(), 4, null, 0.1, label, features, onBadRow, List.of(), null, null, java.util.Map.of());
    }

    /** A table of 50 rows: x1 and x2 numbers, colour the label (red or blue), note a text column. */
    private Path table(String... extraRows) throws IOException {
        StringBuilder s = new StringBuilder("x1,x2,colour,note\n");
        Random r = new Random(3);
        for (int i = 0; i < 50; i++) {
            s.append(String.format(java.util.Locale.ROOT, "%.3f,%.3f,%s,\"row %d, ok\"%n", 10 + 5 * r.nextGaussian(),
                    -2 + 0.1 * r.nextGaussian(), i % 3 == 0 ? "red" : "blue", i));
        }
        for (String extra : extraRows) {
            s.append(extra).append('\n');
        }
        Path file = tmp.resolve("t.csv");
        Files.writeString(file, s);
        return file;
    }

    private static List<float[]> rows(RandomAccessDataset part) throws Exception {
        List<float[]> out = new ArrayList<>();
        for (Batch b : part.getData(manager)) {
            try (b) {
                NDArray x = b.getData().head();
                for (int i = 0; i < x.getShape().get(0); i++) {
                    out.add(x.get(i).toFloatArray());
                }
            }
        }
        return out;
    }

    @Test
    void csvTablesSplitAndStandardiseOnTheTrainingRowsOnly() throws Exception {
        Path file = table();
        Datasets.Splits s = Datasets.load(csv(file, "colour", List.of(), "error"), SampleShape.of(2), 2, 0.1, 1, manager);
        assertEquals(List.of(36, 4, 10), List.of(s.trainSize(), s.validationSize(), s.testSize()));
        assertNull(s.note());
        List<float[]> train = rows(s.train());
        for (int k = 0; k < 2; k++) {
            double sum = 0;
            double squares = 0;
            for (float[] row : train) {
                sum += row[k];
                squares += row[k] * row[k];
            }
            assertEquals(0, sum / train.size(), 1e-4, "feature " + k + " mean");
            assertEquals(1, Math.sqrt(squares / train.size()), 1e-3, "feature " + k + " std");
        }
        // Classes in text order: blue 0, red 1; a third of the rows are red.
        float reds = 0;
        for (Batch b : s.train().getData(manager)) {
            try (b) {
                reds += b.getLabels().head().sum().getFloat();
            }
        }
        assertTrue(reds > 6 && reds < 18, reds + " red rows of 36");
        // The same seed splits the same way; named features pick and order columns.
        Datasets.Splits again = Datasets.load(csv(file, "colour", List.of("x2", "x1"), "error"), SampleShape.of(2), 2, 0.1, 1, manager);
        List<float[]> swapped = rows(again.train());
        assertEquals(train.get(5)[0], swapped.get(5)[1], 1e-6);
    }

    @Test
    void aTrainingSplitSmallerThanOneBatchIsRefused() throws Exception {
        Path file = table();
        Spec.DataSpec big = new Spec.DataSpec("csv", file.toString(), 64, null, 0.1, "colour", List.of(), "error", List.of(), null, null, java.util.Map.of());
        String err = assertThrows(InputException.class, () -> Datasets.load(big, SampleShape.of(2), 2, 0.1, 1, manager)).getMessage();
        assertTrue(err.contains("dataset csv: 36 training samples after 4 are held out for validation, fewer than one batch"
                + " (data.batch-size 64)"), err);
    }

    @Test
    void badCsvRowsStopWithFileAndLineOrAreSkippedAndCounted() throws Exception {
        Path file = table("1.0,2.0,red", "3.0,abc,blue,x", "4.0,5.0,,y");
        String err = assertThrows(InputException.class,
                () -> Datasets.load(csv(file, "colour", List.of(), "error"), SampleShape.of(2), 2, 0.1, 1, manager)).getMessage();
        assertTrue(err.startsWith(file + ":52: 3 values, but the header names 4 columns"), err);
        assertTrue(err.contains("on-bad-row: skip"), err);
        Datasets.Splits s = Datasets.load(csv(file, "colour", List.of(), "skip"), SampleShape.of(2), 2, 0.1, 1, manager);
        assertEquals(50, s.trainSize() + s.validationSize() + s.testSize());
        assertTrue(s.note().startsWith("3 bad rows of " + file + " left out (data.on-bad-row: skip); the first: " + file + ":52:"),
                s.note());

        Path words = table("3.0,abc,blue,x");
        String notNumber = assertThrows(InputException.class,
                () -> Datasets.load(csv(words, "colour", List.of(), "error"), SampleShape.of(2), 2, 0.1, 1, manager)).getMessage();
        assertTrue(notNumber.startsWith(words + ":52: column 'x2' holds 'abc', not a number"), notNumber);
    }

    @Test
    void csvTablesThatDoNotFitTheSpecAreRefusedBeforeTraining() throws Exception {
        Path file = table();
        List<String[]> cases = List.of(
                new String[] {"klass", "2", "2", file + ":1: no column 'klass' (data.label); the header has x1, x2, colour, note"},
                new String[] {"colour", "3", "2", "has 2 features (x1, x2) but the spec's input is [3]; make it [2]"},
                new String[] {"colour", "2", "1", "column 'colour' of " + file + " has 2 distinct values (blue, red) but the model tells apart 1 class"});
        for (String[] c : cases) {
            String err = assertThrows(InputException.class, () -> Datasets.load(csv(file, c[0], List.of(), "error"),
                    SampleShape.of(Integer.parseInt(c[1])), Integer.parseInt(c[2]), 0.1, 1, manager)).getMessage();
            assertTrue(err.contains(c[3]), err);
        }
        Path empty = Files.writeString(tmp.resolve("empty.csv"), "");
        Path header = Files.writeString(tmp.resolve("header.csv"), "a,b,label\n");
        Path textOnly = Files.writeString(tmp.resolve("text.csv"), "a,label\nx,1\n");
        Path latin1 = Files.write(tmp.resolve("latin1.csv"), "a,label\n1,caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        for (Object[] c : List.of(new Object[] {empty, "empty; a CSV table needs a header row"},
                new Object[] {header, "no rows after the header"},
                new Object[] {textOnly, "no column besides the label 'label' holds numbers in the first row"},
                new Object[] {latin1, "not UTF-8 text"},
                new Object[] {tmp.resolve("absent.csv"), "does not exist"})) {
            String err = assertThrows(InputException.class, () -> Datasets.load(csv((Path) c[0], "label", List.of(), "error"),
                    SampleShape.of(2), 2, 0.1, 1, manager)).getMessage();
            assertTrue(err.contains(c[0].toString()) && err.contains((String) c[1]), err);
        }
    }
}

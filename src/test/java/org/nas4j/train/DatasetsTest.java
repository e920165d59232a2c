package org.nas4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.dataset.Batch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nas4j.space.InputException;
import org.nas4j.spec.SampleShape;
import org.nas4j.spec.Spec;

/** IDX reading, the datasets' errors, synthetic data, splits and batches; mnist and fashion-mnist when fetched. */
class DatasetsTest extends WithEngine {
    private static final SampleShape MNIST_INPUT = SampleShape.of(1, 28, 28);
    // ---- helpers ----

    private static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] labelsOf(int n, int classes) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % classes);
        }
        return b;
    }

    /** Writes an IDX dataset of rows x cols images into dir, gzipped or not. */
    private static Path writeDataset(Path dir, int train, int test, int rows, int cols, boolean gz) throws IOException {
        Files.createDirectories(dir);
        String ext = gz ? ".gz" : "";
        write(dir.resolve("train-images-idx3-ubyte" + ext), idx(0x803, new int[] {train, rows, cols},
                random(train * rows * cols, 1)), gz);
        write(dir.resolve("train-labels-idx1-ubyte" + ext), idx(0x801, new int[] {train}, labelsOf(train, 10)), gz);
        write(dir.resolve("t10k-images-idx3-ubyte" + ext), idx(0x803, new int[] {test, rows, cols},
                random(test * rows * cols, 2)), gz);
        write(dir.resolve("t10k-labels-idx1-ubyte" + ext), idx(0x801, new int[] {test}, labelsOf(test, 10)), gz);
        return dir;
    }

    private static void write(Path file, byte[] bytes, boolean gz) throws IOException {
        Files.write(file, gz ? gzip(bytes) : bytes);
    }

    private static Spec.DataSpec data(String dataset, String path, int batch, Integer limit, Double validation) {
        return new Spec.DataSpec(dataset, path, batch, limit, validation);
    }

    private static Datasets.Splits load(Spec.DataSpec data, SampleShape input, long seed) throws InputException {
        return Datasets.load(data, input, 10, 0.1, seed, manager);
    }

    /** All samples and labels of a dataset, from one pass over its batches (one epoch), as floats. */
    private record Pass(float[] x, float[] y) {
    }

    private static Pass pass(ai.djl.training.dataset.RandomAccessDataset dataset) throws Exception {
        List<float[]> xs = new java.util.ArrayList<>();
        List<float[]> ys = new java.util.ArrayList<>();
        for (Batch b : dataset.getData(manager)) {
            try (b) {
                xs.add(b.getData().head().toFloatArray());
                ys.add(b.getLabels().head().toFloatArray());
            }
        }
        return new Pass(concat(xs), concat(ys));
    }

    /** The labels of a dataset, from one pass over its batches. */
    private static float[] labels(ai.djl.training.dataset.RandomAccessDataset dataset) throws Exception {
        List<float[]> ys = new java.util.ArrayList<>();
        for (Batch b : dataset.getData(manager)) {
            try (b) {
                ys.add(b.getLabels().head().toFloatArray());
            }
        }
        return concat(ys);
    }

    private static float[] concat(List<float[]> parts) {
        float[] out = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** The values standardised by their own mean and standard deviation. */
    private static float[] standardised(float[] values) {
        double mean = 0;
        double squares = 0;
        for (float v : values) {
            mean += v;
            squares += (double) v * v;
        }
        mean /= values.length;
        double std = Math.sqrt(squares / values.length - mean * mean);
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) ((values[i] - mean) / std);
        }
        return out;
    }

    private static int[] classCounts(float[] labels, int classes) {
        int[] counts = new int[classes];
        for (float l : labels) {
            counts[(int) l]++;
        }
        return counts;
    }

    private static String withDataRoot(Path root, ThrowingSupplier<String> body) throws Exception {
        String old = System.getProperty("nas4j.data");
        System.setProperty("nas4j.data", root.toString());
        try {
            return body.get();
        } finally {
            if (old == null) {
                System.clearProperty("nas4j.data");
            } else {
                System.setProperty("nas4j.data", old);
            }
        }
    }

    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    // ---- IDX files ----

    @Test
    void idxRoundTripsPlainAndGzipped() throws Exception {
        byte[] pixels = random(3 * 4 * 5, 9);
        byte[] labels = {7, 0, (byte) 200};
        for (boolean gz : List.of(false, true)) {
            Path images = tmp.resolve("images" + gz);
            Path labelFile = tmp.resolve("labels" + gz);
            write(images, idx(0x803, new int[] {3, 4, 5}, pixels), gz);
            write(labelFile, idx(0x801, new int[] {3}, labels), gz);
            assertEquals(gz, IdxReader.isGzip(images));
            IdxReader.Images im = IdxReader.readImages(images);
            assertEquals(List.of(3, 4, 5), List.of(im.count(), im.rows(), im.cols()));
            assertArrayEquals(pixels, im.pixels());
            IdxReader.Labels lb = IdxReader.readLabels(labelFile);
            assertArrayEquals(labels, lb.labels());
            assertEquals(200, lb.max());
            IdxReader.checkSameCount(im, lb);
        }
    }

    @Test
    void gzipIsToldByItsMagicBytesNotByTheName() throws Exception {
        byte[] labels = {1, 2, 3};
        Path gzNoSuffix = tmp.resolve("labels");
        Path plainWithSuffix = tmp.resolve("labels.gz");
        write(gzNoSuffix, idx(0x801, new int[] {3}, labels), true);
        write(plainWithSuffix, idx(0x801, new int[] {3}, labels), false);
        assertArrayEquals(labels, IdxReader.readLabels(gzNoSuffix).labels());
        assertArrayEquals(labels, IdxReader.readLabels(plainWithSuffix).labels());
    }

    @Test
    void truncatedFilesAreReportedWithTheirPath() throws Exception {
        byte[] full = idx(0x803, new int[] {10, 28, 28}, random(10 * 784, 3));
        Path plain = tmp.resolve("train-images-idx3-ubyte");
        Files.write(plain, Arrays.copyOf(full, full.length - 100));
        InputException e = assertThrows(InputException.class, () -> IdxReader.readImages(plain));
        assertTrue(e.getMessage().contains(plain.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("10 images of 28x28"), e.getMessage());

        Path header = tmp.resolve("header-only");
        Files.write(header, Arrays.copyOf(full, 9));
        e = assertThrows(InputException.class, () -> IdxReader.readImages(header));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        byte[] gz = gzip(full);
        Path cut = tmp.resolve("train-images-idx3-ubyte.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length / 2));
        e = assertThrows(InputException.class, () -> IdxReader.readImages(cut));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        Path longer = tmp.resolve("longer");
        Files.write(longer, Arrays.copyOf(full, full.length + 5));
        e = assertThrows(InputException.class, () -> IdxReader.readImages(longer));
        assertTrue(e.getMessage().contains("more bytes"), e.getMessage());
    }

    @Test
    void badMagicNumbersAreReported() throws Exception {
        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "hello, this is not an IDX file at all");
        InputException e = assertThrows(InputException.class, () -> IdxReader.readImages(text));
        assertTrue(e.getMessage().contains(text.toString()) && e.getMessage().contains("magic number"), e.getMessage());

        Path labels = tmp.resolve("labels");
        Files.write(labels, idx(0x801, new int[] {2}, new byte[] {0, 1}));
        e = assertThrows(InputException.class, () -> IdxReader.readImages(labels));
        assertTrue(e.getMessage().contains("holds labels, not images"), e.getMessage());

        Path floats = tmp.resolve("floats");
        Files.write(floats, idx(0x0D03, new int[] {1, 1, 1}, new byte[4]));
        e = assertThrows(InputException.class, () -> IdxReader.readImages(floats));
        assertTrue(e.getMessage().contains("type 0x0D"), e.getMessage());

        Path missing = tmp.resolve("nothing-here");
        e = assertThrows(InputException.class, () -> IdxReader.readLabels(missing));
        assertTrue(e.getMessage().contains(missing + " does not exist"), e.getMessage());
    }

    @Test
    void imagesAndLabelsMustBeAsMany() throws Exception {
        Path dir = writeDataset(tmp.resolve("ds"), 20, 5, 28, 28, false);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(0x801, new int[] {19}, labelsOf(19, 10)));
        InputException e = assertThrows(InputException.class,
                () -> load(data("idx", dir.toString(), 8, null, null), MNIST_INPUT, 1));
        assertTrue(e.getMessage().contains("20 images") && e.getMessage().contains("19 labels"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("train-labels-idx1-ubyte").toString()), e.getMessage());
    }

    // ---- datasets ----

    @Test
    void missingDatasetsNameTheFetchScript() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("root"));
        String message = withDataRoot(empty, () -> assertThrows(InputException.class,
                () -> load(data("mnist", null, 8, null, null), MNIST_INPUT, 1)).getMessage());
        assertTrue(message.contains("scripts/fetch-data.sh") && message.contains(empty.resolve("mnist").toString()),
                message);

        // data/fashion-mnist, when it exists, is used instead of the Debian package's directory.
        Path own = Files.createDirectories(empty.resolve("fashion-mnist"));
        message = withDataRoot(empty, () -> assertThrows(InputException.class,
                () -> load(data("fashion-mnist", null, 8, null, null), MNIST_INPUT, 1)).getMessage());
        assertTrue(message.contains("scripts/fetch-data.sh")
                && message.contains(own.resolve("train-images-idx3-ubyte").toString()), message);

        Path partial = writeDataset(tmp.resolve("partial"), 20, 5, 28, 28, true);
        Files.delete(partial.resolve("t10k-labels-idx1-ubyte.gz"));
        InputException e = assertThrows(InputException.class,
                () -> load(data("idx", partial.toString(), 8, null, null), MNIST_INPUT, 1));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte"), e.getMessage());

        e = assertThrows(InputException.class,
                () -> load(data("idx", tmp.resolve("nope").toString(), 8, null, null), MNIST_INPUT, 1));
        assertTrue(e.getMessage().contains("nope does not exist"), e.getMessage());
    }

    @Test
    void theSpecsInputMustFitTheImages() throws Exception {
        Path dir = writeDataset(tmp.resolve("ds"), 20, 5, 28, 28, true);
        for (SampleShape ok : List.of(SampleShape.of(1, 28, 28), SampleShape.of(784), SampleShape.of(28, 28))) {
            Datasets.Splits s = load(data("idx", dir.toString(), 4, null, null), ok, 1);
            try (Batch b = s.test().getData(manager).iterator().next()) {
                long[] want = new long[ok.rank() + 1];
                want[0] = 4;
                for (int i = 0; i < ok.rank(); i++) {
                    want[i + 1] = ok.dim(i);
                }
                assertArrayEquals(want, b.getData().head().getShape().getShape());
            }
        }
        InputException e = assertThrows(InputException.class,
                () -> load(data("idx", dir.toString(), 4, null, null), SampleShape.of(3, 32, 32), 1));
        assertTrue(e.getMessage().contains("[1, 28, 28]") && e.getMessage().contains("[3, 32, 32]"), e.getMessage());
        assertTrue(e.getMessage().startsWith("dataset idx "), e.getMessage());
    }

    @Test
    void labelsMustBeClassesOfTheModel() throws Exception {
        Path dir = writeDataset(tmp.resolve("ds"), 20, 5, 28, 28, false);
        InputException e = assertThrows(InputException.class,
                () -> Datasets.load(data("idx", dir.toString(), 4, null, null), MNIST_INPUT, 5, 0.1, 1, manager));
        assertTrue(e.getMessage().contains("labels 0 to 9") && e.getMessage().contains("5 classes"), e.getMessage());
    }

    @Test
    void syntheticDataDependsOnlyOnTheSeed() throws Exception {
        Spec.DataSpec d = data("synthetic", null, 512, null, null);
        float[] a = pass(load(d, MNIST_INPUT, 7).test()).x();
        float[] b = pass(load(d, MNIST_INPUT, 7).test()).x();
        float[] c = pass(load(d, MNIST_INPUT, 8).test()).x();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertArrayEquals(pass(load(d, MNIST_INPUT, 7).validation()).x(),
                pass(load(d, MNIST_INPUT, 7).validation()).x());
        assertFalse(Arrays.equals(pass(load(d, MNIST_INPUT, 7).validation()).y(),
                pass(load(d, MNIST_INPUT, 8).validation()).y()));

        // Shaped by the input, any input.
        Datasets.Splits s = load(data("synthetic", null, 16, null, null), SampleShape.of(3, 8, 8), 7);
        try (Batch batch = s.train().getData(manager).iterator().next()) {
            assertArrayEquals(new long[] {16, 3, 8, 8}, batch.getData().head().getShape().getShape());
        }
    }

    @Test
    void syntheticClassesAreLearnable() throws Exception {
        // Nearest class mean of the training data labels the test data far above chance (10%).
        Datasets.Splits s = load(data("synthetic", null, 256, null, null), SampleShape.of(32), 3);
        Pass train = pass(s.train());
        float[] x = train.x();
        float[] y = train.y();
        double[][] means = new double[10][32];
        int[] counts = classCounts(y, 10);
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < 32; j++) {
                means[(int) y[i]][j] += x[i * 32 + j] / counts[(int) y[i]];
            }
        }
        Pass test = pass(s.test());
        float[] tx = test.x();
        float[] ty = test.y();
        int right = 0;
        for (int i = 0; i < ty.length; i++) {
            int best = -1;
            double bestDistance = Double.MAX_VALUE;
            for (int c = 0; c < 10; c++) {
                double dist = 0;
                for (int j = 0; j < 32; j++) {
                    double diff = tx[i * 32 + j] - means[c][j];
                    dist += diff * diff;
                }
                if (dist < bestDistance) {
                    bestDistance = dist;
                    best = c;
                }
            }
            right += best == (int) ty[i] ? 1 : 0;
        }
        assertTrue(right > 0.8 * ty.length, right + " of " + ty.length);
    }

    @Test
    void limitAndValidationSizeTheSplits() throws Exception {
        Datasets.Splits s = load(data("synthetic", null, 32, null, null), MNIST_INPUT, 1);
        assertEquals(List.of(1843, 205, 512), List.of(s.trainSize(), s.validationSize(), s.testSize()));
        s = load(data("synthetic", null, 32, 100, 0.25), MNIST_INPUT, 1);
        assertEquals(List.of(75, 25, 512), List.of(s.trainSize(), s.validationSize(), s.testSize()));
        assertEquals(75, pass(s.train()).y().length);
        assertEquals(25, pass(s.validation()).y().length);
        s = load(data("synthetic", null, 32, 100_000, 0.5), MNIST_INPUT, 1);
        assertEquals(List.of(1024, 1024, 512), List.of(s.trainSize(), s.validationSize(), s.testSize()));
        s = load(data("synthetic", null, 1, 2, null), MNIST_INPUT, 1);
        assertEquals(List.of(1, 1), List.of(s.trainSize(), s.validationSize()));
        String small = assertThrows(InputException.class, () -> load(data("synthetic", null, 32, 2, null), MNIST_INPUT, 1)).getMessage();
        assertTrue(small.contains("1 training samples after 1 are held out for validation, fewer than one batch (data.batch-size 32)"), small);
        assertThrows(InputException.class, () -> load(data("synthetic", null, 32, 1, null), MNIST_INPUT, 1));

        // A default validation of 0 (retraining) holds out nothing: the validation set is empty.
        s = Datasets.load(data("synthetic", null, 32, 100, null), MNIST_INPUT, 10, 0, 1, manager);
        assertEquals(List.of(100, 0, 512), List.of(s.trainSize(), s.validationSize(), s.testSize()));
        assertEquals(100, pass(s.train()).y().length);
        assertEquals(0, pass(s.validation()).y().length);
        s = Datasets.load(data("synthetic", null, 1, 1, null), MNIST_INPUT, 10, 0, 1, manager);
        assertEquals(List.of(1, 0), List.of(s.trainSize(), s.validationSize()));

        // The first N training samples of the file: a smaller limit keeps a subset of the larger one's.
        Path dir = writeDataset(tmp.resolve("ds"), 50, 5, 28, 28, false);
        s = load(data("idx", dir.toString(), 8, 30, 0.2), SampleShape.of(784), 1);
        assertEquals(List.of(24, 6, 5), List.of(s.trainSize(), s.validationSize(), s.testSize()));
        // The limit does not touch the test data: the same samples whatever the limit (only the standardisation,
        // by the training data's mean and std, differs).
        Pass limited = pass(load(data("synthetic", null, 64, 100, null), MNIST_INPUT, 1).test());
        Pass unlimited = pass(load(data("synthetic", null, 64, null, null), MNIST_INPUT, 1).test());
        assertArrayEquals(unlimited.y(), limited.y());
        assertArrayEquals(standardised(unlimited.x()), standardised(limited.x()), 1e-4f);
    }

    @Test
    void batchesAreStandardisedAndOnlyTrainingIsShuffledReproducibly() throws Exception {
        Path dir = writeDataset(tmp.resolve("ds"), 200, 30, 28, 28, true);
        Spec.DataSpec d = data("idx", dir.toString(), 16, null, 0.1);
        // Each epoch a new order of the training data, the same orders for the same seed.
        Datasets.Splits s = load(d, MNIST_INPUT, 5);
        Pass epoch1 = pass(s.train());
        Pass epoch2 = pass(s.train());
        assertFalse(Arrays.equals(epoch1.y(), epoch2.y()));
        float[] sorted1 = epoch1.y().clone();
        float[] sorted2 = epoch2.y().clone();
        Arrays.sort(sorted1);
        Arrays.sort(sorted2);
        assertArrayEquals(sorted1, sorted2);
        Datasets.Splits again = load(d, MNIST_INPUT, 5);
        assertArrayEquals(epoch1.x(), pass(again.train()).x());
        assertArrayEquals(epoch2.x(), pass(again.train()).x());
        assertFalse(Arrays.equals(epoch1.y(), pass(load(d, MNIST_INPUT, 6).train()).y()));

        try (Batch b = s.train().getData(manager).iterator().next()) {
            NDArray x = b.getData().head();
            NDArray y = b.getLabels().head();
            assertArrayEquals(new long[] {16, 1, 28, 28}, x.getShape().getShape());
            assertEquals(DataType.FLOAT32, x.getDataType());
            assertArrayEquals(new long[] {16}, y.getShape().getShape());
            assertEquals(DataType.FLOAT32, y.getDataType());
        }
        float[] x = epoch1.x();
        double mean = 0;
        double squares = 0;
        for (float v : x) {
            mean += v;
            squares += v * v;
        }
        mean /= x.length;
        assertEquals(0, mean, 1e-3);
        assertEquals(1, Math.sqrt(squares / x.length - mean * mean), 1e-3);

        // The test data comes in file order (labels 0..9 round-robin); validation data in the same order each pass.
        float[] testLabels = pass(s.test()).y();
        for (int i = 0; i < testLabels.length; i++) {
            assertEquals(i % 10, testLabels[i]);
        }
        assertArrayEquals(pass(s.validation()).x(), pass(s.validation()).x());
    }

    // ---- the real datasets, when scripts/fetch-data.sh has been run ----

    private static void assumeFetched(Path dir) {
        Assumptions.assumeTrue(Files.isDirectory(dir), dir + " is missing: scripts/fetch-data.sh has not been run");
    }

    @Test
    void mnistHas8000TrainingAnd2000TestDigits() throws Exception {
        assumeFetched(Datasets.dataRoot().resolve("mnist"));
        Datasets.Splits s = load(data("mnist", null, 4096, null, 0.25), MNIST_INPUT, 1);
        assertEquals(8000, s.trainSize() + s.validationSize());
        assertEquals(2000, s.validationSize());
        assertEquals(2000, s.testSize());
        int[] train = classCounts(labels(s.train()), 10);
        int[] validation = classCounts(labels(s.validation()), 10);
        for (int c = 0; c < 10; c++) {
            train[c] += validation[c];
        }
        // The npm package's classes hold 863 to 1,127 digits; the last 200 of each are the test data.
        assertArrayEquals(new int[] {801, 927, 791, 832, 780, 663, 814, 870, 744, 778}, train);
        int[] test = classCounts(labels(s.test()), 10);
        int[] twoHundred = new int[10];
        Arrays.fill(twoHundred, 200);
        assertArrayEquals(twoHundred, test);
    }

    @Test
    void fashionMnistHas60000TrainingAnd10000TestImages() throws Exception {
        Path own = Datasets.dataRoot().resolve("fashion-mnist");
        assumeFetched(Files.isDirectory(own) ? own : Datasets.DEBIAN_FASHION_MNIST);
        Datasets.Splits s = load(data("fashion-mnist", null, 10_000, null, null), SampleShape.of(784), 1);
        assertEquals(List.of(54_000, 6_000, 10_000), List.of(s.trainSize(), s.validationSize(), s.testSize()));
        int[] train = classCounts(labels(s.train()), 10);
        int[] validation = classCounts(labels(s.validation()), 10);
        int[] test = classCounts(labels(s.test()), 10);
        for (int c = 0; c < 10; c++) {
            assertEquals(6000, train[c] + validation[c], "class " + c);
            assertEquals(1000, test[c], "class " + c);
        }
    }
}

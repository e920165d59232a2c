package org.nas4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.RandomAccessDataset;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.nas4j.space.InputException;
import org.nas4j.spec.SampleShape;
import org.nas4j.spec.Spec;

/**
 * Loads the dataset of a spec into train, validation and test {@link ArrayDataset}s: images as float32 scaled to
 * [0, 1] and standardised with the training images' mean and standard deviation, labels as float32 class indices
 * of shape (N). Nothing is downloaded: {@code scripts/fetch-data.sh} puts the datasets in place.
 */
public final class Datasets {
    /** The command that puts mnist and fashion-mnist in place. */
    public static final String FETCH_COMMAND = "scripts/fetch-data.sh";
    /** Where the Debian package dataset-fashion-mnist installs its IDX files. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    /** Training samples of the synthetic dataset (before {@code limit}). */
    public static final int SYNTHETIC_TRAIN = 2048;
    /** Test samples of the synthetic dataset. */
    public static final int SYNTHETIC_TEST = 512;

    /** The base names of the four IDX files of a dataset, as MNIST names them. */
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** Noise of a synthetic sample around its class prototype (values in [0, 1]). */
    private static final double SYNTHETIC_NOISE = 0.3;
    /** The most values (samples x sample size) the synthetic dataset generates. */
    private static final long SYNTHETIC_MAX_VALUES = 256L << 20;

    private Datasets() {
    }

    /**
     * Train, validation and test data of one run; validation is carved from the training data.
     * {@code note} says what a user should know about how it was read (rows of a CSV table left
     * out as bad, a measured normalisation), or is null; {@code normalization} is what the
     * samples were standardised with (per channel, or per feature of a table, or one for all);
     * {@code augmentation}, when not null, changes each training batch's images.
     */
    public record Splits(RandomAccessDataset train, RandomAccessDataset validation, RandomAccessDataset test, int trainSize,
                         int validationSize, int testSize, String note, Normalization normalization, ShuffleSampler shuffle,
                         Augmentation augmentation) {
        /** Splits without augmentation; {@code shuffle} orders the training batches. */
        Splits(RandomAccessDataset train, RandomAccessDataset validation, RandomAccessDataset test, int trainSize,
               int validationSize, int testSize, String note, Normalization normalization, ShuffleSampler shuffle) {
            this(train, validation, test, trainSize, validationSize, testSize, note, normalization, shuffle, null);
        }

        /** The same splits, their training batches augmented. */
        Splits augmented(Augmentation a) {
            return new Splits(train, validation, test, trainSize, validationSize, testSize, note, normalization, shuffle, a);
        }

        /**
         * Starts the training batches' order (and their augmentation) over from {@code seed}: each
         * child of a search sees the batches its seed gives, whichever children trained before it
         * in this process, so a resumed search scores a child as the uninterrupted one did.
         */
        public void restart(long seed) {
            shuffle.restart(mix(seed, 5));
            if (augmentation != null) {
                augmentation.restart(mix(seed, 7));
            }
        }

        /** A training batch's images as training sees them: augmented when the spec asks. */
        public ai.djl.ndarray.NDList trainingInput(ai.djl.ndarray.NDList x) {
            return augmentation == null ? x : new ai.djl.ndarray.NDList(augmentation.apply(x.head()));
        }
    }

    /** The share of a CSV table's rows held out as its test data (the table is one file). */
    public static final double CSV_TEST_FRACTION = 0.2;

    /** The directory of nas4j's datasets: {@code -Dnas4j.data}, else the environment's NAS4J_DATA, else ./data. */
    public static Path dataRoot() {
        String dir = System.getProperty("nas4j.data");
        if (dir == null || dir.isBlank()) {
            dir = System.getenv("NAS4J_DATA");
        }
        return Path.of(dir == null || dir.isBlank() ? "data" : dir);
    }

    /**
     * Loads the dataset of {@code data} for a model with the given input shape and number of classes: mnist from
     * {@code dataRoot()/mnist}, fashion-mnist from {@code dataRoot()/fashion-mnist} when that directory exists, else
     * from the Debian package's {@link #DEBIAN_FASHION_MNIST}, idx from the directory {@code data.path()}.
     *
     * @param data              the spec's data section
     * @param input             the spec's input shape; 28x28 images fit [1, 28, 28], [28, 28] and [784]
     * @param classes           the number of classes the model tells apart
     * @param defaultValidation the fraction held out for validation when the spec does not say, in [0, 1); 0 holds
     *                          out nothing (the validation set is then empty)
     * @param seed              the seed of the synthetic data, the validation split and the epochs' shuffles
     * @param manager           the manager that owns the arrays
     * @return the three datasets, batched by {@code data.batchSize()}; only the training set is shuffled, in a new
     *         order each time it is iterated (each epoch), the same sequence of orders for the same seed
     * @throws InputException when the data is missing, damaged or does not fit the spec
     */
    public static Splits load(Spec.DataSpec data, SampleShape input, int classes, double defaultValidation, long seed,
                              NDManager manager) throws InputException {
        if (classes < 1) {
            throw new InputException("the model must tell apart at least 1 class, got " + classes);
        }
        if (data.batchSize() < 1) {
            throw new InputException("data.batch-size must be at least 1, got " + data.batchSize());
        }
        double fraction = data.validation() != null ? data.validation() : defaultValidation;
        if (!(fraction >= 0 && fraction < 1)) {
            throw new InputException("the validation fraction must be in [0, 1), got " + fraction);
        }
        locate(data);
        String name = data.dataset();
        if (name.equals("csv")) {
            if (data.normalize() != null || data.augment() != null) {
                throw new InputException("data." + (data.normalize() != null ? "normalize" : "augment") + " is for images; a CSV table's"
                        + " features are standardised each on its own");
            }
            return enoughForABatch(CsvSplits.load(data, input, classes, fraction, seed, manager), data);
        }
        if (data.augment() != null && input.rank() != 3) {
            throw new InputException("data.augment crops, flips and cuts out images of shape [C, H, W]; the spec's input is " + input);
        }
        Splits splits = enoughForABatch(name.equals("image-folder") ? ImageFolder.load(data, input, classes, fraction, seed, manager)
                : bytes(data, input, classes, fraction, seed, manager), data);
        return data.augment() == null ? splits : splits.augmented(new Augmentation(data.augment(), mix(seed, 7)));
    }

    /** Refuses a training split smaller than one batch: every step would see the same few samples, or none of a class. */
    private static Splits enoughForABatch(Splits splits, Spec.DataSpec data) throws InputException {
        if (splits.trainSize() < data.batchSize()) {
            throw new InputException(String.format(Locale.ROOT, "dataset %s: %,d training samples%s, fewer than one batch (data.batch-size %d);"
                    + " lower data.batch-size, or give it more data", data.dataset(), splits.trainSize(),
                    splits.validationSize() > 0 ? " after " + splits.validationSize() + " are held out for validation" : "", data.batchSize()));
        }
        return splits;
    }

    /** The datasets read into memory as bytes: IDX files, CIFAR-10, synthetic. */
    private static Splits bytes(Spec.DataSpec data, SampleShape input, int classes, double fraction, long seed, NDManager manager)
            throws InputException {
        String name = data.dataset();
        Source source = switch (name) {
            case "synthetic" -> synthetic(input, classes, data.limit(), seed);
            case "cifar10" -> cifar10(path(data));
            default -> idx(name, idxDir(data), !name.equals("idx"));
        };
        long[] sample = sampleShape(source, input);
        if (source.maxLabel >= classes) {
            throw new InputException("dataset " + name + " has labels 0 to " + source.maxLabel + " but the model tells"
                    + " apart " + classes + " class" + (classes == 1 ? "" : "es"));
        }
        return split(source, sample, data.limit(), fraction, data.batchSize(), seed, data.normalize(), manager);
    }

    /**
     * Checks, without reading them, that the spec's dataset is known and its files are where they
     * should be: a search checks this before it makes its run directory.
     *
     * @throws InputException naming the dataset and the missing file or folder
     */
    public static void locate(Spec.DataSpec data) throws InputException {
        String name = data.dataset();
        if (name == null) {
            throw new InputException("data needs a dataset: one of " + String.join(", ", Spec.DataSpec.DATASETS));
        }
        if (!Spec.DataSpec.DATASETS.contains(name)) {
            throw new InputException("unknown dataset '" + name + "': one of " + String.join(", ", Spec.DataSpec.DATASETS));
        }
        if (name.equals("cifar10")) {
            Cifar10Reader.locate(path(data));
        } else if (name.equals("image-folder")) {
            Path dir = path(data);
            if (!Files.isDirectory(dir)) {
                throw new InputException("dataset image-folder not found: " + dir + (Files.exists(dir) ? " is not a directory" : " does not exist"));
            }
        } else if (name.equals("csv")) {
            Path file = path(data);
            if (!Files.isRegularFile(file)) {
                throw new InputException("dataset csv not found: " + file + (Files.exists(file) ? " is not a file" : " does not exist"));
            }
        } else if (!name.equals("synthetic")) {
            Path dir = idxDir(data);
            boolean fetchable = !name.equals("idx");
            if (!Files.isDirectory(dir)) {
                throw new InputException("dataset " + name + " not found: " + dir
                        + (Files.exists(dir) ? " is not a directory" : " does not exist")
                        + (fetchable ? "; run " + FETCH_COMMAND + " to get it" : ""));
            }
            for (String file : List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)) {
                find(name, dir, file, fetchable);
            }
        }
    }

    /** The folder of an IDX dataset: ours under the data directory, Debian's Fashion-MNIST, or the spec's path. */
    private static Path idxDir(Spec.DataSpec data) throws InputException {
        switch (data.dataset()) {
            case "mnist":
                return dataRoot().resolve("mnist");
            case "fashion-mnist":
                Path own = dataRoot().resolve("fashion-mnist");
                return Files.isDirectory(own) ? own : DEBIAN_FASHION_MNIST;
            default:
                return path(data);
        }
    }

    /** The spec's data.path, for the datasets read from it. */
    static Path path(Spec.DataSpec data) throws InputException {
        if (data.path() == null || data.path().isBlank()) {
            throw new InputException("dataset " + data.dataset() + " needs a path (data.path)");
        }
        try {
            return Path.of(data.path());
        } catch (java.nio.file.InvalidPathException e) {
            throw new InputException("dataset " + data.dataset() + ": '" + data.path() + "' is not a usable path: " + e.getReason());
        }
    }

    /** CIFAR-10's binary files: 32x32 RGB images, already [3, 32, 32]. */
    private static Source cifar10(Path path) throws InputException {
        Path dir = Cifar10Reader.locate(path);
        Cifar10Reader.Part train = Cifar10Reader.train(dir);
        Cifar10Reader.Part test = Cifar10Reader.test(dir);
        return new Source("cifar10", List.of(3, 32, 32), Cifar10Reader.IMAGE_BYTES, train.images(), train.labels(), test.images(),
                test.labels(), Math.max(max(train.labels()), max(test.labels())));
    }

    /** A dataset in memory: unsigned-byte samples of {@code sampleSize} values, one after another. */
    private record Source(String name, List<Integer> dims, int sampleSize, byte[] trainX, int[] trainY,
                          byte[] testX, int[] testY, int maxLabel) {
        int trainCount() {
            return trainY.length;
        }
    }

    // ---- IDX datasets ----

    private static Source idx(String name, Path dir, boolean fetchable) throws InputException {
        Path trainImages = find(name, dir, TRAIN_IMAGES, fetchable);
        Path trainLabels = find(name, dir, TRAIN_LABELS, fetchable);
        Path testImages = find(name, dir, TEST_IMAGES, fetchable);
        Path testLabels = find(name, dir, TEST_LABELS, fetchable);
        IdxReader.Images trainX = IdxReader.readImages(trainImages);
        IdxReader.Labels trainY = IdxReader.readLabels(trainLabels);
        IdxReader.checkSameCount(trainX, trainY);
        IdxReader.Images testX = IdxReader.readImages(testImages);
        IdxReader.Labels testY = IdxReader.readLabels(testLabels);
        IdxReader.checkSameCount(testX, testY);
        if (testX.rows() != trainX.rows() || testX.cols() != trainX.cols()) {
            throw new InputException(String.format(Locale.ROOT, "%s has images of %dx%d but %s has images of %dx%d;"
                            + " they must be the same size", trainImages, trainX.rows(), trainX.cols(), testImages,
                    testX.rows(), testX.cols()));
        }
        return new Source(name, List.of(trainX.rows(), trainX.cols()), trainX.rows() * trainX.cols(),
                trainX.pixels(), unsigned(trainY.labels()), testX.pixels(), unsigned(testY.labels()),
                Math.max(trainY.max(), testY.max()));
    }

    static int max(int[] values) {
        int max = 0;
        for (int v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    /** The file of a dataset: the MNIST name, or with .gz, or with a dot before idx (train-images.idx3-ubyte). */
    private static Path find(String name, Path dir, String base, boolean fetchable) throws InputException {
        String dotted = base.replace("-idx", ".idx");
        for (String candidate : List.of(base, base + ".gz", dotted, dotted + ".gz")) {
            Path file = dir.resolve(candidate);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new InputException("dataset " + name + " not found: " + dir.resolve(base) + " (or .gz) is missing"
                + (fetchable ? "; run " + FETCH_COMMAND + " to get it" : ""));
    }

    private static int[] unsigned(byte[] bytes) {
        int[] out = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] & 0xff;
        }
        return out;
    }

    /** The shape of one sample: the spec's input when it holds the dataset's images, else a InputException. */
    private static long[] sampleShape(Source source, SampleShape input) throws InputException {
        List<Integer> want = input.dims();
        List<Integer> dims = source.dims;
        boolean fits = want.equals(dims);
        if (!fits && dims.size() == 2) {
            fits = want.equals(List.of(1, dims.get(0), dims.get(1))) || want.equals(List.of(source.sampleSize));
        }
        if (!fits) {
            String has = dims.size() == 2
                    ? String.format(Locale.ROOT, "[1, %d, %d] (%dx%d grey images, also taken as %s or [%d])",
                            dims.get(0), dims.get(1), dims.get(0), dims.get(1), dims, source.sampleSize)
                    : dims.toString();
            throw new InputException("dataset " + source.name + " has samples of shape " + has + " but the spec's"
                    + " input is " + input);
        }
        return want.stream().mapToLong(Integer::longValue).toArray();
    }

    // ---- synthetic ----

    /**
     * Samples around one fixed random prototype per class: prototype values uniform in [0, 1], plus gaussian noise,
     * clipped to [0, 1] and stored as bytes like an image. Labels go round-robin over the classes.
     */
    private static Source synthetic(SampleShape input, int classes, Integer limit, long seed) throws InputException {
        for (int d : input.dims()) {
            if (d < 1) {
                throw new InputException("dataset synthetic cannot make samples of shape " + input);
            }
        }
        int train = limit == null ? SYNTHETIC_TRAIN : Math.min(limit, SYNTHETIC_TRAIN);
        long size = input.size();
        if (input.rank() == 0 || size > SYNTHETIC_MAX_VALUES / (SYNTHETIC_TRAIN + SYNTHETIC_TEST)) {
            throw new InputException("dataset synthetic cannot make samples of shape " + input + ": "
                    + (input.rank() == 0 ? "no dimensions" : "too large for memory"));
        }
        int n = (int) size;
        if ((long) classes * n > SYNTHETIC_MAX_VALUES / 4) {
            throw new InputException("dataset synthetic cannot make " + classes + " classes of shape " + input
                    + ": too large for memory");
        }
        Random protoRandom = new Random(mix(seed, 1));
        float[] proto = new float[classes * n];
        for (int i = 0; i < proto.length; i++) {
            proto[i] = protoRandom.nextFloat();
        }
        byte[] trainX = new byte[train * n];
        int[] trainY = new int[train];
        fill(trainX, trainY, proto, n, classes, new Random(mix(seed, 2)));
        byte[] testX = new byte[SYNTHETIC_TEST * n];
        int[] testY = new int[SYNTHETIC_TEST];
        fill(testX, testY, proto, n, classes, new Random(mix(seed, 3)));
        return new Source("synthetic", input.dims(), n, trainX, trainY, testX, testY,
                Math.max(max(trainY), max(testY)));
    }

    private static void fill(byte[] x, int[] y, float[] proto, int n, int classes, Random random) {
        for (int s = 0; s < y.length; s++) {
            int label = s % classes;
            y[s] = label;
            for (int i = 0; i < n; i++) {
                double v = proto[label * n + i] + SYNTHETIC_NOISE * random.nextGaussian();
                x[s * n + i] = (byte) Math.round(Math.min(1, Math.max(0, v)) * 255);
            }
        }
    }

    /** The seed of one child of a search: its batches' order and augmentation start from it. */
    public static long childSeed(long seed, long child) {
        return mix(seed, 1_000 + child);
    }

    /** SplitMix64 of the seed and a stream number: independent, reproducible seeds for each use. */
    static long mix(long seed, long stream) {
        long z = seed + stream * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---- split, normalise, batch ----

    private static Splits split(Source source, long[] sample, Integer limit, double fraction, int batchSize, long seed,
                                Spec.NormalizeSpec normalize, NDManager manager) throws InputException {
        int count = limit == null ? source.trainCount() : Math.min(limit, source.trainCount());
        if (fraction > 0 && count < 2) {
            throw new InputException("dataset " + source.name + ": " + count + " training sample" + (count == 1 ? "" : "s")
                    + " cannot be split into training and validation data; raise data.limit");
        }
        int[][] parts = holdOut(count, fraction, mix(seed, 4));
        int[] trainRows = parts[0];
        int[] validationRows = parts[1];

        int n = source.sampleSize;
        ByteBuffer trainX = gather(source.trainX, n, trainRows);
        ByteBuffer validationX = gather(source.trainX, n, validationRows);
        ByteBuffer testX = ByteBuffer.allocateDirect(source.testX.length).put(source.testX).flip();
        int channels = sample.length == 3 ? (int) sample[0] : 1;
        Normalization norm = channelStats(trainX, n, channels).resolve(normalize, source.name);

        ShuffleSampler shuffle = new ShuffleSampler(mix(seed, 5));
        ArrayDataset train = new ArrayDataset.Builder()
                .setData(images(manager, trainX, trainRows.length, sample, norm))
                .optLabels(labels(manager, source.trainY, trainRows))
                .setSampling(new BatchSampler(shuffle, batchSize, false))
                .build();
        ArrayDataset val = new ArrayDataset.Builder()
                .setData(images(manager, validationX, validationRows.length, sample, norm))
                .optLabels(labels(manager, source.trainY, validationRows))
                .setSampling(batchSize, false)
                .build();
        int testCount = source.testY.length;
        int[] all = new int[testCount];
        for (int i = 0; i < testCount; i++) {
            all[i] = i;
        }
        ArrayDataset test = new ArrayDataset.Builder()
                .setData(images(manager, testX, testCount, sample, norm))
                .optLabels(labels(manager, source.testY, all))
                .setSampling(batchSize, false)
                .build();
        return new Splits(train, val, test, trainRows.length, validationRows.length, testCount,
                normalize != null && normalize.auto() ? "normalize auto: " + norm.describe() : null, norm, shuffle);
    }

    /**
     * Rows 0 to count - 1 in two parts, the second a seeded {@code fraction} of them (at least one
     * row on each side when fraction is above 0); both parts keep the rows' order.
     */
    static int[][] holdOut(int count, double fraction, long seed) {
        int held = fraction == 0 ? 0 : (int) Math.min(count - 1, Math.max(1, Math.round(count * fraction)));
        // A seeded Fisher-Yates shuffle picks the held-out rows.
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] heldRows = Arrays.copyOfRange(order, 0, held);
        int[] rest = Arrays.copyOfRange(order, held, count);
        Arrays.sort(heldRows);
        Arrays.sort(rest);
        return new int[][] {rest, heldRows};
    }

    private static ByteBuffer gather(byte[] samples, int n, int[] rows) {
        ByteBuffer out = ByteBuffer.allocateDirect(rows.length * n);
        for (int row : rows) {
            out.put(samples, row * n, n);
        }
        return out.flip();
    }

    /** Per channel (planes of a sample, one after another), the sums of unsigned bytes scaled to [0, 1]. */
    private static Normalization.Stats channelStats(ByteBuffer bytes, int sampleSize, int channels) {
        int plane = sampleSize / channels;
        long[] sum = new long[channels];
        long[] squares = new long[channels];
        for (int start = 0; start < bytes.limit(); start += sampleSize) {
            for (int c = 0; c < channels; c++) {
                for (int i = start + c * plane, end = i + plane; i < end; i++) {
                    int v = bytes.get(i) & 0xff;
                    sum[c] += v;
                    squares[c] += v * v;
                }
            }
        }
        Normalization.Stats stats = new Normalization.Stats(channels);
        long perChannel = (long) bytes.limit() / channels;
        for (int c = 0; c < channels; c++) {
            stats.add(c, sum[c] / 255.0, squares[c] / (255.0 * 255.0), perChannel);
        }
        return stats;
    }

    /** Unsigned bytes to float32 (x / 255 - mean[c]) / std[c], shaped (count, sample...). */
    private static NDArray images(NDManager manager, ByteBuffer bytes, int count, long[] sample, Normalization norm) {
        long[] shape = new long[sample.length + 1];
        shape[0] = count;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        NDArray floats;
        try (NDArray raw = manager.create(bytes, new ai.djl.ndarray.types.Shape(shape), DataType.UINT8)) {
            floats = raw.toType(DataType.FLOAT32, false);
        } finally {
            Reference.reachabilityFence(bytes);
        }
        if (norm.mean().length == 1) {
            return floats.muli(1 / (255 * norm.std(0))).subi(norm.mean(0) / norm.std(0));
        }
        int c = norm.mean().length;
        try (NDArray mean = manager.create(norm.mean(), new ai.djl.ndarray.types.Shape(1, c, 1, 1));
             NDArray std = manager.create(norm.std(), new ai.djl.ndarray.types.Shape(1, c, 1, 1))) {
            return floats.muli(1f / 255).subi(mean).divi(std);
        }
    }

    private static NDArray labels(NDManager manager, int[] labels, int[] rows) {
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = labels[rows[i]];
        }
        return manager.create(out);
    }
}

package org.nas4j.train;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
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
 * Loads the dataset of a spec into train, validation and test datasets (in-memory bytes: {@link ByteImages}; CSV
 * tables: {@link CsvSplits}; image folders: {@link ImageFolder}): samples as float32, standardised
 * ({@link Normalization}), labels as float32 class indices of shape (N). Nothing is downloaded:
 * {@code scripts/fetch-data.sh} puts the datasets in place.
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

        /**
         * Moves the batch order on by {@code epochs} epochs, as a run continued after that many
         * finds it (after {@link #restart}); augmentation goes on from its restart, so its draws
         * differ from those of the run that was not interrupted.
         */
        public void advance(int epochs) {
            shuffle.skip(epochs, Math.toIntExact(train.size()));
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
        boolean plugin = PluginData.has(name);
        if (plugin && data.normalize() != null) {
            throw new InputException("data.normalize is for nas4j's own image datasets; dataset " + name + " comes from a plug-in,"
                    + " which gives its samples as they are to be used");
        }
        Splits splits = enoughForABatch(plugin ? PluginData.load(data, input, classes, fraction, seed, manager)
                : name.equals("image-folder") ? ImageFolder.load(data, input, classes, fraction, seed, manager)
                : ByteImages.load(data, input, classes, fraction, seed, manager), data);
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
        if (PluginData.has(name)) {
            return;
        }
        if (!Spec.DataSpec.DATASETS.contains(name)) {
            throw new InputException("unknown dataset '" + name + "': one of " + String.join(", ", Spec.DataSpec.DATASETS)
                    + " (or a kind a plug-in adds: --plugin JAR or NAS4J_PLUGINS)");
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
            Path dir = source(data);
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

    /**
     * The file or folder the spec's dataset is read from (after {@link #locate}): a built-in
     * dataset's folder under the data directory (or Debian's Fashion-MNIST), else the spec's
     * data.path; null when it reads none (synthetic data, a plug-in's dataset).
     */
    public static Path source(Spec.DataSpec data) throws InputException {
        if (data.dataset().equals("synthetic") || PluginData.has(data.dataset())) {
            return null;
        }
        return BUILT_IN.contains(data.dataset()) ? builtInDir(data.dataset()) : path(data);
    }

    /** The data section that reads the same data from {@code copy}, a copy of {@link #source}: a built-in dataset's copy is read as IDX files. */
    public static Spec.DataSpec readFrom(Spec.DataSpec data, Path copy) {
        return data.withSource(BUILT_IN.contains(data.dataset()) ? "idx" : data.dataset(), copy.toString());
    }

    /** The datasets nas4j finds by name, without a data.path. */
    static final List<String> BUILT_IN = List.of("mnist", "fashion-mnist");

    /** Where a built-in dataset is read from: under {@link #dataRoot()}; Fashion-MNIST else from Debian's package. */
    static Path builtInDir(String name) {
        Path own = dataRoot().resolve(name);
        return name.equals("fashion-mnist") && !Files.isDirectory(own) ? DEBIAN_FASHION_MNIST : own;
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

    /** The file of a dataset: the MNIST name, or with .gz, or with a dot before idx (train-images.idx3-ubyte). */
    static Path find(String name, Path dir, String base, boolean fetchable) throws InputException {
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
}

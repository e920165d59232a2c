package org.nas4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.BatchSampler;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.nas4j.space.InputException;
import org.nas4j.spec.SampleShape;
import org.nas4j.spec.Spec;

/**
 * The datasets held in memory as unsigned bytes (IDX files, CIFAR-10, synthetic samples): read,
 * checked against the spec's input and classes, split, standardised and batched as float32.
 */
final class ByteImages {
    /** Noise of a synthetic sample around its class prototype (values in [0, 1]). */
    private static final double SYNTHETIC_NOISE = 0.3;
    /** The most values (samples x sample size) the synthetic dataset generates. */
    private static final long SYNTHETIC_MAX_VALUES = 256L << 20;

    private ByteImages() {
    }

    /** The datasets read into memory as bytes: IDX files, CIFAR-10, synthetic. */
    static Datasets.Splits load(Spec.DataSpec data, SampleShape input, int classes, double fraction, long seed, NDManager manager)
            throws InputException {
        String name = data.dataset();
        Source source = switch (name) {
            case "synthetic" -> synthetic(input, classes, data.limit(), seed);
            case "cifar10" -> cifar10(Datasets.path(data));
            default -> idx(name, Datasets.source(data), !name.equals("idx"));
        };
        long[] sample = sampleShape(source, input);
        if (source.maxLabel >= classes) {
            throw new InputException("dataset " + name + " has labels 0 to " + source.maxLabel + " but the model tells"
                    + " apart " + classes + " class" + (classes == 1 ? "" : "es"));
        }
        return split(source, sample, data.limit(), fraction, data.batchSize(), seed, data.normalize(), manager);
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
        Path trainImages = Datasets.find(name, dir, Datasets.TRAIN_IMAGES, fetchable);
        Path trainLabels = Datasets.find(name, dir, Datasets.TRAIN_LABELS, fetchable);
        Path testImages = Datasets.find(name, dir, Datasets.TEST_IMAGES, fetchable);
        Path testLabels = Datasets.find(name, dir, Datasets.TEST_LABELS, fetchable);
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
        int train = limit == null ? Datasets.SYNTHETIC_TRAIN : Math.min(limit, Datasets.SYNTHETIC_TRAIN);
        long size = input.size();
        if (input.rank() == 0 || size > SYNTHETIC_MAX_VALUES / (Datasets.SYNTHETIC_TRAIN + Datasets.SYNTHETIC_TEST)) {
            throw new InputException("dataset synthetic cannot make samples of shape " + input + ": "
                    + (input.rank() == 0 ? "no dimensions" : "too large for memory"));
        }
        int n = (int) size;
        if ((long) classes * n > SYNTHETIC_MAX_VALUES / 4) {
            throw new InputException("dataset synthetic cannot make " + classes + " classes of shape " + input
                    + ": too large for memory");
        }
        Random protoRandom = new Random(Datasets.mix(seed, 1));
        float[] proto = new float[classes * n];
        for (int i = 0; i < proto.length; i++) {
            proto[i] = protoRandom.nextFloat();
        }
        byte[] trainX = new byte[train * n];
        int[] trainY = new int[train];
        fill(trainX, trainY, proto, n, classes, new Random(Datasets.mix(seed, 2)));
        byte[] testX = new byte[Datasets.SYNTHETIC_TEST * n];
        int[] testY = new int[Datasets.SYNTHETIC_TEST];
        fill(testX, testY, proto, n, classes, new Random(Datasets.mix(seed, 3)));
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

    // ---- split, normalise, batch ----

    private static Datasets.Splits split(Source source, long[] sample, Integer limit, double fraction, int batchSize, long seed,
                                Spec.NormalizeSpec normalize, NDManager manager) throws InputException {
        int count = limit == null ? source.trainCount() : Math.min(limit, source.trainCount());
        if (fraction > 0 && count < 2) {
            throw new InputException("dataset " + source.name + ": " + count + " training sample" + (count == 1 ? "" : "s")
                    + " cannot be split into training and validation data; raise data.limit");
        }
        int[][] parts = Datasets.holdOut(count, fraction, Datasets.mix(seed, 4));
        int[] trainRows = parts[0];
        int[] validationRows = parts[1];

        int n = source.sampleSize;
        ByteBuffer trainX = gather(source.trainX, n, trainRows);
        ByteBuffer validationX = gather(source.trainX, n, validationRows);
        ByteBuffer testX = ByteBuffer.allocateDirect(source.testX.length).put(source.testX).flip();
        int channels = sample.length == 3 ? (int) sample[0] : 1;
        Normalization norm = channelStats(trainX, n, channels).resolve(normalize, source.name);

        ShuffleSampler shuffle = new ShuffleSampler(Datasets.mix(seed, 5));
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
        return new Datasets.Splits(train, val, test, trainRows.length, validationRows.length, testCount,
                normalize != null && normalize.auto() ? "normalize auto: " + norm.describe() : null, norm, shuffle);
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

package org.nas4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.BatchSampler;
import java.util.List;
import java.util.Locale;
import org.nas4j.space.InputException;
import org.nas4j.spec.SampleShape;
import org.nas4j.spec.Spec;

/**
 * A CSV table as train, validation and test data: a seeded {@link Datasets#CSV_TEST_FRACTION}
 * of the rows is the test data, the validation data is carved from the rest as for images, and
 * every feature is standardised with the mean and standard deviation of the training rows only.
 */
final class CsvSplits {
    private CsvSplits() {
    }

    /** See {@link Datasets#load}. */
    static Datasets.Splits load(Spec.DataSpec data, SampleShape input, int classes, double fraction, long seed, NDManager manager)
            throws InputException {
        CsvTable table = CsvTable.read(Datasets.path(data), data.label(), data.features(), "skip".equals(data.onBadRow()));
        int f = table.features().size();
        if (!input.dims().equals(List.of(f))) {
            throw new InputException("dataset csv: " + table.file() + " has " + f + " feature" + (f == 1 ? "" : "s") + " ("
                    + String.join(", ", table.features()) + ") but the spec's input is " + input + "; make it [" + f + "]"
                    + (data.features().isEmpty() ? " or list the columns in data.features" : ""));
        }
        if (table.classes().size() > classes) {
            throw new InputException("dataset csv: column '" + data.label() + "' of " + table.file() + " has " + table.classes().size()
                    + " distinct values (" + preview(table.classes()) + ") but the model tells apart " + classes + " class"
                    + (classes == 1 ? "" : "es"));
        }
        if (table.rows() < 2) {
            throw new InputException("dataset csv: " + table.file() + " has 1 usable row; training and test data need at least 2");
        }
        int[][] testSplit = Datasets.holdOut(table.rows(), Datasets.CSV_TEST_FRACTION, Datasets.mix(seed, 6));
        int[] rest = testSplit[0];
        if (data.limit() != null && data.limit() < rest.length) {
            rest = java.util.Arrays.copyOf(rest, data.limit());
        }
        if (fraction > 0 && rest.length < 2) {
            throw new InputException("dataset csv: " + rest.length + " training row cannot be split into training and validation data");
        }
        int[][] validationSplit = Datasets.holdOut(rest.length, fraction, Datasets.mix(seed, 4));
        int[] trainRows = pick(rest, validationSplit[0]);
        int[] validationRows = pick(rest, validationSplit[1]);
        float[][] stats = meanAndStd(table, trainRows);
        ShuffleSampler shuffle = new ShuffleSampler(Datasets.mix(seed, 5));
        ArrayDataset train = new ArrayDataset.Builder().setData(features(manager, table, trainRows, stats))
                .optLabels(labels(manager, table, trainRows))
                .setSampling(new BatchSampler(shuffle, data.batchSize(), false)).build();
        ArrayDataset validation = new ArrayDataset.Builder().setData(features(manager, table, validationRows, stats))
                .optLabels(labels(manager, table, validationRows)).setSampling(data.batchSize(), false).build();
        ArrayDataset test = new ArrayDataset.Builder().setData(features(manager, table, testSplit[1], stats))
                .optLabels(labels(manager, table, testSplit[1])).setSampling(data.batchSize(), false).build();
        String note = table.skipped() == 0 ? null : String.format(Locale.ROOT, "%,d bad row%s of %s left out (data.on-bad-row: skip); the first: %s",
                table.skipped(), table.skipped() == 1 ? "" : "s", table.file(), table.firstBad());
        return new Datasets.Splits(train, validation, test, trainRows.length, validationRows.length, testSplit[1].length, note,
                new Normalization(stats[0], stats[1]), shuffle);
    }

    private static int[] pick(int[] rows, int[] positions) {
        int[] out = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            out[i] = rows[positions[i]];
        }
        return out;
    }

    /** Per feature, the mean and the standard deviation (1 where a feature is constant) over {@code rows}. */
    private static float[][] meanAndStd(CsvTable table, int[] rows) {
        int f = table.features().size();
        double[] sum = new double[f];
        double[] squares = new double[f];
        for (int r : rows) {
            for (int k = 0; k < f; k++) {
                double v = table.x()[r * f + k];
                sum[k] += v;
                squares[k] += v * v;
            }
        }
        float[][] stats = new float[2][f];
        for (int k = 0; k < f; k++) {
            double mean = sum[k] / Math.max(1, rows.length);
            double std = Math.sqrt(Math.max(0, squares[k] / Math.max(1, rows.length) - mean * mean));
            stats[0][k] = (float) mean;
            stats[1][k] = std > 1e-6 ? (float) std : 1f;
        }
        return stats;
    }

    private static NDArray features(NDManager manager, CsvTable table, int[] rows, float[][] stats) {
        int f = table.features().size();
        float[] out = new float[rows.length * f];
        for (int i = 0; i < rows.length; i++) {
            for (int k = 0; k < f; k++) {
                out[i * f + k] = (table.x()[rows[i] * f + k] - stats[0][k]) / stats[1][k];
            }
        }
        return manager.create(out, new Shape(rows.length, f));
    }

    private static NDArray labels(NDManager manager, CsvTable table, int[] rows) {
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = table.y()[rows[i]];
        }
        return manager.create(out);
    }

    private static String preview(List<String> values) {
        return values.size() <= 8 ? String.join(", ", values) : String.join(", ", values.subList(0, 8)) + ", ...";
    }
}

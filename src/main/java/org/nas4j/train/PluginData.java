package org.nas4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nas4j.space.InputException;
import org.nas4j.spec.SampleShape;
import org.nas4j.spec.Spec;

/**
 * The datasets of plug-ins: each kind's {@link DatasetPlugin}, and its samples made into nas4j's
 * splits (limit, seeded validation split, batches, shuffle) by index, without copying them.
 */
public final class PluginData {
    private static final Map<String, DatasetPlugin> KINDS = new TreeMap<>();

    private PluginData() {
    }

    /** Makes a plug-in's dataset kind available to {@link Datasets#load}. */
    public static synchronized void register(DatasetPlugin plugin) {
        KINDS.put(plugin.kind(), plugin);
    }

    /** Whether a plug-in provides {@code kind}. */
    static synchronized boolean has(String kind) {
        return KINDS.containsKey(kind);
    }

    /** See {@link Datasets#load}. */
    static Datasets.Splits load(Spec.DataSpec data, SampleShape input, int classes, double fraction, long seed, NDManager manager)
            throws InputException {
        DatasetPlugin plugin;
        synchronized (PluginData.class) {
            plugin = KINDS.get(data.dataset());
        }
        String who = "dataset " + data.dataset() + " (plug-in " + plugin.getClass().getName() + ")";
        DatasetPlugin.Samples samples;
        try {
            samples = plugin.load(new DatasetPlugin.Request(data.path(), data.options(), input.dims(), classes, seed, manager));
            samples.train().prepare();
            samples.test().prepare();
        } catch (Exception e) {
            throw new InputException(who + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        }
        int size = Math.toIntExact(samples.train().size());
        int rest = data.limit() != null ? Math.min(size, data.limit()) : size;
        int tests = Math.toIntExact(samples.test().size());
        if (rest < 1 || tests < 1) {
            throw new InputException(who + " gave " + rest + " training and " + tests + " test samples; it needs at least one of each");
        }
        try {
            check(who + ", training sample 0", samples.train().get(manager, 0), input, classes);
            check(who + ", test sample 0", samples.test().get(manager, 0), input, classes);
        } catch (IOException | RuntimeException e) {
            throw new InputException(e instanceof IllegalArgumentException ? e.getMessage() : who + ": " + e);
        }
        int[][] v = Datasets.holdOut(rest, fraction, Datasets.mix(seed, 4));
        ShuffleSampler shuffle = new ShuffleSampler(Datasets.mix(seed, 5));
        View train = new View.Builder(who, samples.train(), v[0], input, classes).setSampling(new BatchSampler(shuffle, data.batchSize(), false))
                .build();
        View validation = new View.Builder(who, samples.train(), v[1], input, classes).setSampling(data.batchSize(), false).build();
        int[] all = new int[tests];
        Arrays.setAll(all, i -> i);
        View test = new View.Builder(who, samples.test(), all, input, classes).setSampling(data.batchSize(), false).build();
        return new Datasets.Splits(train, validation, test, v[0].length, v[1].length, tests, null, null, shuffle);
    }

    /** Refuses a sample whose input is not of the spec's shape or whose label is not a class of the model. */
    private static Record check(String where, Record r, SampleShape input, int classes) {
        NDArray x = r.getData().isEmpty() ? null : r.getData().head();
        long[] want = input.dims().stream().mapToLong(Integer::longValue).toArray();
        if (x == null || !Arrays.equals(x.getShape().getShape(), want)) {
            throw new IllegalArgumentException(where + ": its input has shape " + (x == null ? "(none)" : x.getShape())
                    + ", the spec's input is " + input);
        }
        NDList labels = r.getLabels();
        double label = labels.isEmpty() || labels.head().size() != 1 ? Double.NaN : labels.head().toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                .getDouble();
        if (!(label >= 0 && label < classes && label == Math.rint(label))) {
            throw new IllegalArgumentException(where + ": its label is " + (labels.isEmpty() ? "missing" : labels.head().toDebugString(false))
                    + ", not a class of the model (0 to " + (classes - 1) + ")");
        }
        return r;
    }

    /** Some samples of a plug-in's dataset, by index, each checked as it is read. */
    private static final class View extends RandomAccessDataset {
        private final String who;
        private final RandomAccessDataset source;
        private final int[] rows;
        private final SampleShape input;
        private final int classes;

        private View(Builder b) {
            super(b);
            this.who = b.who;
            this.source = b.source;
            this.rows = b.rows;
            this.input = b.input;
            this.classes = b.classes;
        }

        @Override
        public Record get(NDManager manager, long index) throws IOException {
            int row = rows[Math.toIntExact(index)];
            return check(who + ", sample " + row, source.get(manager, row), input, classes);
        }

        @Override
        protected long availableSize() {
            return rows.length;
        }

        @Override
        public void prepare(Progress progress) {
            // The plug-in's datasets were prepared when they were loaded.
        }

        private static final class Builder extends BaseBuilder<Builder> {
            private final String who;
            private final RandomAccessDataset source;
            private final int[] rows;
            private final SampleShape input;
            private final int classes;

            Builder(String who, RandomAccessDataset source, int[] rows, SampleShape input, int classes) {
                this.who = who;
                this.source = source;
                this.rows = rows;
                this.input = input;
                this.classes = classes;
            }

            @Override
            protected Builder self() {
                return this;
            }

            View build() {
                return new View(this);
            }
        }
    }
}

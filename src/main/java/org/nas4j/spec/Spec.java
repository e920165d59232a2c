package org.nas4j.spec;

import java.util.List;

/**
 * A parsed spec: the model's nodes with their positions, and how to train and search it.
 *
 * @param file     the file it was read from, as given by the user
 * @param name     the spec's name
 * @param input    the shape of one input sample
 * @param model    the nodes, in order
 */
public record Spec(String file, String name, SampleShape input, DataSpec data, TrainingSpec training, SearchSpec search,
                   List<Node> model) {

    /**
     * How image values in [0, 1] are standardised, per channel: {@code (x - mean[c]) / std[c]}
     * with the given values, or with each channel's own measured on the training split
     * ({@code auto}: mean and std are then empty).
     */
    public record NormalizeSpec(boolean auto, List<Double> mean, List<Double> std) {
    }

    /**
     * Training-image augmentation: a random crop of the image padded by {@code cropPadding} (0:
     * none), a random horizontal flip, a cutout square of {@code cutout} pixels (0: none).
     */
    public record AugmentSpec(int cropPadding, boolean flip, int cutout) {
    }

    /**
     * Where the data comes from and how it is batched; a CSV table also names its label column,
     * its feature columns (empty: every other column that holds numbers) and what a bad row does
     * ("error" or "skip"); a folder of images may be resized to [height, width] (empty: not).
     * Images may be standardised per channel ({@code normalize}; null: one mean and standard
     * deviation over all values of the training split) and training images augmented (null: not).
     */
    public record DataSpec(String dataset, String path, int batchSize, Integer limit, Double validation, String label,
                           List<String> features, String onBadRow, List<Integer> resize, NormalizeSpec normalize,
                           AugmentSpec augment, java.util.Map<String, String> options) {
        /** The datasets nas4j knows (plug-ins add more: {@link Extensions}). */
        public static final List<String> DATASETS = List.of("mnist", "fashion-mnist", "idx", "cifar10", "csv", "image-folder", "synthetic");
        /** The datasets read from the spec's path. */
        public static final List<String> WITH_PATH = List.of("idx", "cifar10", "csv", "image-folder");
        /** What a CSV row that cannot be read does. */
        public static final List<String> ON_BAD_ROW = List.of("error", "skip");

        /** A data section of a dataset that needs no more than a path. */
        public DataSpec(String dataset, String path, int batchSize, Integer limit, Double validation) {
            this(dataset, path, batchSize, limit, validation, null, List.of(), "error", List.of(), null, null, java.util.Map.of());
        }

        /** Copies the plug-in's fields. */
        public DataSpec {
            options = java.util.Map.copyOf(options);
        }

        /** Whether a plug-in provides this dataset kind (its fields are in {@link #options}). */
        public boolean fromPlugin() {
            return dataset != null && !DATASETS.contains(dataset);
        }

        /** The same data with another limit on the training samples (null: none). */
        public DataSpec withLimit(Integer newLimit) {
            return new DataSpec(dataset, path, batchSize, newLimit, validation, label, features, onBadRow, resize, normalize, augment, options);
        }

        /** The same data with another validation fraction (null: the caller's default). */
        public DataSpec withValidation(Double newValidation) {
            return new DataSpec(dataset, path, batchSize, limit, newValidation, label, features, onBadRow, resize, normalize, augment, options);
        }

        /** The same data read as dataset kind {@code newDataset} from {@code newPath} (a copy of it elsewhere). */
        public DataSpec withSource(String newDataset, String newPath) {
            return new DataSpec(newDataset, newPath, batchSize, limit, validation, label, features, onBadRow, resize, normalize, augment, options);
        }
    }

    /** The same spec with another data section. */
    public Spec withData(DataSpec newData) {
        return new Spec(file, name, input, newData, training, search, model);
    }

    /**
     * How a child is trained.
     *
     * @param loss     the loss: {@code cross-entropy} (softmax cross-entropy over class indices)
     * @param gradClip the largest L2 norm of all gradients together, or null for no clipping
     * @param device   where children and supernets train ({@code cpu}, {@code gpu}, {@code gpu:N}), or null for cpu
     */
    public record TrainingSpec(int epochs, OptimizerSpec optimizer, String loss, ScheduleSpec schedule, Double gradClip, String device) {
        /** The losses nas4j knows. */
        public static final List<String> LOSSES = List.of("cross-entropy");
        /** How a device is named: cpu, gpu (the first) or gpu:N. */
        public static final java.util.regex.Pattern DEVICE = java.util.regex.Pattern.compile("cpu|gpu(:\\d{1,3})?");

        /** One epoch of Adam at 0.001, nothing else: what a spec without {@code training} gets. */
        public static TrainingSpec defaults() {
            return new TrainingSpec(1, new OptimizerSpec("adam", 0.001, null, null, null), "cross-entropy",
                    new ScheduleSpec("constant", 0, 1, 0.1), null, null);
        }
    }

    /**
     * How the learning rate changes: {@code constant}, {@code cosine} (from lr to {@code minLr} over
     * the run) or {@code step} (times {@code gamma} every {@code stepEpochs} epochs).
     */
    public record ScheduleSpec(String type, double minLr, int stepEpochs, double gamma) {
        /** The schedules nas4j knows. */
        public static final List<String> TYPES = List.of("constant", "cosine", "step");
    }

    /** An optimizer and its settings; null fields take the optimizer's defaults. */
    public record OptimizerSpec(String type, double lr, Double momentum, Boolean nesterov, Double weightDecay) {
        /** The optimizers nas4j knows. */
        public static final List<String> TYPES = List.of("sgd", "adam", "adamw");
    }

    /**
     * Defaults for {@code nas search}; null fields are left to the command line or the strategy.
     *
     * @param options strategy options, as text, checked by the strategy
     */
    public record SearchSpec(String strategy, Integer trials, Integer epochs, Integer trialEpochs, Integer trialLimit,
                             Long maxParams, Long maxFlops, java.util.Map<String, String> options, EvaluatorSpec evaluator,
                             List<ObjectiveSpec> objectives, LatencySpec latency, EarlyStopSpec earlyStop, int reportsPerEpoch) {
        /** The strategies a spec may name, as docs/spec.md lists them under search.strategy. */
        public static final List<String> STRATEGIES =
                List.of("random", "grid", "evolution", "tpe", "nsga2", "hyperband", "asha", "bohb", "darts", "enas", "spos", "proxyless",
                        "random-oneshot");

        /** How often a trained trial reports its validation score: report-every 1/n of an epoch gives n per epoch (default 1). */
        public SearchSpec {
            if (reportsPerEpoch < 1) {
                throw new IllegalArgumentException("reportsPerEpoch must be at least 1, got " + reportsPerEpoch);
            }
        }
    }

    /**
     * The median stopping rule for trained trials: after epoch e (beyond {@code warmup} epochs), a
     * trial whose best validation score so far is below the median of the scores other trials had
     * at epoch e (once at least {@code minTrials} have one) stops.
     */
    public record EarlyStopSpec(int warmup, int minTrials) {
    }

    /**
     * How a child's latency-ms is obtained: measured on the child, or predicted from a table of
     * its blocks timed alone ({@code table}); forward passes of {@code batch} samples.
     */
    public record LatencySpec(boolean table, int batch) {
        /** Measured, at batch 1. */
        public static final LatencySpec DEFAULT = new LatencySpec(false, 1);
    }

    /**
     * One objective of a search: a metric the evaluator records (its score's metric, params,
     * flops, a table's fields), to be maximised or minimised; {@code pos} is where it is written.
     */
    public record ObjectiveSpec(String metric, boolean maximize, Pos pos) {
    }

    /**
     * How a multi-trial search scores an architecture: {@code train} (train the child, validation
     * accuracy) or {@code table} (look it up in a benchmark table: a JSON object keyed by
     * {@code key}, a template such as {@code "{layer1}{layer2}"}, whose entries hold {@code metric}).
     *
     * @param keyPos where the key template was written, for errors about it
     */
    public record EvaluatorSpec(String type, String table, String key, String metric, Pos keyPos, java.util.Map<String, String> options) {
        /** The evaluators nas4j knows (plug-ins add more: {@link Extensions}). */
        public static final List<String> TYPES = List.of("train", "table");

        /** Copies the plug-in's fields. */
        public EvaluatorSpec {
            options = java.util.Map.copyOf(options);
        }
    }
}

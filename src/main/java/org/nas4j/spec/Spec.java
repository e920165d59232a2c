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
public record Spec(String file, String name, Shape input, DataSpec data, TrainingSpec training, SearchSpec search,
                   List<Node> model) {

    /** Where the data comes from and how it is batched. */
    public record DataSpec(String dataset, String path, int batchSize, Integer limit, Double validation) {
        /** The datasets nas4j knows. */
        public static final List<String> DATASETS = List.of("mnist", "fashion-mnist", "idx", "synthetic");
    }

    /** How a child is trained. */
    public record TrainingSpec(int epochs, OptimizerSpec optimizer) { }

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
                             Long maxParams, Long maxFlops, java.util.Map<String, String> options) {
        /** The strategies of PRODUCT.md. */
        public static final List<String> STRATEGIES =
                List.of("random", "grid", "evolution", "tpe", "darts", "enas", "spos", "proxyless", "random-oneshot");
    }
}

package org.nas4j.train;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
import java.util.List;
import java.util.Map;

/**
 * A dataset kind that a plug-in adds ({@code data: {dataset: KIND, ...}}), found with
 * {@link java.util.ServiceLoader} in the plug-in's jar (a line naming the class in
 * {@code META-INF/services/org.nas4j.train.DatasetPlugin}). Part of nas4j's public API.
 *
 * <p>The plug-in gives DJL datasets of single samples; nas4j takes the spec's limit and its seeded
 * validation split from the training set, batches, and shuffles each epoch, as for its own datasets.
 */
public interface DatasetPlugin {

    /** What the plug-in is asked for: the spec's data section and model, and a manager for the arrays. */
    record Request(String path, Map<String, String> options, List<Integer> input, int classes, long seed, NDManager manager) {
    }

    /**
     * Training and test samples: each record's data one array of the spec's input shape, its labels
     * one number, the class (0 to classes - 1).
     */
    record Samples(RandomAccessDataset train, RandomAccessDataset test) {
    }

    /** The name a spec's {@code data.dataset} gives. */
    String kind();

    /** The fields of the data section this kind takes besides nas4j's own ({@code path}, {@code batch-size}, {@code limit}, {@code validation}). */
    default List<String> fields() {
        return List.of();
    }

    /**
     * The samples for a spec. A problem with the data is an exception whose message says what is
     * wrong (nas4j shows it, naming the plug-in, before training starts).
     */
    Samples load(Request request) throws Exception;
}

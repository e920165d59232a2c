package org.nas4j.oneshot;

import ai.djl.ndarray.NDList;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.nas4j.search.Strategy;
import org.nas4j.space.Architecture;

/**
 * What one one-shot algorithm adds to the shared supernet loop ({@link OneShotTraining}): how it
 * trains on a batch, what it learns beside the weights, and how its final architecture is found.
 * As NNI pairs a mutator with a trainer, each algorithm is one class; the supernet, the epochs,
 * the checkpoints and the path scoring are shared.
 */
interface OneShotAlgorithm extends AutoCloseable {

    /** Trains on one training batch; {@code random} is the epoch's generator (a resumed epoch repeats). */
    Supernet.Step step(NDList x, NDList y, Random random) throws TranslateException, IOException;

    /** Runs after each epoch's batches (ENAS's controller learns here). */
    default void endEpoch(Random random) throws TranslateException, IOException {
    }

    /** Each key's option probabilities, for epochs.jsonl; null when the algorithm learns none. */
    default Map<String, Map<String, Double>> probabilities() {
        return null;
    }

    /** The architecture read off what the algorithm learnt; null when the final one is found by scoring paths. */
    default Architecture chosen() {
        return null;
    }

    /** After training, the strategy that proposes the paths to score with the shared weights (when {@link #chosen} is null). */
    Strategy pathSearch(long seed, Predicate<Architecture> admissible);

    /** Writes what it learnt beside the supernet's weights (a checkpoint folder). */
    default void save(Path folder) throws IOException {
    }

    /** Reads what {@link #save} wrote. */
    default void load(Path folder) throws IOException {
    }

    @Override
    default void close() {
    }
}

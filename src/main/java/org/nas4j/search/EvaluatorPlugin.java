package org.nas4j.search;

import ai.djl.Device;
import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;
import org.nas4j.space.Architecture;

/**
 * An evaluator type that a plug-in adds ({@code search.evaluator: {type: TYPE, ...}}): the team's
 * own training loop, a latency measured on a device, any score of a child. Found with
 * {@link java.util.ServiceLoader} in the plug-in's jar (a line naming the class in
 * {@code META-INF/services/org.nas4j.search.EvaluatorPlugin}). Part of nas4j's public API.
 */
public interface EvaluatorPlugin {

    /** What an evaluator of a run may use: the spec's fields for it, the run's seed and device, and the children's blocks. */
    interface Context {
        /** The evaluator section's fields for this type, as text. */
        Map<String, String> options();

        /** The run's seed. */
        long seed();

        /** The device the run trains on. */
        Device device();

        /** The spec's input shape (one sample, no batch axis). */
        List<Integer> input();

        /** How many classes the model tells apart. */
        int classes();

        /** A new, uninitialised DJL block of the child {@code architecture}; initialise it with a batch of {@link #input()}. */
        Block child(Architecture architecture) throws Exception;
    }

    /** The name a spec's {@code search.evaluator.type} gives. */
    String type();

    /** The evaluator section's fields this type takes besides {@code type}. */
    default List<String> fields() {
        return List.of();
    }

    /**
     * The evaluator of one run (or of one worker process of it). A problem with the options is an
     * exception whose message says what is wrong; an exception from {@link Evaluator#evaluate}
     * fails that trial only.
     */
    Evaluator create(Context context) throws Exception;
}

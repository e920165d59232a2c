package org.nas4j.api;

import ai.djl.nn.Block;
import java.util.Map;

/** A child of a spec that an evaluator scores: its architecture, and a way to build it as a DJL block. */
public interface Child {
    /** The child's decisions and their values, as an architecture file writes them. */
    Map<String, Object> architecture();

    /** A new, uninitialised DJL block of this child; initialise it with the spec's {@link NasSpec#input()} shape. */
    Block block() throws NasException;

    /** The child's trainable parameter count, as validate-spec counts it. */
    long parameters();
}

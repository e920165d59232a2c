package org.nas4j.supernet;

import ai.djl.nn.Block;
import org.nas4j.spec.Op;
import org.nas4j.spec.OpArgs;

/**
 * An op that a plug-in adds ({@code op: NAME} in any node or candidate): its fields and its shape,
 * parameter and FLOP rules (as {@link Op}), checked by validate-spec like nas4j's own ops, and the
 * DJL block that computes it. Found with {@link java.util.ServiceLoader} in the plug-in's jar (a
 * line naming the class in {@code META-INF/services/org.nas4j.supernet.OpPlugin}). Part of nas4j's
 * public API. Its rules must agree with its block: a child whose built parameter count differs
 * from the spec's is reported.
 */
public interface OpPlugin extends Op {
    /** A new block of the op for these field values, on inputs of {@code inputRank} axes per sample (the batch axis not counted). */
    Block block(OpArgs args, int inputRank);
}

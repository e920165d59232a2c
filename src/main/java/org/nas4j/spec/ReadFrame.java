package org.nas4j.spec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Where ids, inputs and keys are resolved while reading one list of nodes. */
final class ReadFrame {
    /** What the global ids of the nodes read here start with (a block use's or a candidate's path). */
    final String idPrefix;
    /** What the decision keys made here start with (a block use's scope). */
    final String keyScope;
    /** Names readable here that are not nodes of this list (input; a block's in, in0, in1, ...), with their global ids. */
    final Map<String, String> inputs;
    /** The depths that must be reached for nodes read here to run (copies of a repeat). */
    final List<Node.Guard> guards;
    /** The blocks being expanded, outermost first. */
    final List<String> blockStack;
    /** Whether this list is inside a layer-choice candidate. */
    final boolean inCandidate;
    /** Whether this list is a candidate's steps themselves. */
    final boolean candidateSteps;
    /** The global id the last node takes (a block use's own id), or null. */
    final String outputId;
    /** The block whose nodes these are, or null. */
    final String blockName;
    /** Ids declared in this list, with where. */
    final Map<String, Pos> declared = new HashMap<>();
    /** The ids of the nodes read so far, with their global ids. */
    final Map<String, String> defined = new HashMap<>();
    /** The global id of the node read last: what the next node reads by default. */
    String previous;

    ReadFrame(String idPrefix, String keyScope, Map<String, String> inputs, List<Node.Guard> guards, List<String> blockStack,
              boolean inCandidate, boolean candidateSteps, String outputId, String blockName, String previous) {
        this.idPrefix = idPrefix;
        this.keyScope = keyScope;
        this.inputs = inputs;
        this.guards = guards;
        this.blockStack = blockStack;
        this.inCandidate = inCandidate;
        this.candidateSteps = candidateSteps;
        this.outputId = outputId;
        this.blockName = blockName;
        this.previous = previous;
    }
}

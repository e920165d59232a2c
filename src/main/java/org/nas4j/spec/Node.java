package org.nas4j.spec;

import java.util.List;
import java.util.Map;

/**
 * A node of the model. A node reads the previous node unless it names its inputs; a node that
 * carries a decision has an id, from which its key derives unless it names one.
 */
public sealed interface Node permits Node.OpNode, Node.LayerChoiceNode, Node.InputChoiceNode, Node.InvalidNode {

    /** The node's id, or null when it has none. */
    String id();

    /** Where the node starts. */
    Pos pos();

    /** The nodes it reads; for an input choice, its {@code from} nodes. */
    List<Ref> inputs();

    /** A name for messages: the id, or "the OP at line L". */
    default String label() {
        return id() != null ? "'" + id() + "'" : "the node at line " + pos().line();
    }

    /** A plain op. */
    record OpNode(String id, Pos pos, List<Ref> inputs, OpUse op) implements Node { }

    /** A choice among candidates, each an op or a sequence of ops. */
    record LayerChoiceNode(String id, Pos pos, List<Ref> inputs, String key, Map<String, Candidate> candidates)
            implements Node { }

    /** A candidate of a layer choice: its ops, run in sequence. */
    record Candidate(String name, Pos pos, List<OpUse> ops) { }

    /** How an input choice combines the inputs it chose. */
    enum Reduction { SUM, MEAN, CONCAT }

    /**
     * A choice of inputs among {@code from} (the node's {@link #inputs()}): {@code nChosen} of them,
     * or any subset, possibly empty, when {@code nChosen} is null.
     */
    record InputChoiceNode(String id, Pos pos, List<Ref> inputs, String key, Integer nChosen, Reduction reduction)
            implements Node {

        /** Whether the choice may choose nothing. */
        public boolean mayBeEmpty() {
            return nChosen == null;
        }
    }

    /**
     * A node whose errors were reported: it stands in the model so that ids and positions stay
     * right and the nodes that do not depend on it are still checked. Only specs with errors
     * hold one.
     */
    record InvalidNode(String id, Pos pos) implements Node {
        @Override
        public List<Ref> inputs() {
            return List.of();
        }
    }
}

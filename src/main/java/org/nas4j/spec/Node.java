package org.nas4j.spec;

import java.util.List;
import java.util.Map;

/**
 * A node of the model after blocks and repeats are expanded. Every node has a unique id: the one
 * written (prefixed by the block instances it lies in, {@code cell1/n0}) or, for an unnamed node,
 * a generated {@code #N}. Inputs are always explicit: the parser resolves "the previous node".
 */
public sealed interface Node permits Node.OpNode, Node.LayerChoiceNode, Node.InputChoiceNode,
        Node.DepthSelectNode, Node.InvalidNode {

    /** The node's unique id ({@code #N} when it was not given one). */
    String id();

    /** Where the node was written. */
    Pos pos();

    /** The ids of the nodes it reads ({@link Ref#MODEL_INPUT} for the model's input); for an input choice, its {@code from}. */
    List<Ref> inputs();

    /** Depth decisions of enclosing repeats that must be deep enough for this node to run. */
    List<Guard> guards();

    /** Whether the id was generated rather than written. */
    default boolean anonymous() {
        return id().startsWith("#") || id().contains("/#");
    }

    /** A name for messages: the id, or "the node at line L". */
    default String label() {
        return anonymous() ? "the node at line " + pos().line() : "'" + id() + "'";
    }

    /** This node runs only when the depth decision {@code key} is at least {@code depth}. */
    record Guard(String key, int depth) { }

    /** A plain op. */
    record OpNode(String id, Pos pos, List<Ref> inputs, OpUse op, List<Guard> guards) implements Node { }

    /** A choice among candidates. */
    record LayerChoiceNode(String id, Pos pos, List<Ref> inputs, String key, Map<String, Candidate> candidates,
                           List<Guard> guards) implements Node { }

    /**
     * A candidate of a layer choice: a small fixed graph of ops (a block use may add merges). Its
     * first node reads {@link Ref#MODEL_INPUT}, which here stands for the choice node's input;
     * the last node is the candidate's output.
     */
    record Candidate(String name, Pos pos, List<OpNode> nodes) { }

    /** How an input choice combines the inputs it chose. */
    enum Reduction { SUM, MEAN, CONCAT }

    /**
     * A choice of inputs among the node's {@link #inputs()}: {@code nChosen} of them, or any subset,
     * possibly empty, when {@code nChosen} is null. {@code from} names the inputs as written in
     * their scope ({@code in0}, {@code n1}), which is what an architecture lists and what nodes
     * sharing the key must agree on.
     */
    record InputChoiceNode(String id, Pos pos, List<Ref> inputs, List<String> from, String key, Integer nChosen,
                           Reduction reduction, List<Guard> guards) implements Node { }

    /**
     * The output of a repeat whose depth is a decision: reads the output of each possible depth
     * ({@code inputs().get(i)} is the output at {@code depths().get(i)}) and passes on the chosen one.
     */
    record DepthSelectNode(String id, Pos pos, List<Ref> inputs, String key, List<Integer> depths, List<Guard> guards)
            implements Node { }

    /**
     * A node whose errors were reported: it stands in the model so that ids stay resolvable and
     * the nodes that do not depend on it are still checked. Only specs with errors hold one.
     */
    record InvalidNode(String id, Pos pos) implements Node {
        @Override
        public List<Ref> inputs() {
            return List.of();
        }

        @Override
        public List<Guard> guards() {
            return List.of();
        }
    }
}

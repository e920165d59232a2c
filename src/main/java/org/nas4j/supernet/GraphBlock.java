package org.nas4j.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nas4j.spec.SampleShape;

/**
 * A DAG of steps compiled from a spec: each step reads earlier outputs by id, the model's input
 * is {@code input}, the last step's output is the block's. Every child block is initialised with
 * the input shape the spec's shape check gave it, so candidates that a forward pass skips are
 * initialised too.
 */
public final class GraphBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final List<Step> steps;
    private final String outputId;
    private final Shape outputShape;
    private final SampleShape sampleOutput;
    private final Choices choices;
    /** Each child block with the shape of one input sample. */
    private final List<Map.Entry<Block, SampleShape>> inputShapes = new ArrayList<>();

    GraphBlock(List<Step> steps, String outputId, SampleShape outputShape, Choices choices) {
        super(VERSION);
        this.steps = List.copyOf(steps);
        this.outputId = outputId;
        this.outputShape = new Shape(outputShape.dims().stream().mapToLong(Integer::longValue).toArray());
        this.sampleOutput = outputShape;
        this.choices = choices;
    }

    /** Registers a child block under a unique name with the shape of one of its input samples. */
    <B extends Block> B add(String name, B block, SampleShape input) {
        addChildBlock(name, block);
        inputShapes.add(Map.entry(block, input));
        return block;
    }

    /** The shape of one output sample. */
    public SampleShape sampleOutput() {
        return sampleOutput;
    }

    /** The decisions this graph's choice steps follow. */
    public Choices choices() {
        return choices;
    }

    /**
     * Makes the choice steps follow an architecture from the next forward pass on, and freezes
     * every candidate that is not on its path: an optimizer step then moves only the path's
     * weights (no momentum or weight-decay drift of candidates the batch did not use).
     */
    public void follow(java.util.Map<String, Object> architecture) {
        choices.use(architecture);
        for (Step step : steps) {
            boolean active = active(step);
            if (step instanceof Step.LayerChoice lc) {
                Object chosen = active ? choices.get(lc.key()) : null;
                lc.candidates().forEach((name, block) -> freeze(block, !name.equals(chosen)));
            } else if (step instanceof Step.ValueChoice vc) {
                List<Object> combo = active ? vc.keys().stream().map(choices::get).toList() : null;
                vc.blocks().forEach((values, block) -> freeze(block, !values.equals(combo)));
            } else if (step instanceof Step.Op op) {
                freeze(op.block(), !active);
            }
        }
    }

    /**
     * The trainable parameters of each layer choice's candidates, by key and candidate name,
     * summed over the nodes sharing a key (the supernet must be initialised).
     */
    public Map<String, Map<String, Long>> candidateParameters() {
        Map<String, Map<String, Long>> out = new java.util.TreeMap<>();
        for (Step step : steps) {
            if (step instanceof Step.LayerChoice lc) {
                lc.candidates().forEach((name, block) -> out.computeIfAbsent(lc.key(), k -> new java.util.LinkedHashMap<>())
                        .merge(name, SupernetCompiler.trainableParameters(block), Long::sum));
            }
        }
        return out;
    }

    /**
     * Runs every candidate from the next forward pass on, weighted per key (see
     * {@link Choices#mix}), with every parameter trainable again.
     */
    public void mix(Map<String, Map<Object, NDArray>> weights) {
        choices.mix(weights);
        freeze(this, false);
    }

    /**
     * Freezes or unfreezes a block's trainable parameters; batch-norm running statistics never
     * take a gradient (the engine refuses one), so they are left alone.
     */
    public static void freeze(Block block, boolean freeze) {
        block.freezeParameters(freeze, p -> p.getType() != ai.djl.nn.Parameter.Type.RUNNING_MEAN
                && p.getType() != ai.djl.nn.Parameter.Type.RUNNING_VAR);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Map<String, NDArray> values = new HashMap<>();
        values.put(org.nas4j.spec.Ref.MODEL_INPUT, inputs.singletonOrThrow());
        for (Step step : steps) {
            if (active(step)) {
                NDArray out = step.run(values, ps, training, choices);
                if (out != null) {
                    values.put(step.id(), out);
                }
            }
        }
        return new NDList(values.get(outputId));
    }

    private boolean active(Step step) {
        if (choices.mixture()) {
            return true;
        }
        for (Step.Guard g : step.guards()) {
            if (((Number) choices.get(g.key())).intValue() < g.depth()) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
        long batch = shapes[0].get(0);
        for (Map.Entry<Block, SampleShape> e : inputShapes) {
            long[] dims = new long[e.getValue().rank() + 1];
            dims[0] = batch;
            for (int i = 0; i < e.getValue().rank(); i++) {
                dims[i + 1] = e.getValue().dim(i);
            }
            e.getKey().initialize(manager, dataType, new Shape(dims));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        long[] dims = new long[outputShape.dimension() + 1];
        dims[0] = inputs[0].get(0);
        System.arraycopy(outputShape.getShape(), 0, dims, 1, outputShape.dimension());
        return new Shape[] {new Shape(dims)};
    }
}

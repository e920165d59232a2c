package org.nas4j.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nas4j.spec.OpDef;

/** One node of a {@link GraphBlock}: what it reads and how it computes its output. */
sealed interface Step permits Step.Op, Step.Merge, Step.LayerChoice, Step.InputChoice, Step.DepthSelect, Step.ValueChoice {

    /** The node's id; its output is stored under it. */
    String id();

    /** Depths that must be reached for the node to run (repeat copies beyond a chosen depth do not). */
    List<Guard> guards();

    /** A depth decision that must be at least {@code depth}. */
    record Guard(String key, int depth) { }

    /** The output from the values computed so far, or null when the node is absent (an empty input choice). */
    NDArray run(Map<String, NDArray> values, ParameterStore ps, boolean training, Choices choices);

    /** Runs a block on one input. */
    static NDArray forward(Block block, NDArray x, ParameterStore ps, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /** A plain op. */
    record Op(String id, String input, Block block, List<Guard> guards) implements Step {
        @Override
        public NDArray run(Map<String, NDArray> values, ParameterStore ps, boolean training, Choices choices) {
            return Step.forward(block, values.get(input), ps, training);
        }
    }

    /** A merge (add, mean or concat) of named inputs; absent ones are left out. */
    record Merge(String id, List<String> inputs, OpDef kind, List<Guard> guards) implements Step {
        @Override
        public NDArray run(Map<String, NDArray> values, ParameterStore ps, boolean training, Choices choices) {
            List<NDArray> present = new ArrayList<>();
            for (String in : inputs) {
                if (values.get(in) != null) {
                    present.add(values.get(in));
                }
            }
            return OpBlocks.merge(kind, present);
        }
    }

    /**
     * A choice in mixture mode: the sum of weight x output over its options. Options whose weight
     * is null (left out of the mixture) are skipped without computing their output; null when
     * every option is left out.
     */
    static <K> NDArray mixture(Iterable<K> options, Function<K, NDArray> weight, Function<K, NDArray> output) {
        NDArray sum = null;
        for (K option : options) {
            NDArray w = weight.apply(option);
            if (w != null) {
                NDArray term = output.apply(option).mul(w);
                sum = sum == null ? term : sum.add(term);
            }
        }
        return sum;
    }

    /** A layer choice: the decided candidate (single path), or all of them weighted (mixture). */
    record LayerChoice(String id, String input, String key, Map<String, Block> candidates, List<Guard> guards) implements Step {
        @Override
        public NDArray run(Map<String, NDArray> values, ParameterStore ps, boolean training, Choices choices) {
            if (choices.mixture()) {
                return Step.mixture(candidates.keySet(), c -> choices.weight(key, c),
                        c -> Step.forward(candidates.get(c), values.get(input), ps, training));
            }
            return Step.forward(candidates.get((String) choices.get(key)), values.get(input), ps, training);
        }
    }

    /**
     * An input choice: the decided inputs (by their names in the spec), reduced; in mixture mode
     * all of them (NNI v1's DARTS: the choice is made from the strength of the edges feeding it),
     * each scaled by its gate when the key has gates (ProxylessNAS).
     */
    record InputChoice(String id, String key, List<String> names, List<String> ids, OpDef reduction, List<Guard> guards)
            implements Step {
        @Override
        public NDArray run(Map<String, NDArray> values, ParameterStore ps, boolean training, Choices choices) {
            List<?> chosen = choices.mixture() ? names : (List<?>) choices.get(key);
            boolean gated = choices.mixture() && choices.weighted(key);
            List<NDArray> present = new ArrayList<>();
            for (int k = 0; k < names.size(); k++) {
                if (chosen.contains(names.get(k)) && values.get(ids.get(k)) != null) {
                    // Under gates, each input is scaled by its gate (0 or 1) so that its gradient is known.
                    present.add(gated ? values.get(ids.get(k)).mul(choices.weight(key, names.get(k))) : values.get(ids.get(k)));
                }
            }
            return OpBlocks.merge(reduction, present);
        }
    }

    /** The output of a repeat with a depth decision: the decided copy's output, or every depth's weighted (mixture). */
    record DepthSelect(String id, String key, Map<Integer, String> outputs, List<Guard> guards) implements Step {
        @Override
        public NDArray run(Map<String, NDArray> values, ParameterStore ps, boolean training, Choices choices) {
            if (choices.mixture()) {
                return Step.mixture(outputs.keySet(), d -> choices.weight(key, d), d -> values.get(outputs.get(d)));
            }
            return values.get(outputs.get(((Number) choices.get(key)).intValue()));
        }
    }

    /**
     * An op with value choices: one block per combination of values; in mixture mode every
     * combination runs, weighted by the product of its values' weights.
     */
    record ValueChoice(String id, String input, List<String> keys, Map<List<Object>, Block> blocks, List<Guard> guards)
            implements Step {
        @Override
        public NDArray run(Map<String, NDArray> values, ParameterStore ps, boolean training, Choices choices) {
            if (choices.mixture()) {
                return Step.mixture(blocks.keySet(), combo -> weight(combo, choices),
                        combo -> Step.forward(blocks.get(combo), values.get(input), ps, training));
            }
            List<Object> combo = keys.stream().map(choices::get).toList();
            return Step.forward(blocks.get(combo), values.get(input), ps, training);
        }

        /** The weight of a combination of values: the product of each value's weight; null when one is left out. */
        private NDArray weight(List<Object> combo, Choices choices) {
            List<NDArray> w = new ArrayList<>();
            for (int k = 0; k < keys.size(); k++) {
                w.add(choices.weight(keys.get(k), combo.get(k)));
            }
            return w.contains(null) ? null : w.stream().reduce(NDArray::mul).orElseThrow();
        }
    }
}

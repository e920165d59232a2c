package org.nas4j.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /** add / mean / concat of the inputs that are present; null when none is. */
    static NDArray merge(String kind, List<NDArray> present) {
        if (present.isEmpty()) {
            return null;
        }
        if (present.size() == 1) {
            return present.get(0);
        }
        return switch (kind) {
            case "concat" -> NDArrays.concat(new NDList(present), 1);
            case "mean" -> NDArrays.add(present.toArray(new NDArray[0])).div(present.size());
            default -> NDArrays.add(present.toArray(new NDArray[0]));
        };
    }

    /** A plain op. */
    record Op(String id, String input, Block block, List<Guard> guards) implements Step {
        @Override
        public NDArray run(Map<String, NDArray> values, ParameterStore ps, boolean training, Choices choices) {
            return Step.forward(block, values.get(input), ps, training);
        }
    }

    /** A merge of named inputs; absent ones are left out. */
    record Merge(String id, List<String> inputs, String kind, List<Guard> guards) implements Step {
        @Override
        public NDArray run(Map<String, NDArray> values, ParameterStore ps, boolean training, Choices choices) {
            List<NDArray> present = new ArrayList<>();
            for (String in : inputs) {
                if (values.get(in) != null) {
                    present.add(values.get(in));
                }
            }
            return Step.merge(kind, present);
        }
    }

    /** A running sum: {@code term} added to {@code sum} (null before the first term). */
    static NDArray plus(NDArray sum, NDArray term) {
        return sum == null ? term : sum.add(term);
    }

    /** A layer choice: the decided candidate (single path), or all of them weighted (mixture). */
    record LayerChoice(String id, String input, String key, Map<String, Block> candidates, List<Guard> guards) implements Step {
        @Override
        public NDArray run(Map<String, NDArray> values, ParameterStore ps, boolean training, Choices choices) {
            if (choices.mixture()) {
                NDArray sum = null;
                for (Map.Entry<String, Block> c : candidates.entrySet()) {
                    NDArray w = choices.weight(key, c.getKey());
                    if (w != null) {
                        sum = Step.plus(sum, Step.forward(c.getValue(), values.get(input), ps, training).mul(w));
                    }
                }
                return sum;
            }
            return Step.forward(candidates.get((String) choices.get(key)), values.get(input), ps, training);
        }
    }

    /**
     * An input choice: the decided inputs (by their names in the spec), reduced; in mixture mode
     * all of them (NNI v1's DARTS: the choice is made from the strength of the edges feeding it),
     * each scaled by its gate when the key has gates (ProxylessNAS).
     */
    record InputChoice(String id, String key, List<String> names, List<String> ids, String reduction, List<Guard> guards)
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
            return Step.merge(reduction, present);
        }
    }

    /** The output of a repeat with a depth decision: the decided copy's output, or every depth's weighted (mixture). */
    record DepthSelect(String id, String key, Map<Integer, String> outputs, List<Guard> guards) implements Step {
        @Override
        public NDArray run(Map<String, NDArray> values, ParameterStore ps, boolean training, Choices choices) {
            if (choices.mixture()) {
                NDArray sum = null;
                for (Map.Entry<Integer, String> d : outputs.entrySet()) {
                    NDArray w = choices.weight(key, d.getKey());
                    if (w != null) {
                        sum = Step.plus(sum, values.get(d.getValue()).mul(w));
                    }
                }
                return sum;
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
                NDArray sum = null;
                for (Map.Entry<List<Object>, Block> e : blocks.entrySet()) {
                    List<NDArray> w = new ArrayList<>();
                    for (int k = 0; k < keys.size(); k++) {
                        w.add(choices.weight(keys.get(k), e.getKey().get(k)));
                    }
                    if (w.contains(null)) {
                        continue;
                    }
                    NDArray term = Step.forward(e.getValue(), values.get(input), ps, training);
                    for (NDArray x : w) {
                        term = term.mul(x);
                    }
                    sum = Step.plus(sum, term);
                }
                return sum;
            }
            List<Object> combo = keys.stream().map(choices::get).toList();
            return Step.forward(blocks.get(combo), values.get(input), ps, training);
        }
    }
}

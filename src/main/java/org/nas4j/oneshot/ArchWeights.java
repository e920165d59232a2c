package org.nas4j.oneshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nas4j.space.Architecture;
import org.nas4j.space.Decision;
import org.nas4j.space.SearchSpace;
import org.nas4j.train.Engines;

/**
 * DARTS's architecture weights: one vector of logits per layer, value or depth choice key (nodes
 * sharing a key share it), kept outside the model's parameters and updated by an optimizer of
 * their own. Input choices have none: during search they take all their inputs, and the final
 * choice keeps the inputs fed by the strongest edges (NNI v1's rule).
 */
final class ArchWeights implements AutoCloseable {
    private final NDManager manager;
    /** Per key, the options (candidate names, values or depths) in the order of its logits. */
    private final Map<String, List<Object>> options = new TreeMap<>();
    private final Map<String, NDArray> logits = new TreeMap<>();
    /** ProxylessNAS's input gates: per input choice, one logit per input. */
    private final Map<String, Decision.InputChoice> inputChoices = new TreeMap<>();
    private final Map<String, NDArray> inputLogits = new TreeMap<>();

    /**
     * Logits drawn from N(0, 0.001^2), as NNI v1 starts them (the engine's seed makes them
     * repeat); with {@code inputGates}, input choices get a logit per input too (ProxylessNAS).
     */
    ArchWeights(SearchSpace space, NDManager parent, boolean inputGates) {
        this.manager = parent.newSubManager();
        for (Decision d : space.decisions().values()) {
            if (inputGates && d instanceof Decision.InputChoice ic) {
                inputChoices.put(ic.key(), ic);
                NDArray a = manager.randomNormal(0f, 1e-3f, new ai.djl.ndarray.types.Shape(ic.from().size()),
                        ai.djl.ndarray.types.DataType.FLOAT32);
                inputLogits.put(ic.key(), a);
            }
            List<Object> opts = switch (d.kind()) {
                case "layer-choice" -> new ArrayList<>(((Decision.LayerChoice) d).candidates());
                case "value-choice" -> new ArrayList<>(((Decision.ValueChoice) d).values());
                case "depth-choice" -> new ArrayList<>(((Decision.DepthChoice) d).depths());
                default -> null;
            };
            if (opts != null) {
                options.put(d.key(), opts);
                NDArray a = manager.randomNormal(0f, 1e-3f, new ai.djl.ndarray.types.Shape(opts.size()),
                        ai.djl.ndarray.types.DataType.FLOAT32);
                a.setRequiresGradient(true);
                logits.put(d.key(), a);
            }
        }
    }

    /**
     * The softmax weight of every option, as scalars living in {@code step} (so nothing piles up
     * on the long-lived logits); with {@code gradient} false the logits get no gradient from them.
     */
    Map<String, Map<Object, NDArray>> weights(NDManager step, boolean gradient) {
        Map<String, Map<Object, NDArray>> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : logits.entrySet()) {
            NDArray a = gradient ? e.getValue() : e.getValue().stopGradient();
            NDArray p = a.softmax(0);
            p.attach(step);
            if (!gradient) {
                a.attach(step);
            }
            Map<Object, NDArray> byOption = new LinkedHashMap<>();
            List<Object> opts = options.get(e.getKey());
            for (int k = 0; k < opts.size(); k++) {
                byOption.put(opts.get(k), p.get(k));
            }
            out.put(e.getKey(), byOption);
        }
        return out;
    }

    /** One optimizer step on the logits' gradients, which are then cleared. */
    void update(Optimizer optimizer) {
        for (Map.Entry<String, NDArray> e : logits.entrySet()) {
            try (NDArray g = e.getValue().getGradient()) {
                optimizer.update("alpha." + e.getKey(), e.getValue(), g);
                g.subi(g);
            }
        }
    }

    /** Copies of the logits' gradients, living in {@code into}; the gradients are then cleared. */
    List<NDArray> takeGradients(NDManager into) {
        List<NDArray> out = new ArrayList<>();
        for (NDArray a : logits.values()) {
            try (NDArray g = a.getGradient()) {
                NDArray copy = g.duplicate();
                copy.attach(into);
                out.add(copy);
                g.subi(g);
            }
        }
        return out;
    }

    /**
     * One optimizer step with gradients computed elsewhere (in the order of {@link #takeGradients}):
     * handed to the optimizer directly, as logits no backward pass reached have no gradient to set.
     */
    void apply(Optimizer optimizer, List<NDArray> gradients) {
        int k = 0;
        for (Map.Entry<String, NDArray> e : logits.entrySet()) {
            optimizer.update("alpha." + e.getKey(), e.getValue(), gradients.get(k++));
        }
    }

    /** Each key's options, in the order of its logits. */
    Map<String, List<Object>> options() {
        return options;
    }

    /** The current probabilities of a key's options. */
    float[] probabilities(String key) {
        try (NDArray fixed = logits.get(key).stopGradient(); NDArray s = fixed.softmax(0)) {
            return s.toFloatArray();
        }
    }

    /** One optimizer step with gradients given as plain numbers per key, input gates included (keys missing: zero). */
    void apply(Optimizer optimizer, Map<String, float[]> gradients, NDManager step) {
        List<NDArray> list = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : logits.entrySet()) {
            list.add(step.create(gradients.getOrDefault(e.getKey(), new float[options.get(e.getKey()).size()])));
        }
        apply(optimizer, list);
        for (Map.Entry<String, NDArray> e : inputLogits.entrySet()) {
            float[] g = gradients.get(e.getKey());
            if (g != null) {
                optimizer.update("gate." + e.getKey(), e.getValue(), step.create(g));
            }
        }
    }

    /** The input choices that have gates. */
    Map<String, Decision.InputChoice> inputChoices() {
        return inputChoices;
    }

    /**
     * Each input's probability of being taken: independent sigmoids for an any-subset choice, a
     * softmax for a choice of n (the probability of being drawn first).
     */
    float[] inputProbabilities(String key) {
        NDArray l = inputLogits.get(key);
        try (NDArray p = inputChoices.get(key).nChosen() == null ? ai.djl.nn.Activation.sigmoid(l) : l.softmax(0)) {
            return p.toFloatArray();
        }
    }

    /** The probability of every option of every key, for the run's record. */
    Map<String, Map<String, Double>> probabilities() {
        Map<String, Map<String, Double>> out = new TreeMap<>();
        for (Map.Entry<String, NDArray> e : logits.entrySet()) {
            float[] p;
            try (NDArray fixed = e.getValue().stopGradient(); NDArray s = fixed.softmax(0)) {
                p = s.toFloatArray();
            }
            Map<String, Double> byOption = new LinkedHashMap<>();
            List<Object> opts = options.get(e.getKey());
            for (int k = 0; k < opts.size(); k++) {
                byOption.put(String.valueOf(opts.get(k)), Math.round(p[k] * 1e6) / 1e6);
            }
            out.put(e.getKey(), byOption);
        }
        for (String key : inputLogits.keySet()) {
            float[] p = inputProbabilities(key);
            Map<String, Double> byInput = new LinkedHashMap<>();
            List<String> from = inputChoices.get(key).from();
            for (int k = 0; k < from.size(); k++) {
                byInput.put(from.get(k), Math.round(p[k] * 1e6) / 1e6);
            }
            out.put(key, byInput);
        }
        return out;
    }

    /**
     * The architecture the weights choose: each layer choice's strongest candidate other than a
     * {@code zero} op, each value or depth choice's strongest option; an input choice of n keeps
     * the n inputs fed by the strongest edges (an edge's strength: the largest non-zero weight of
     * the layer choice producing that input), an any-subset input choice keeps all its inputs.
     */
    Architecture derive(SearchSpace space) {
        Map<String, Map<String, Double>> p = probabilities();
        Map<String, Object> arch = new TreeMap<>();
        for (Decision d : space.decisions().values()) {
            if (d instanceof Decision.InputChoice ic && inputLogits.containsKey(ic.key())) {
                arch.put(d.key(), gatedInputs(ic, p.get(ic.key())));
            } else if (d instanceof Decision.InputChoice ic) {
                arch.put(d.key(), chooseInputs(ic, space, p));
            } else {
                List<String> none = d instanceof Decision.LayerChoice lc ? lc.none() : List.of();
                Object best = null;
                double bestP = -1;
                for (Object option : options.get(d.key())) {
                    double w = p.get(d.key()).get(String.valueOf(option));
                    if (w > bestP && !none.contains(String.valueOf(option))) {
                        best = option;
                        bestP = w;
                    }
                }
                arch.put(d.key(), best == null ? options.get(d.key()).get(0) : best);
            }
        }
        return Architecture.of(arch);
    }

    /** Gated inputs: those likelier taken than not (any subset), or the n likeliest. */
    private static List<String> gatedInputs(Decision.InputChoice ic, Map<String, Double> p) {
        if (ic.nChosen() == null) {
            return ic.from().stream().filter(name -> p.get(name) > 0.5).toList();
        }
        List<String> kept = p.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .limit(ic.nChosen()).map(Map.Entry::getKey).toList();
        return ic.from().stream().filter(kept::contains).toList();
    }

    /** The n inputs fed by the strongest edges, at the first node that takes the choice. */
    private static List<String> chooseInputs(Decision.InputChoice ic, SearchSpace space, Map<String, Map<String, Double>> p) {
        if (ic.nChosen() == null) {
            return List.copyOf(ic.from());
        }
        SearchSpace.NetworkNode node = space.network().stream().filter(n -> n.keys().contains(ic.key())).findFirst().orElseThrow();
        Map<String, Double> strength = new LinkedHashMap<>();
        for (int k = 0; k < ic.from().size(); k++) {
            double s = 0;
            Decision.LayerChoice lc = space.layerChoiceAt(node.inputs().get(k));
            if (lc != null) {
                for (Map.Entry<String, Double> e : p.get(lc.key()).entrySet()) {
                    if (!lc.none().contains(e.getKey())) {
                        s = Math.max(s, e.getValue());
                    }
                }
            }
            strength.put(ic.from().get(k), s);
        }
        List<String> kept = strength.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())).limit(ic.nChosen())
                .map(Map.Entry::getKey).toList();
        return ic.from().stream().filter(kept::contains).toList();
    }

    /** Writes the logits to a file. */
    void save(Path file) throws IOException {
        NDList list = new NDList();
        logits.values().forEach(list::add);
        inputLogits.values().forEach(list::add);
        Files.write(file, list.encode());
    }

    /** Reads logits written by {@link #save}. */
    void load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); NDManager tmp = manager.newSubManager()) {
            NDList list = NDList.decode(tmp, in);
            int k = 0;
            for (NDArray a : logits.values()) {
                Engines.copyInto(a, list.get(k++));
            }
            for (NDArray a : inputLogits.values()) {
                Engines.copyInto(a, list.get(k++));
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}

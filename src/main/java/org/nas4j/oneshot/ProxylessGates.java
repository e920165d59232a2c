package org.nas4j.oneshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nas4j.search.Draw;
import org.nas4j.space.Architecture;
import org.nas4j.space.Sampler;
import org.nas4j.supernet.GraphBlock;

/**
 * ProxylessNAS's binary gates over a supernet's architecture weights: paths drawn from them for
 * the weight steps, and the architecture step that trains them through gates (Cai et al., 2019).
 */
final class ProxylessGates {
    private final ArchWeights alpha;
    private final Optimizer alphaOptimizer;
    private final Trainer trainer;
    private final GraphBlock graph;
    private final Loss loss;
    private final Sampler sampler;
    /** The weight of the expected parameter count (in millions) in the architecture loss. */
    private final float costWeight;
    /** Each layer choice's candidates' parameters, by key and candidate. */
    private final Map<String, Map<String, Long>> candidateParams;

    ProxylessGates(ArchWeights alpha, Optimizer alphaOptimizer, Trainer trainer, GraphBlock graph, Loss loss, Sampler sampler,
                   float costWeight, Map<String, Map<String, Long>> candidateParams) {
        this.alpha = alpha;
        this.alphaOptimizer = alphaOptimizer;
        this.trainer = trainer;
        this.graph = graph;
        this.loss = loss;
        this.sampler = sampler;
        this.costWeight = costWeight;
        this.candidateParams = candidateParams;
    }

    /** A path drawn from the architecture weights, input choices from their gates. */
    Architecture drawPath(Random random) {
        Map<String, Object> path = new java.util.TreeMap<>(sampler.random(random).asMap());
        alpha.options().forEach((key, opts) -> path.put(key, opts.get(Draw.index(alpha.probabilities(key), -1, random))));
        alpha.inputChoices().forEach((key, ic) -> {
            boolean[] taken = drawInputs(ic, alpha.inputProbabilities(key), random);
            List<String> chosen = new ArrayList<>();
            for (int k = 0; k < taken.length; k++) {
                if (taken[k]) {
                    chosen.add(ic.from().get(k));
                }
            }
            path.put(key, chosen);
        });
        return Architecture.of(path);
    }

    /** Which inputs a gate draw takes: each with its probability (any subset), or n drawn without replacement. */
    private static boolean[] drawInputs(org.nas4j.space.Decision.InputChoice ic, float[] p, Random random) {
        boolean[] taken = new boolean[p.length];
        if (ic.nChosen() == null) {
            for (int k = 0; k < p.length; k++) {
                taken[k] = random.nextDouble() < p[k];
            }
            return taken;
        }
        float[] left = p.clone();
        for (int n = 0; n < ic.nChosen(); n++) {
            int k = Draw.index(left, -1, random);
            taken[k] = true;
            left[k] = 0;
        }
        return taken;
    }

    /**
     * ProxylessNAS's architecture step on a validation batch: per key two candidates drawn from
     * the architecture weights, one of them switched on by a binary gate (drawn from their
     * renormalised probabilities); both run, the model frozen, so the loss's gradient for each
     * gate is known, and dL/d alpha_i = sum_j dL/dg_j q_j (delta_ij - q_i) over the pair. An
     * optional cost term adds cost-weight x the expected parameter count (millions) of each key.
     */
    void step(NDList vx, NDList vy, Random random) {
        step(vx, vy, draw(random));
    }

    /**
     * One architecture step's draws: per key two candidates (option indices a, b) and which of
     * the two its gate switches on, with the probabilities they were drawn from (p) and the pair's
     * renormalised ones (q); per input choice, the inputs its gates take.
     */
    record GateDraw(Map<String, int[]> pairs, Map<String, float[]> p, Map<String, float[]> q, Map<String, boolean[]> inputs) {
    }

    /** The draws of an architecture step, from the current architecture weights. */
    GateDraw draw(Random random) {
        Map<String, int[]> pairs = new LinkedHashMap<>();
        Map<String, float[]> q = new LinkedHashMap<>();
        Map<String, float[]> p = new LinkedHashMap<>();
        alpha.options().forEach((key, opts) -> {
            float[] probs = alpha.probabilities(key);
            p.put(key, probs);
            int a = Draw.index(probs, -1, random);
            int b = opts.size() > 1 ? Draw.index(probs, a, random) : a;
            float sum = probs[a] + (b == a ? 0 : probs[b]);
            float[] renormalised = {probs[a] / sum, b == a ? 0 : probs[b] / sum};
            int on = random.nextDouble() < renormalised[0] ? 0 : 1;
            pairs.put(key, new int[] {a, b, on});
            q.put(key, renormalised);
        });
        Map<String, boolean[]> inputs = new LinkedHashMap<>();
        alpha.inputChoices().forEach((key, ic) -> inputs.put(key, drawInputs(ic, alpha.inputProbabilities(key), random)));
        return new GateDraw(pairs, p, q, inputs);
    }

    /** The architecture step with the draws given. */
    void step(NDList vx, NDList vy, GateDraw draw) {
        Map<String, int[]> pairs = draw.pairs();
        Map<String, float[]> q = draw.q();
        Map<String, float[]> p = draw.p();
        Map<String, float[]> gradients = new LinkedHashMap<>();
        try (NDManager stepManager = trainer.getManager().newSubManager()) {
            Map<String, NDArray[]> gates = new LinkedHashMap<>();
            Map<String, NDArray[]> inputGates = new LinkedHashMap<>();
            try (GradientCollector gc = trainer.newGradientCollector()) {
                Map<String, Map<Object, NDArray>> weights = new LinkedHashMap<>();
                pairs.forEach((key, pair) -> {
                    NDArray[] g = new NDArray[pair[0] == pair[1] ? 1 : 2];
                    Map<Object, NDArray> byOption = new LinkedHashMap<>();
                    for (int j = 0; j < g.length; j++) {
                        g[j] = stepManager.create(pair[2] == j ? 1f : 0f);
                        g[j].setRequiresGradient(true);
                        byOption.put(alpha.options().get(key).get(pair[j]), g[j]);
                    }
                    gates.put(key, g);
                    weights.put(key, byOption);
                });
                alpha.inputChoices().forEach((key, ic) -> {
                    boolean[] taken = draw.inputs().get(key);
                    NDArray[] g = new NDArray[taken.length];
                    Map<Object, NDArray> byInput = new LinkedHashMap<>();
                    for (int k = 0; k < taken.length; k++) {
                        g[k] = stepManager.create(taken[k] ? 1f : 0f);
                        g[k].setRequiresGradient(true);
                        byInput.put(ic.from().get(k), g[k]);
                    }
                    inputGates.put(key, g);
                    weights.put(key, byInput);
                });
                graph.mix(weights);
                GraphBlock.freeze(graph, true);
                gc.backward(loss.evaluate(vy, trainer.forward(vx)));
            }
            inputGates.forEach((key, g) -> gradients.put(key, inputGateGradient(alpha.inputChoices().get(key),
                    alpha.inputProbabilities(key), g)));
            gates.forEach((key, g) -> {
                float[] grad = new float[alpha.options().get(key).size()];
                int[] pair = pairs.get(key);
                float[] qq = q.get(key);
                float[] dg = gateGradients(g);
                for (int i = 0; i < g.length; i++) {
                    for (int j = 0; j < g.length; j++) {
                        grad[pair[i]] += dg[j] * qq[j] * ((i == j ? 1 : 0) - qq[i]);
                    }
                }
                addCost(key, p.get(key), grad);
                gradients.put(key, grad);
            });
            alpha.apply(alphaOptimizer, gradients, stepManager);
        }
    }

    /** The loss's gradient for each gate, read once. */
    private static float[] gateGradients(NDArray[] gates) {
        float[] dg = new float[gates.length];
        for (int k = 0; k < gates.length; k++) {
            try (NDArray d = gates[k].getGradient()) {
                dg[k] = d.getFloat();
            }
        }
        return dg;
    }

    /**
     * The gradient of an input choice's logits from its gates: dL/dg_k x sigma'(beta_k) for
     * independent gates (any subset), sum_j dL/dg_j p_j (delta_jk - p_k) for a softmax (n chosen).
     */
    private static float[] inputGateGradient(org.nas4j.space.Decision.InputChoice ic, float[] p, NDArray[] gates) {
        float[] dg = gateGradients(gates);
        float[] grad = new float[gates.length];
        for (int k = 0; k < gates.length; k++) {
            if (ic.nChosen() == null) {
                grad[k] = dg[k] * p[k] * (1 - p[k]);
            } else {
                for (int j = 0; j < gates.length; j++) {
                    grad[k] += dg[j] * p[j] * ((j == k ? 1 : 0) - p[k]);
                }
            }
        }
        return grad;
    }

    /** The gradient of cost-weight x the expected parameters (millions) of a key's candidates: p_i (c_i - E[c]). */
    private void addCost(String key, float[] probs, float[] grad) {
        if (costWeight == 0) {
            return;
        }
        Map<String, Long> params = candidateParams.get(key);
        if (params == null) {
            return;
        }
        List<Object> opts = alpha.options().get(key);
        double expected = 0;
        for (int i = 0; i < opts.size(); i++) {
            expected += probs[i] * params.getOrDefault(String.valueOf(opts.get(i)), 0L) / 1e6;
        }
        for (int i = 0; i < opts.size(); i++) {
            grad[i] += (float) (costWeight * probs[i] * (params.getOrDefault(String.valueOf(opts.get(i)), 0L) / 1e6 - expected));
        }
    }
}

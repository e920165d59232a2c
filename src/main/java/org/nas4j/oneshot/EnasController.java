package org.nas4j.oneshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.nas4j.search.Draw;
import org.nas4j.search.StrategyOptions;
import org.nas4j.space.Architecture;
import org.nas4j.space.Decision;
import org.nas4j.space.SearchSpace;
import org.nas4j.train.Engines;

/**
 * ENAS's controller (Pham et al., 2018; NNI v1's EnasMutator), written with DJL arrays: an LSTM
 * walks the model's nodes in order, one step per node. At a node that carries a new layer, value
 * or depth decision it samples an option from a softmax head (logits squashed by tanh x 1.5) and
 * feeds the option's embedding on; at an input choice it attends from its state over the states
 * it had at the candidate inputs' nodes (the anchors; plain nodes have anchors too) and samples
 * each input (any subset: a yes/no draw per input, with a KL penalty towards skipping 60%) or n
 * of them; at a plain node it feeds a learned "plain" embedding. Trained by REINFORCE.
 */
final class EnasController implements AutoCloseable {
    private static final float INIT = 0.1f;

    /** One node's step: a new decision (layer/value/depth or input), or a plain step. */
    private record Plan(String nodeId, Decision decision, List<String> inputIds) { }

    /** A sampled architecture with, when sampled for training, its log-probability, entropy and skip penalty. */
    record Sample(Architecture architecture, NDArray logProb, NDArray entropy, NDArray skipPenalty) { }

    private final NDManager manager;
    private final int hidden;
    private final float tanhConstant;
    private final float skipTarget;
    private final List<Plan> plan = new ArrayList<>();
    private final Map<String, NDArray> params = new TreeMap<>();
    private final Optimizer optimizer;
    private final int steps;
    private final int aggregate;
    private final float entropyWeight;
    private final float skipWeight;
    private final float baselineDecay;
    /** The moving average of rewards (saved with the checkpoint). */
    private double baseline;

    /** A controller for the spec's decisions; {@code stepsPerEpoch} bounds its training steps per epoch. */
    EnasController(SearchSpace space, NDManager parent, StrategyOptions options, int stepsPerEpoch) {
        this.manager = parent.newSubManager();
        // NNI: 50 controller steps per epoch, gradients aggregated 20 at a time; fewer when an epoch has fewer batches.
        this.steps = Math.min(options.whole("controller-steps"), Math.max(1, stepsPerEpoch));
        this.aggregate = Math.min(options.whole("aggregate"), steps);
        this.entropyWeight = (float) options.number("entropy-weight");
        this.skipWeight = (float) options.number("skip-weight");
        this.baselineDecay = (float) options.number("baseline-decay");
        this.hidden = options.whole("lstm-size");
        this.tanhConstant = (float) options.number("tanh-constant");
        this.skipTarget = (float) options.number("skip-target");
        Set<String> seen = new LinkedHashSet<>();
        for (SearchSpace.NetworkNode n : space.network()) {
            boolean stepped = false;
            for (String key : n.keys()) {
                if (seen.add(key)) {
                    plan.add(new Plan(n.id(), space.decisions().get(key), n.inputs()));
                    stepped = true;
                }
            }
            if (!stepped) {
                plan.add(new Plan(n.id(), null, List.of()));
            }
        }
        param("lstm.w", 4 * hidden, hidden);
        param("lstm.u", 4 * hidden, hidden);
        param("lstm.b", 4 * hidden);
        param("start", 1, hidden);
        param("plain", 1, hidden);
        param("attn.anchor", hidden, hidden);
        param("attn.query", hidden, hidden);
        param("attn.v", hidden, 1);
        for (Decision d : space.decisions().values()) {
            int n = options(d);
            if (n > 0) {
                param("head." + d.key(), n, hidden);
                param("bias." + d.key(), n);
                param("emb." + d.key(), n, hidden);
            }
        }
        this.optimizer = Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) options.number("controller-lr")))
                .build();
    }

    private void param(String name, long... shape) {
        NDArray a = manager.randomUniform(-INIT, INIT, new Shape(shape), DataType.FLOAT32);
        a.setRequiresGradient(true);
        params.put(name, a);
    }

    /** How many options a layer, value or depth decision has (0 for input choices). */
    private static int options(Decision d) {
        if (d instanceof Decision.LayerChoice lc) {
            return lc.candidates().size();
        }
        if (d instanceof Decision.ValueChoice vc) {
            return vc.values().size();
        }
        if (d instanceof Decision.DepthChoice dc) {
            return dc.depths().size();
        }
        return 0;
    }

    private static Object option(Decision d, int i) {
        if (d instanceof Decision.LayerChoice lc) {
            return lc.candidates().get(i);
        }
        if (d instanceof Decision.ValueChoice vc) {
            return vc.values().get(i);
        }
        return ((Decision.DepthChoice) d).depths().get(i);
    }

    /**
     * Samples an architecture; the arrays it computes live in {@code step}. For training, call it
     * inside a gradient collector and use the returned log-probability, entropy and skip penalty.
     */
    Sample sample(Random random, NDManager step) {
        // Copies in the step's manager, so that nothing computed from the long-lived parameters piles up in theirs
        Map<String, NDArray> w = new HashMap<>();
        // (zeros + p: an engine copy would not carry the gradient; the result belongs to the first operand's manager).
        params.forEach((name, p) -> w.put(name, step.zeros(p.getShape()).add(p)));
        NDArray h = step.zeros(new Shape(1, hidden));
        NDArray c = step.zeros(new Shape(1, hidden));
        NDArray[] state = lstm(w, w.get("start"), h, c);
        h = state[0];
        c = state[1];
        Map<String, NDArray> anchors = new HashMap<>();
        anchors.put(SearchSpace.MODEL_INPUT, h);
        NDArray logProb = step.zeros(new Shape(1));
        NDArray entropy = step.zeros(new Shape(1));
        NDArray skipPenalty = step.zeros(new Shape(1));
        Map<String, Object> arch = new TreeMap<>();
        NDArray next = w.get("plain");
        for (Plan p : plan) {
            state = lstm(w, next, h, c);
            h = state[0];
            c = state[1];
            next = w.get("plain");
            if (p.decision() instanceof Decision.InputChoice ic) {
                List<NDArray> chosenAnchors = new ArrayList<>();
                NDList anchorList = new NDList();
                for (String id : p.inputIds()) {
                    anchorList.add(anchors.getOrDefault(id, anchors.get(SearchSpace.MODEL_INPUT)));
                }
                NDArray stacked = NDArrays.concat(anchorList);
                NDArray logits = stacked.matMul(w.get("attn.anchor")).add(h.matMul(w.get("attn.query"))).tanh()
                        .matMul(w.get("attn.v")).reshape(-1).tanh().mul(tanhConstant);
                List<String> chosen = new ArrayList<>();
                if (ic.nChosen() == null) {
                    // Per input: take it with probability sigmoid(logit); the penalty pulls P(take) towards skipTarget.
                    NDArray take = Activation.sigmoid(logits);
                    float[] pt = take.toFloatArray();
                    for (int k = 0; k < pt.length; k++) {
                        boolean yes = random.nextDouble() < pt[k];
                        NDArray pk = take.get(k);
                        NDArray q = pk.neg().add(1);
                        logProb = logProb.add((yes ? pk : q).add(1e-8f).log());
                        entropy = entropy.sub(pk.mul(pk.add(1e-8f).log()).add(q.mul(q.add(1e-8f).log())));
                        skipPenalty = skipPenalty.add(pk.mul(pk.div(skipTarget).add(1e-8f).log())
                                .add(q.mul(q.div(1 - skipTarget).add(1e-8f).log())));
                        if (yes) {
                            chosen.add(ic.from().get(k));
                            chosenAnchors.add(anchorList.get(k));
                        }
                    }
                } else {
                    boolean[] taken = new boolean[ic.from().size()];
                    for (int n = 0; n < ic.nChosen(); n++) {
                        NDArray mask = step.create(maskOf(taken));
                        NDArray logp = logits.add(mask).logSoftmax(0);
                        float[] pr = logp.exp().toFloatArray();
                        int k = Draw.index(pr, -1, random);
                        taken[k] = true;
                        logProb = logProb.add(logp.get(k));
                        entropy = entropy.sub(logp.exp().mul(logp).sum());
                    }
                    for (int k = 0; k < taken.length; k++) {
                        if (taken[k]) {
                            chosen.add(ic.from().get(k));
                            chosenAnchors.add(anchorList.get(k));
                        }
                    }
                }
                arch.put(ic.key(), chosen);
                if (!chosenAnchors.isEmpty()) {
                    next = NDArrays.concat(new NDList(chosenAnchors)).mean(new int[] {0}, true);
                }
            } else if (p.decision() != null) {
                Decision d = p.decision();
                NDArray logits = h.matMul(w.get("head." + d.key()).transpose()).reshape(-1).add(w.get("bias." + d.key()))
                        .tanh().mul(tanhConstant);
                NDArray logp = logits.logSoftmax(0);
                int k = Draw.index(logp.exp().toFloatArray(), -1, random);
                logProb = logProb.add(logp.get(k));
                entropy = entropy.sub(logp.exp().mul(logp).sum());
                arch.put(d.key(), option(d, k));
                next = w.get("emb." + d.key()).get(new NDIndex("{}:{}", k, k + 1));
            }
            anchors.put(p.nodeId(), h);
        }
        return new Sample(Architecture.of(arch), logProb, entropy, skipPenalty);
    }

    private static float[] maskOf(boolean[] taken) {
        float[] m = new float[taken.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = taken[i] ? -1e9f : 0f;
        }
        return m;
    }

    /** One LSTM step: the new hidden and cell states. */
    private NDArray[] lstm(Map<String, NDArray> w, NDArray x, NDArray h, NDArray c) {
        NDArray gates = x.matMul(w.get("lstm.w").transpose()).add(h.matMul(w.get("lstm.u").transpose())).add(w.get("lstm.b"));
        NDList parts = gates.split(4, 1);
        NDArray i = Activation.sigmoid(parts.get(0));
        NDArray f = Activation.sigmoid(parts.get(1));
        NDArray g = parts.get(2).tanh();
        NDArray o = Activation.sigmoid(parts.get(3));
        NDArray cell = f.mul(c).add(i.mul(g));
        return new NDArray[] {o.mul(cell.tanh()), cell};
    }

    /**
     * What the controller walks, for a twin written elsewhere (the step benchmark's): a first line
     * "lstm HIDDEN TANH-CONSTANT", then one line per step: "NODE layer N" (a decision of N options),
     * "NODE input ANY|N FROM..." (an input choice: any subset or N of its inputs) or "NODE plain".
     */
    List<String> describe() {
        List<String> out = new ArrayList<>(List.of("lstm " + hidden + " " + tanhConstant));
        for (Plan p : plan) {
            if (p.decision() instanceof Decision.InputChoice ic) {
                out.add(p.nodeId() + " input " + (ic.nChosen() == null ? "any" : ic.nChosen()) + " " + String.join(" ", p.inputIds()));
            } else {
                out.add(p.nodeId() + (p.decision() != null ? " layer " + options(p.decision()) : " plain"));
            }
        }
        return out;
    }

    /** Training steps per epoch. */
    int steps() {
        return steps;
    }

    /**
     * The REINFORCE loss of a sample whose path scored {@code accuracy}: the reward (accuracy plus
     * the entropy bonus) moves the baseline, then -(reward - baseline) log p + skip-weight x skip
     * penalty. Call inside the gradient collector the sample was drawn in.
     */
    NDArray reinforce(Sample sample, double accuracy) {
        double reward = accuracy + entropyWeight * sample.entropy().getFloat();
        baseline = baseline * baselineDecay + reward * (1 - baselineDecay);
        return sample.logProb().mul(-(reward - baseline)).add(sample.skipPenalty().mul(skipWeight));
    }

    /** After training step {@code step} of an epoch: every {@code aggregate} steps (and at the last), one update. */
    void stepDone(int step) {
        if (step % aggregate == 0 || step == steps) {
            update(step % aggregate == 0 ? aggregate : step % aggregate, 5f);
        }
    }

    /** One optimizer step on the accumulated gradients (scaled by 1/{@code steps}, clipped to norm {@code clip}); clears them. */
    private void update(int steps, float clip) {
        double squares = 0;
        for (NDArray p : params.values()) {
            try (NDArray g = p.getGradient(); NDArray sq = g.square(); NDArray s = sq.sum()) {
                squares += s.getFloat() / ((double) steps * steps);
            }
        }
        float scale = (float) (1.0 / steps * Math.min(1.0, clip / (Math.sqrt(squares) + 1e-6)));
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            try (NDArray g = e.getValue().getGradient(); NDArray scaled = g.mul(scale)) {
                optimizer.update("enas." + e.getKey(), e.getValue(), scaled);
                g.subi(g);
            }
        }
    }

    /** Writes the controller's parameters and baseline into {@code dir}. */
    void save(Path dir) throws IOException {
        NDList list = new NDList();
        params.values().forEach(list::add);
        Files.write(dir.resolve("controller.ndlist"), list.encode());
        Files.writeString(dir.resolve("controller.json"), "{\"baseline\": " + baseline + "}\n");
    }

    /** Reads what {@link #save} wrote. */
    void load(Path dir) throws IOException {
        baseline = com.google.gson.JsonParser.parseString(Files.readString(dir.resolve("controller.json"))).getAsJsonObject()
                .get("baseline").getAsDouble();
        try (InputStream in = Files.newInputStream(dir.resolve("controller.ndlist")); NDManager tmp = manager.newSubManager()) {
            NDList list = NDList.decode(tmp, in);
            int k = 0;
            for (NDArray a : params.values()) {
                Engines.copyInto(a, list.get(k++));
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}

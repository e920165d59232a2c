package org.nas4j.oneshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nas4j.search.StrategyOptions;
import org.nas4j.space.SearchSpace;
import org.nas4j.supernet.GraphBlock;

/**
 * DARTS (Liu et al., 2019): every candidate runs, weighted by a softmax over architecture weights
 * (one vector per key) kept outside the model with their own Adam. Each step is an architecture
 * step on a validation batch (the model frozen; first order, or the unrolled second-order step),
 * then a weight step on a training batch with the architecture weights held fixed.
 */
final class Darts extends LearnedChoice {
    private final Supernet net;
    private final Optimizer alphaOptimizer;
    private final boolean secondOrder;
    private final Tracker weightLr;
    private final float weightDecay;

    /** The weights' learning rate: cosine from lr to min-lr over the run's steps. */
    static Tracker learningRate(StrategyOptions o, int steps) {
        return Tracker.cosine().setBaseValue((float) o.number("lr")).optFinalValue((float) o.number("min-lr"))
                .setMaxUpdates(Math.max(1, steps)).build();
    }

    /** DARTS's weight optimizer: SGD with momentum and weight decay on the cosine schedule. */
    static Optimizer weights(StrategyOptions o, Tracker lr) {
        return Optimizer.sgd().setLearningRateTracker(lr).optMomentum((float) o.number("momentum"))
                .optWeightDecays((float) o.number("weight-decay")).build();
    }

    Darts(Supernet net, SearchSpace space, StrategyOptions o, Tracker weightLr) {
        super(net, space, false);
        this.net = net;
        this.weightLr = weightLr;
        this.weightDecay = (float) o.number("weight-decay");
        this.secondOrder = o.whole("order") == 2;
        this.alphaOptimizer = Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) o.number("arch-lr")))
                .optBeta1(0.5f).optBeta2(0.999f).optWeightDecays((float) o.number("arch-weight-decay")).build();
    }

    @Override
    public Supernet.Step step(NDList x, NDList y, Random random) throws TranslateException, IOException {
        try (Batch v = net.nextValidationBatch()) {
            return step(x, y, v.getData(), v.getLabels());
        }
    }

    /** One DARTS step: the architecture step on the validation batch, then the weight step. */
    Supernet.Step step(NDList x, NDList y, NDList validationX, NDList validationY) {
        GraphBlock graph = net.graph();
        try (NDManager stepManager = net.trainer().getManager().newSubManager()) {
            if (secondOrder) {
                unrolledArchitectureStep(x, y, validationX, validationY, stepManager);
            } else {
                try (GradientCollector gc = net.trainer().newGradientCollector()) {
                    // Inside the collector: the engine records operations (so the weights' gradient reaches the logits) only there.
                    graph.mix(alpha.weights(stepManager, true));
                    GraphBlock.freeze(graph, true);
                    gc.backward(net.loss().evaluate(validationY, net.trainer().forward(validationX)));
                }
                alpha.update(alphaOptimizer);
            }
            graph.mix(alpha.weights(stepManager, false));
            return net.weightStep(x, y);
        }
    }

    /**
     * DARTS's second-order architecture step: the gradient of the validation loss at the weights
     * after one virtual SGD step (w' = w - xi (dL_train/dw + wd w), xi the weights' learning
     * rate), minus xi times the Hessian-vector product, taken by finite differences at
     * w +- eps dL_val/dw' with eps = 0.01 / ||dL_val/dw'||. The weights end where they began.
     */
    private void unrolledArchitectureStep(NDList x, NDList y, NDList vx, NDList vy, NDManager stepManager) {
        GraphBlock graph = net.graph();
        List<Parameter> weights = graph.getParameters().values().stream()
                .filter(p -> p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR).toList();
        float xi = weightLr.getNewValue(net.updates());
        List<NDArray> backup = new ArrayList<>();
        for (Parameter p : weights) {
            NDArray b = p.getArray().duplicate();
            b.attach(stepManager);
            backup.add(b);
        }
        graph.mix(alpha.weights(stepManager, false));
        net.backward(x, y);
        for (Parameter p : weights) {
            try (NDArray g = p.getArray().getGradient(); NDArray decay = p.getArray().mul(weightDecay); NDArray step = g.add(decay)) {
                p.getArray().subi(step.muli(xi));
                g.subi(g);
            }
        }
        try (GradientCollector gc = net.trainer().newGradientCollector()) {
            graph.mix(alpha.weights(stepManager, true));
            gc.backward(net.loss().evaluate(vy, net.trainer().forward(vx)));
        }
        List<NDArray> dAlpha = alpha.takeGradients(stepManager);
        List<NDArray> dw = new ArrayList<>();
        double squares = 0;
        for (Parameter p : weights) {
            try (NDArray g = p.getArray().getGradient()) {
                NDArray copy = g.duplicate();
                copy.attach(stepManager);
                dw.add(copy);
                try (NDArray sq = g.square(); NDArray sum = sq.sum()) {
                    squares += sum.getFloat();
                }
                g.subi(g);
            }
        }
        float eps = (float) (0.01 / Math.max(Math.sqrt(squares), 1e-12));
        List<NDArray> plus = alphaGradientAt(weights, backup, dw, eps, x, y, stepManager);
        List<NDArray> minus = alphaGradientAt(weights, backup, dw, -eps, x, y, stepManager);
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i).getArray();
            w.subi(w).addi(backup.get(i));
        }
        List<NDArray> gradient = new ArrayList<>();
        for (int k = 0; k < dAlpha.size(); k++) {
            gradient.add(dAlpha.get(k).sub(plus.get(k).sub(minus.get(k)).div(2 * eps).mul(xi)));
        }
        alpha.apply(alphaOptimizer, gradient);
    }

    /** The training loss's gradient for the architecture weights at w = backup + eps * dw (the model frozen). */
    private List<NDArray> alphaGradientAt(List<Parameter> weights, List<NDArray> backup, List<NDArray> dw, float eps, NDList x, NDList y,
                                          NDManager stepManager) {
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i).getArray();
            try (NDArray shift = dw.get(i).mul(eps)) {
                w.subi(w).addi(backup.get(i)).addi(shift);
            }
        }
        try (GradientCollector gc = net.trainer().newGradientCollector()) {
            net.graph().mix(alpha.weights(stepManager, true));
            GraphBlock.freeze(net.graph(), true);
            gc.backward(net.loss().evaluate(y, net.trainer().forward(x)));
        }
        return alpha.takeGradients(stepManager);
    }
}

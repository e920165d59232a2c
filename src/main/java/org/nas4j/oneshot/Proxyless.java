package org.nas4j.oneshot;

import ai.djl.ndarray.NDList;
import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.Random;
import org.nas4j.search.StrategyOptions;
import org.nas4j.space.Sampler;
import org.nas4j.space.SearchSpace;

/**
 * ProxylessNAS (Cai et al., 2019): each training batch trains one path drawn from the
 * architecture weights (uniform paths during a warm-up); each architecture step, on a validation
 * batch, trains the weights through binary gates ({@link ProxylessGates}).
 */
final class Proxyless extends LearnedChoice {
    private final Supernet net;
    private final Sampler sampler;
    /** The gates (package-visible so the step benchmark can record their draws). */
    final ProxylessGates gates;
    /** Steps of plain uniform path sampling before the architecture weights learn. */
    private final int warmupSteps;

    Proxyless(Supernet net, SearchSpace space, StrategyOptions o, int epochs) {
        super(net, space, true);
        this.net = net;
        this.sampler = new Sampler(space);
        this.warmupSteps = (int) Math.round(o.number("warmup") * epochs * net.stepsPerEpoch());
        // ProxylessNAS's architecture optimizer: Adam 1e-3, betas (0, 0.999), no weight decay.
        Optimizer alphaOptimizer = Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) o.number("arch-lr")))
                .optBeta1(0f).optBeta2(0.999f).optWeightDecays((float) o.number("arch-weight-decay")).build();
        // Candidates' parameters are counted now, before any step freezes some of them.
        this.gates = new ProxylessGates(alpha, alphaOptimizer, net.trainer(), net.graph(), net.loss(), sampler,
                (float) o.number("cost-weight"), net.graph().candidateParameters());
    }

    @Override
    public Supernet.Step step(NDList x, NDList y, Random random) throws TranslateException, IOException {
        if (net.updates() < warmupSteps) {
            return net.pathStep(sampler.random(random), x, y);
        }
        try (Batch v = net.nextValidationBatch()) {
            return step(x, y, v.getData(), v.getLabels(), random);
        }
    }

    /** After the warm-up: the architecture step through the gates on the validation batch, then a path drawn from the weights trains. */
    Supernet.Step step(NDList x, NDList y, NDList validationX, NDList validationY, Random random) {
        gates.step(validationX, validationY, random);
        return net.pathStep(gates.drawPath(random), x, y);
    }
}

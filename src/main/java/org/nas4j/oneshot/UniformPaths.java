package org.nas4j.oneshot;

import ai.djl.ndarray.NDList;
import java.util.Random;
import java.util.function.Predicate;
import org.nas4j.search.Strategies;
import org.nas4j.search.Strategy;
import org.nas4j.search.StrategyInfo;
import org.nas4j.search.StrategyOptions;
import org.nas4j.space.Architecture;
import org.nas4j.space.Sampler;
import org.nas4j.space.SearchSpace;

/**
 * SPOS and random one-shot (Guo et al., 2020; Li and Talwalkar, 2019): one uniformly drawn path
 * per batch, then paths scored with the shared weights, proposed by SPOS's evolution or at random.
 */
final class UniformPaths implements OneShotAlgorithm {
    private final Supernet net;
    private final Sampler sampler;
    private final SearchSpace space;
    private final StrategyInfo info;
    private final StrategyOptions options;

    UniformPaths(Supernet net, SearchSpace space, StrategyInfo info, StrategyOptions options) {
        this.net = net;
        this.space = space;
        this.sampler = new Sampler(space);
        this.info = info;
        this.options = options;
    }

    @Override
    public Supernet.Step step(NDList x, NDList y, Random random) {
        return net.pathStep(sampler.random(random), x, y);
    }

    @Override
    public Strategy pathSearch(long seed, Predicate<Architecture> admissible) {
        return Strategies.create(info, options, space, seed, admissible, java.util.List.of());
    }
}

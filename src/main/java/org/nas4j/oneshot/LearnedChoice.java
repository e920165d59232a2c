package org.nas4j.oneshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import org.nas4j.search.Strategy;
import org.nas4j.space.Architecture;
import org.nas4j.space.SearchSpace;

/**
 * An algorithm that learns architecture weights beside the supernet's (DARTS, ProxylessNAS):
 * its choice is read off them, its checkpoint keeps them, and no paths are scored afterwards.
 */
abstract class LearnedChoice implements OneShotAlgorithm {
    /** The architecture weights. */
    protected final ArchWeights alpha;
    private final SearchSpace space;

    /** Weights over {@code space}'s decisions (with a gate per input of an input choice when {@code inputGates}). */
    LearnedChoice(Supernet net, SearchSpace space, boolean inputGates) {
        this.space = space;
        this.alpha = new ArchWeights(space, net.trainer().getManager(), inputGates);
    }

    @Override
    public Map<String, Map<String, Double>> probabilities() {
        return alpha.probabilities();
    }

    @Override
    public Architecture chosen() {
        return alpha.derive(space);
    }

    @Override
    public Strategy pathSearch(long seed, Predicate<Architecture> admissible) {
        return null;
    }

    @Override
    public void save(Path folder) throws IOException {
        alpha.save(folder.resolve("alpha.ndlist"));
    }

    @Override
    public void load(Path folder) throws IOException {
        alpha.load(folder.resolve("alpha.ndlist"));
    }

    @Override
    public void close() {
        alpha.close();
    }
}

package org.nas4j.search;

import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.nas4j.space.Architecture;
import org.nas4j.space.Sampler;

/** Uniform random search; by default never proposes the same architecture twice. */
final class RandomStrategy implements Strategy {
    /** Its description. */
    static final StrategyInfo INFO = new StrategyInfo("random", false, "uniform draws",
            List.of(StrategyOption.flag("dedup", true, "never the same architecture twice")), 20);

    /** Draws tried before a small space is walked for what is left (a large one then counts as exhausted). */
    private static final int MAX_DRAWS = 10_000;

    private final Sampler sampler;
    private final Random random;
    private final Unseen unseen;

    RandomStrategy(Sampler sampler, long seed, Predicate<Architecture> admissible, boolean dedup) {
        this.sampler = sampler;
        this.random = new Random(seed);
        this.unseen = new Unseen(admissible, dedup);
    }

    @Override
    public Architecture propose() {
        Architecture arch = sampler.fitting(random, MAX_DRAWS, unseen::fits);
        if (arch != null) {
            unseen.saw(arch);
        }
        return arch;
    }

    @Override
    public void report(Architecture architecture, double score) {
        unseen.saw(architecture);
    }
}

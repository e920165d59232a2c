package org.nas4j.search;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
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
    private final Predicate<Map<String, Object>> admissible;
    private final boolean dedup;
    private final Set<String> seen = new HashSet<>();

    RandomStrategy(Sampler sampler, long seed, Predicate<Map<String, Object>> admissible, boolean dedup) {
        this.sampler = sampler;
        this.random = new Random(seed);
        this.admissible = admissible;
        this.dedup = dedup;
    }

    @Override
    public Map<String, Object> propose() {
        Map<String, Object> arch = sampler.fitting(random, MAX_DRAWS, a -> admissible.test(a) && (!dedup || !seen.contains(a.toString())));
        if (arch != null) {
            seen.add(arch.toString());
        }
        return arch;
    }

    @Override
    public void report(Map<String, Object> architecture, double score) {
        seen.add(architecture.toString());
    }
}

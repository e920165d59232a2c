package org.nas4j.search;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.nas4j.space.Architecture;
import org.nas4j.space.Sampler;

/**
 * Regularized evolution (Real et al., 2019): a population of the most recent trials; each new
 * architecture mutates the best of a random sample of it; the oldest member leaves as a new one
 * joins. NNI's population 100 / sample 25 stays random for its first 100 trials; the defaults
 * here (20 / 5) start evolving after 20, which suits budgets of 50 to 500 trials.
 */
final class EvolutionStrategy implements Strategy {
    /** Its description. */
    static final StrategyInfo INFO = new StrategyInfo("evolution", false,
            "regularized evolution: mutate the best of a random sample of the most recent trials",
            List.of(StrategyOption.whole("population", 20, "the most recent trials that parents are sampled from"),
                    StrategyOption.whole("sample", 5, "trials sampled to pick each parent (at most population)")),
            o -> {
                if (o.whole("sample") > o.whole("population")) {
                    throw new IllegalArgumentException("evolution: sample (" + o.whole("sample") + ") cannot exceed population ("
                            + o.whole("population") + ")");
                }
            }, 20);

    private static final int MAX_TRIES = 1_000;

    private record Member(Architecture architecture, double score) { }

    private final Sampler sampler;
    private final Random random;
    private final Unseen unseen;
    private final int populationSize;
    private final int sampleSize;
    private final Deque<Member> population = new ArrayDeque<>();

    EvolutionStrategy(Sampler sampler, long seed, Predicate<Architecture> admissible, int populationSize, int sampleSize) {
        this.sampler = sampler;
        this.random = new Random(seed);
        this.unseen = new Unseen(admissible, true);
        this.populationSize = populationSize;
        this.sampleSize = sampleSize;
    }

    @Override
    public Architecture propose() {
        return unseen.first(MAX_TRIES, () -> population.size() < populationSize ? sampler.random(random) : sampler.mutate(parent(), random));
    }

    /** The best of a uniform sample of the population (failed trials never win). */
    private Architecture parent() {
        List<Member> members = new ArrayList<>(population);
        Member best = null;
        for (int i = 0; i < sampleSize; i++) {
            Member m = members.get(random.nextInt(members.size()));
            if (best == null || m.score() > best.score() || Double.isNaN(best.score())) {
                best = m;
            }
        }
        return best.architecture();
    }

    @Override
    public void report(Architecture architecture, double score) {
        unseen.saw(architecture);
        population.addLast(new Member(architecture, score));
        if (population.size() > populationSize) {
            population.removeFirst();
        }
    }
}

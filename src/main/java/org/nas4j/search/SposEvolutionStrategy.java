package org.nas4j.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.nas4j.space.Architecture;
import org.nas4j.space.Decision;
import org.nas4j.space.Sampler;
import org.nas4j.space.SearchSpace;

/**
 * SPOS's evolution over paths (Guo et al., 2020): a random first population, then children bred
 * from the top-k paths scored so far, alternately by mutation (each decision redrawn with a
 * probability, at least one changed) and by uniform crossover of two parents.
 * NNI's defaults (population 50, 20 generations: ~1,000 evaluations) suit a GPU; here a
 * population of 10 and the run's trial budget (40 by default: 4 generations) suit a CPU.
 */
final class SposEvolutionStrategy implements Strategy {
    private static final int MAX_TRIES = 1_000;

    private record Scored(Architecture architecture, double score) { }

    private final SearchSpace space;
    private final Sampler sampler;
    private final Random random;
    private final Unseen unseen;
    private final int population;
    private final int topK;
    private final double mutationProbability;
    private final List<Scored> scored = new ArrayList<>();
    private int proposed;

    SposEvolutionStrategy(SearchSpace space, long seed, Predicate<Architecture> admissible, int population, int topK,
                          double mutationProbability, boolean dedup) {
        this.space = space;
        this.sampler = new Sampler(space);
        this.random = new Random(seed);
        this.unseen = new Unseen(admissible, dedup);
        this.population = population;
        this.topK = topK;
        this.mutationProbability = mutationProbability;
    }

    @Override
    public Architecture propose() {
        Architecture arch = unseen.first(MAX_TRIES, this::breed);
        if (arch == null) {
            // Breeding keeps giving paths already scored (the top-k's neighbourhood is used up): a new one at random, while any is left.
            arch = sampler.fitting(random, MAX_TRIES, unseen::fits);
            if (arch != null) {
                unseen.saw(arch);
            }
        }
        if (arch != null) {
            proposed++;
        }
        return arch;
    }

    /** A random path for the first population, then alternately a mutation and a crossover of the top-k. */
    private Architecture breed() {
        List<Scored> parents = topK();
        if (proposed < population || parents.isEmpty()) {
            return sampler.random(random);
        }
        return proposed % 2 == 0 || parents.size() < 2 ? mutate(pick(parents)) : crossover(pick(parents), pick(parents));
    }

    private List<Scored> topK() {
        return scored.stream().filter(s -> !Double.isNaN(s.score())).sorted(Comparator.comparingDouble(Scored::score).reversed())
                .limit(topK).toList();
    }

    private Architecture pick(List<Scored> parents) {
        return parents.get(random.nextInt(parents.size())).architecture();
    }

    private Architecture mutate(Architecture parent) {
        Architecture child = parent;
        boolean changed = false;
        for (Decision d : space.decisions().values()) {
            if (random.nextDouble() < mutationProbability) {
                Object v = Sampler.randomValue(d, random);
                changed |= !v.equals(parent.get(d.key()));
                child = child.with(d.key(), v);
            }
        }
        return changed ? child : sampler.mutate(parent, random);
    }

    private Architecture crossover(Architecture a, Architecture b) {
        Map<String, Object> child = new TreeMap<>();
        for (String key : space.decisions().keySet()) {
            child.put(key, random.nextBoolean() ? a.get(key) : b.get(key));
        }
        return Architecture.of(child);
    }

    @Override
    public void report(Architecture architecture, double score) {
        unseen.saw(architecture);
        scored.add(new Scored(architecture, score));
    }
}

package org.nas4j.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
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

    private record Scored(Map<String, Object> architecture, double score) { }

    private final SearchSpace space;
    private final Sampler sampler;
    private final Random random;
    private final Predicate<Map<String, Object>> admissible;
    private final int population;
    private final int topK;
    private final double mutationProbability;
    private final boolean dedup;
    private final List<Scored> scored = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private int proposed;

    SposEvolutionStrategy(SearchSpace space, long seed, Predicate<Map<String, Object>> admissible, int population, int topK,
                          double mutationProbability, boolean dedup) {
        this.space = space;
        this.sampler = new Sampler(space);
        this.random = new Random(seed);
        this.admissible = admissible;
        this.population = population;
        this.topK = topK;
        this.mutationProbability = mutationProbability;
        this.dedup = dedup;
    }

    @Override
    public Map<String, Object> propose() {
        for (int i = 0; i < MAX_TRIES; i++) {
            Map<String, Object> arch;
            List<Scored> parents = topK();
            if (proposed < population || parents.isEmpty()) {
                arch = sampler.random(random);
            } else {
                arch = proposed % 2 == 0 || parents.size() < 2 ? mutate(pick(parents)) : crossover(pick(parents), pick(parents));
            }
            if (fits(arch)) {
                return accept(arch);
            }
        }
        // Breeding keeps giving paths already scored (the top-k's neighbourhood is used up): a new one at random, while any is left.
        Map<String, Object> arch = sampler.fitting(random, MAX_TRIES, this::fits);
        return arch == null ? null : accept(arch);
    }

    private boolean fits(Map<String, Object> arch) {
        return admissible.test(arch) && (!dedup || !seen.contains(arch.toString()));
    }

    private Map<String, Object> accept(Map<String, Object> arch) {
        seen.add(arch.toString());
        proposed++;
        return arch;
    }

    private List<Scored> topK() {
        return scored.stream().filter(s -> !Double.isNaN(s.score())).sorted(Comparator.comparingDouble(Scored::score).reversed())
                .limit(topK).toList();
    }

    private Map<String, Object> pick(List<Scored> parents) {
        return parents.get(random.nextInt(parents.size())).architecture();
    }

    private Map<String, Object> mutate(Map<String, Object> parent) {
        Map<String, Object> child = new TreeMap<>(parent);
        boolean changed = false;
        for (Decision d : space.decisions().values()) {
            if (random.nextDouble() < mutationProbability) {
                Object v = Sampler.randomValue(d, random);
                changed |= !v.equals(parent.get(d.key()));
                child.put(d.key(), v);
            }
        }
        return changed ? child : sampler.mutate(parent, random);
    }

    private Map<String, Object> crossover(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> child = new TreeMap<>();
        for (String key : space.decisions().keySet()) {
            child.put(key, random.nextBoolean() ? a.get(key) : b.get(key));
        }
        return child;
    }

    @Override
    public void report(Map<String, Object> architecture, double score) {
        seen.add(architecture.toString());
        scored.add(new Scored(architecture, score));
    }
}

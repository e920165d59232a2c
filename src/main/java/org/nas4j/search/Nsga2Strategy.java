package org.nas4j.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.nas4j.space.Architecture;
import org.nas4j.space.Sampler;

/**
 * NSGA-II (Deb et al., 2002) over search.objectives, one child at a time: the first
 * {@code population} trials are random; after that the parents are the best {@code population}
 * trials by front, then by crowding distance (elitist: the whole history competes), two are
 * picked by binary tournament, their decisions mixed (uniform crossover) and one decision
 * mutated, as evolution mutates.
 */
final class Nsga2Strategy implements Strategy {
    /** Its description. */
    static final StrategyInfo INFO = new StrategyInfo("nsga2", false,
            "NSGA-II: Pareto search over search.objectives (non-dominated sorting, crowding distance, crossover and mutation)",
            List.of(StrategyOption.whole("population", 20, "the parents: the best trials by front, then crowding"),
                    StrategyOption.fraction("crossover", 0.9, "probability that a child mixes two parents' decisions")), 50);

    private static final int MAX_TRIES = 1_000;

    private record Member(Architecture architecture, double[] point) { }

    private final Sampler sampler;
    private final Random random;
    private final Unseen unseen;
    private final List<Objective> objectives;
    private final int populationSize;
    private final double crossover;
    private final List<Member> members = new ArrayList<>();
    private int heard;

    Nsga2Strategy(Sampler sampler, long seed, Predicate<Architecture> admissible, List<Objective> objectives, int populationSize,
                  double crossover) {
        if (objectives.size() < 2) {
            throw new IllegalArgumentException("nsga2 needs search.objectives with at least two metrics, e.g. "
                    + "[{metric: accuracy, goal: max}, {metric: params, goal: min}]");
        }
        this.sampler = sampler;
        this.random = new Random(seed);
        this.unseen = new Unseen(admissible, true);
        this.objectives = objectives;
        this.populationSize = populationSize;
        this.crossover = crossover;
    }

    @Override
    public Architecture propose() {
        if (heard < populationSize || members.size() < 2) {
            return unseen.first(MAX_TRIES, () -> sampler.random(random));
        }
        List<Ranked> parents = parents();
        return unseen.first(MAX_TRIES, () -> {
            Architecture a = tournament(parents);
            Architecture child = random.nextDouble() < crossover ? mix(a, tournament(parents)) : a;
            return sampler.mutate(child, random);
        });
    }

    /** A trial among the parents with its front and crowding distance. */
    private record Ranked(Architecture architecture, int front, double crowding) { }

    /** The best {@code population} trials: whole fronts in order, the last one cut by crowding distance. */
    private List<Ranked> parents() {
        List<double[]> points = members.stream().map(Member::point).toList();
        List<Ranked> out = new ArrayList<>();
        List<List<Integer>> fronts = Pareto.fronts(points);
        for (int f = 0; f < fronts.size() && out.size() < populationSize; f++) {
            List<Integer> front = fronts.get(f);
            double[] crowding = Pareto.crowding(points, front);
            List<Ranked> ranked = new ArrayList<>();
            for (int i = 0; i < front.size(); i++) {
                ranked.add(new Ranked(members.get(front.get(i)).architecture(), f, crowding[i]));
            }
            ranked.sort((x, y) -> Double.compare(y.crowding(), x.crowding()));
            out.addAll(ranked.subList(0, Math.min(ranked.size(), populationSize - out.size())));
        }
        return out;
    }

    /** The better of two parents drawn at random: the lower front, then the larger crowding distance. */
    private Architecture tournament(List<Ranked> parents) {
        Ranked a = parents.get(random.nextInt(parents.size()));
        Ranked b = parents.get(random.nextInt(parents.size()));
        boolean first = a.front() != b.front() ? a.front() < b.front() : a.crowding() >= b.crowding();
        return (first ? a : b).architecture();
    }

    /** Each decision from one parent or the other. */
    private Architecture mix(Architecture a, Architecture b) {
        Map<String, Object> child = new HashMap<>();
        for (String key : a.keys()) {
            child.put(key, random.nextBoolean() ? a.get(key) : b.get(key));
        }
        return Architecture.of(child);
    }

    @Override
    public void report(Architecture architecture, double score) {
        report(architecture, score, Map.of());
    }

    @Override
    public void report(Architecture architecture, double score, Map<String, Object> metrics) {
        unseen.saw(architecture);
        heard++;
        double[] point = Objective.point(objectives, metrics, score);
        if (point != null) {
            members.add(new Member(architecture, point));
        }
    }
}

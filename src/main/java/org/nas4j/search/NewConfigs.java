package org.nas4j.search;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.nas4j.space.Architecture;
import org.nas4j.space.SearchSpace;

/**
 * Where a multi-fidelity strategy's new configurations come from: uniform draws (Hyperband,
 * ASHA), or BOHB's model: a TPE per budget, fitted on that budget's results, drawn from at the
 * largest budget that has enough of them (Falkner et al., 2018), with a share of uniform draws
 * kept so the model cannot shut parts of the space out.
 */
abstract class NewConfigs {
    /** A new admissible architecture not drawn before, or null when none is left. */
    abstract Architecture draw();

    /** A finished trial: its architecture, budget and score (NaN when it failed). */
    void heard(Architecture architecture, int budget, double score) {
    }

    /** Uniform draws without repeats. */
    static NewConfigs uniform(SearchSpace space, long seed, Predicate<Architecture> admissible) {
        RandomStrategy random = new RandomStrategy(new org.nas4j.space.Sampler(space), seed, admissible, true);
        return new NewConfigs() {
            @Override
            Architecture draw() {
                return random.propose();
            }
        };
    }

    /** BOHB's: {@code randomShare} of draws uniform, the rest from the TPE of the largest budget with enough results. */
    static NewConfigs bohb(SearchSpace space, long seed, Predicate<Architecture> admissible, StrategyOptions o) {
        return new Bohb(space, seed, admissible, o);
    }

    private static final class Bohb extends NewConfigs {
        private final SearchSpace space;
        private final long seed;
        private final Predicate<Architecture> admissible;
        private final StrategyOptions options;
        private final RandomStrategy uniform;
        private final Random coin;
        /** BOHB's N_min: a budget's model proposes once it has heard one more result than there are decisions. */
        private final int enough;
        private final Map<Integer, TpeStrategy> models = new HashMap<>();
        private final Map<Integer, Integer> results = new HashMap<>();
        private final java.util.Set<Architecture> drawn = new java.util.HashSet<>();

        Bohb(SearchSpace space, long seed, Predicate<Architecture> admissible, StrategyOptions o) {
            this.space = space;
            this.seed = seed;
            this.admissible = admissible;
            this.options = o;
            this.uniform = new RandomStrategy(new org.nas4j.space.Sampler(space), seed, admissible, true);
            this.coin = new Random(seed ^ 0x5DEECE66DL);
            this.enough = space.decisions().size() + 1;
        }

        @Override
        Architecture draw() {
            int budget = results.entrySet().stream().filter(e -> e.getValue() >= enough).mapToInt(Map.Entry::getKey).max().orElse(-1);
            Architecture a = null;
            if (budget >= 0 && coin.nextDouble() >= options.number("random-fraction")) {
                a = models.get(budget).propose();
                if (a != null && drawn.contains(a)) {
                    a = null; // the model repeats itself: draw uniformly instead
                }
            }
            if (a == null) {
                do {
                    a = uniform.propose();
                } while (a != null && drawn.contains(a));
            }
            if (a != null) {
                drawn.add(a);
                uniform.report(a, Double.NaN);
            }
            return a;
        }

        @Override
        void heard(Architecture architecture, int budget, double score) {
            models.computeIfAbsent(budget, b -> new TpeStrategy(space, seed + b, admissible, enough, options.whole("candidates"),
                    options.number("gamma"))).report(architecture, score);
            results.merge(budget, 1, Integer::sum);
        }
    }
}

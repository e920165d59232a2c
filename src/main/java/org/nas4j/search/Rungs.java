package org.nas4j.search;

import java.util.ArrayList;
import java.util.List;

/**
 * The budgets (epochs) of successive halving, lowest first: max-budget, max-budget/eta,
 * max-budget/eta^2, ... (rounded) down to min-budget, so the last rung always trains as long as
 * the user asked. Hyperband's brackets and ASHA's rungs both climb this ladder.
 */
record Rungs(List<Integer> budgets, int eta) {

    /** The options every multi-fidelity strategy takes. */
    static List<StrategyOption> options() {
        return List.of(StrategyOption.whole("min-budget", 1, 1, 100_000, "the fewest epochs a trial trains (the lowest rung)"),
                StrategyOption.whole("max-budget", 9, 1, 100_000, "the most epochs a trial trains (the highest rung)"),
                StrategyOption.whole("eta", 3, 2, 100, "each rung keeps the best 1/eta of its trials and trains them eta times longer"));
    }

    /** The check across those options. */
    static void check(StrategyOptions o) {
        if (o.whole("max-budget") < o.whole("min-budget")) {
            throw new IllegalArgumentException("max-budget (" + o.whole("max-budget") + ") must be at least min-budget ("
                    + o.whole("min-budget") + ")");
        }
    }

    /** The ladder of {@code o}'s min-budget, max-budget and eta. */
    static Rungs of(StrategyOptions o) {
        int min = o.whole("min-budget");
        int eta = o.whole("eta");
        List<Integer> down = new ArrayList<>();
        for (double b = o.whole("max-budget"); Math.round(b) >= min; b /= eta) {
            int r = (int) Math.round(b);
            if (down.isEmpty() || down.get(down.size() - 1) != r) {
                down.add(r);
            }
        }
        java.util.Collections.reverse(down);
        return new Rungs(List.copyOf(down), eta);
    }

    /** How many rungs there are. */
    int size() {
        return budgets.size();
    }

    /** The rung of {@code budget}, or -1 when it is none of them. */
    int indexOf(Integer budget) {
        return budget == null ? -1 : budgets.indexOf(budget);
    }

    /** How many of {@code n} finished trials a rung promotes: the best floor(n / eta). */
    int promoted(int n) {
        return n / eta;
    }
}

package org.nas4j.search;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nas4j.space.Architecture;

/**
 * Asynchronous successive halving (Li et al., MLSys 2020): whenever a worker is free, promote a
 * configuration that is among the best 1/eta of the results of its rung and not promoted yet,
 * from the highest rung down; if there is none, start a new configuration at the lowest rung.
 * No rung waits for another's results, so {@code --parallel N} workers never sit idle.
 */
final class AshaStrategy implements BudgetedStrategy {
    /** Its description. */
    static final StrategyInfo INFO = new StrategyInfo("asha", false,
            "asynchronous successive halving: a child among the best 1/eta of its rung goes up a rung as soon as it is",
            Rungs.options(), Rungs::check, 30);

    /** A finished trial of a rung. */
    private record Result(Architecture architecture, double score) { }

    private final Rungs rungs;
    private final NewConfigs configs;
    /**
     * Each rung's results ranked as they are heard (the best first, a failed trial last, ties to
     * the earlier), so a proposal reads its candidates off the top without sorting; and the
     * configurations each rung promoted.
     */
    private final List<List<Result>> done = new ArrayList<>();
    private final List<Set<Architecture>> promoted = new ArrayList<>();
    /** Trials proposed and not heard yet (a strategy out of new configurations waits for them). */
    private int pending;

    AshaStrategy(Rungs rungs, NewConfigs configs) {
        this.rungs = rungs;
        this.configs = configs;
        for (int k = 0; k < rungs.size(); k++) {
            done.add(new ArrayList<>());
            promoted.add(new HashSet<>());
        }
    }

    @Override
    public Proposal next() {
        for (int k = rungs.size() - 2; k >= 0; k--) {
            List<Result> ranked = done.get(k);
            for (Result r : ranked.subList(0, rungs.promoted(ranked.size()))) {
                if (!Double.isNaN(r.score()) && promoted.get(k).add(r.architecture())) {
                    pending++;
                    return new Proposal(r.architecture(), rungs.budgets().get(k + 1));
                }
            }
        }
        Architecture fresh = configs.draw();
        if (fresh == null) {
            return pending > 0 ? Proposal.WAIT : null;
        }
        pending++;
        return new Proposal(fresh, rungs.budgets().get(0));
    }

    @Override
    public void report(Architecture architecture, double score, Map<String, Object> metrics) {
        int k = rungs.indexOf(Proposal.budgetOf(metrics));
        pending = Math.max(0, pending - 1);
        if (k >= 0) {
            List<Result> rung = done.get(k);
            double s = BudgetedStrategy.rankable(score);
            int at = rung.size();
            while (at > 0 && BudgetedStrategy.rankable(rung.get(at - 1).score()) < s) {
                at--; // after every result at least as good: ties stay in the order heard
            }
            rung.add(at, new Result(architecture, score));
            configs.heard(architecture, rungs.budgets().get(k), score);
        }
    }
}

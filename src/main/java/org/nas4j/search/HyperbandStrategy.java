package org.nas4j.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nas4j.space.Architecture;

/**
 * Hyperband (Li et al., JMLR 2018): brackets of successive halving, from many configurations at
 * the lowest budget to a few at the highest. Bracket s (s_max down to 0, then again) starts
 * ceil((s_max+1)/(s+1) * eta^s) new configurations at rung s_max-s; each rung trains its
 * configurations, keeps the best 1/eta and trains them on the next rung, up to max-budget. A rung
 * is synchronous: with trials running in parallel, the next rung waits for the last result.
 * BOHB is this strategy with its new configurations drawn from a model ({@link NewConfigs#bohb}).
 */
final class HyperbandStrategy implements BudgetedStrategy {
    /** Its description. */
    static final StrategyInfo INFO = new StrategyInfo("hyperband", false,
            "brackets of successive halving: many children trained briefly, the best 1/eta trained eta times longer",
            Rungs.options(), Rungs::check, 22);

    /** BOHB's description. */
    static final StrategyInfo BOHB = new StrategyInfo("bohb", false,
            "hyperband whose new children come from a TPE fitted per budget (the largest budget with enough results)",
            join(Rungs.options(), List.of(
                    StrategyOption.fraction("random-fraction", 1.0 / 3, "the share of new children drawn uniformly instead of from the model"),
                    StrategyOption.whole("candidates", 64, "draws from the good model, the best of which is proposed"),
                    StrategyOption.fraction("gamma", 0.15, "the share of a budget's results counted as good"))), Rungs::check, 22);

    private final Rungs rungs;
    private final NewConfigs configs;
    /** The bracket's s (its rungs are rungs.size()-1-s to the last); counts down and starts over. */
    private int s = -1;
    /** The current rung's index into the ladder, its configurations, how many were proposed, and the results heard. */
    private int rung;
    private List<Architecture> members = List.of();
    private int issued;
    private final Map<Architecture, Double> results = new LinkedHashMap<>();
    private boolean exhausted;

    HyperbandStrategy(Rungs rungs, NewConfigs configs) {
        this.rungs = rungs;
        this.configs = configs;
    }

    private static List<StrategyOption> join(List<StrategyOption> a, List<StrategyOption> b) {
        List<StrategyOption> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    @Override
    public Proposal next() {
        while (true) {
            if (issued < members.size()) {
                return new Proposal(members.get(issued++), rungs.budgets().get(rung));
            }
            if (results.size() < members.size()) {
                return Proposal.WAIT;
            }
            if (!members.isEmpty() && rung < rungs.size() - 1 && rungs.promoted(members.size()) > 0) {
                // The best 1/eta go up a rung; a failed trial (NaN) ranks last, ties go to the earlier.
                List<Architecture> ranked = new ArrayList<>(results.keySet());
                ranked.sort(Comparator.comparingDouble((Architecture a) -> BudgetedStrategy.rankable(results.get(a))).reversed());
                members = List.copyOf(ranked.subList(0, rungs.promoted(members.size())));
                rung++;
            } else if (!startBracket()) {
                return null;
            }
            issued = 0;
            results.clear();
        }
    }

    /** Starts the next bracket with its new configurations; false when the space has none left. */
    private boolean startBracket() {
        if (exhausted) {
            return false;
        }
        int sMax = rungs.size() - 1;
        s = s <= 0 ? sMax : s - 1;
        int n = (int) Math.ceil((sMax + 1) / (double) (s + 1) * Math.pow(rungs.eta(), s));
        List<Architecture> fresh = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Architecture a = configs.draw();
            if (a == null) {
                exhausted = true;
                break;
            }
            fresh.add(a);
        }
        members = List.copyOf(fresh);
        rung = sMax - s;
        return !members.isEmpty();
    }

    @Override
    public void report(Architecture architecture, double score, Map<String, Object> metrics) {
        Integer budget = Proposal.budgetOf(metrics);
        if (budget != null) {
            configs.heard(architecture, budget, score);
        }
        if (budget != null && budget.equals(rungs.budgets().get(rung)) && members.contains(architecture)) {
            results.put(architecture, score);
        }
    }
}

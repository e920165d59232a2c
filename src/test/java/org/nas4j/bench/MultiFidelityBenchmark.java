package org.nas4j.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nas4j.search.Proposal;
import org.nas4j.search.Strategies;
import org.nas4j.search.Strategy;
import org.nas4j.search.TableEvaluator;
import org.nas4j.spec.SpecLoader;

/**
 * Hyperband, BOHB and ASHA against random search with full budgets, at equal total budgets in
 * epochs, on the generated curve table (specs/curve-bench.yaml): each strategy trains until the
 * next trial would pass the budget, then recommends the child with the best score among those
 * trained at the highest budget it reached; the figure is that child's true accuracy after 27
 * epochs (the table's last value), mean and standard deviation over seeds, and how often each
 * beats random. Run by scripts/bench/multi-fidelity.sh; not a test.
 */
public final class MultiFidelityBenchmark {
    private static final int[] TOTALS = {270, 810, 1539};
    private static final int MAX = 27;

    private MultiFidelityBenchmark() {
    }

    /** Args: first seed, number of seeds. */
    public static void main(String[] args) throws Exception {
        int firstSeed = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        var c = SpecLoader.load(Path.of("specs/curve-bench.yaml"));
        TableEvaluator table = new TableEvaluator(Path.of("specs/tables/curve-bench.json"), c.spec().search().evaluator().key(),
                "val_acc");
        int[] early = {1, 3, 9};
        double[][] at = new double[early.length + 1][729];
        for (int i = 0; i < 729; i++) {
            org.nas4j.space.Architecture a = new org.nas4j.space.Sampler(c.space()).at(java.math.BigInteger.valueOf(i));
            for (int e = 0; e < early.length; e++) {
                at[e][i] = table.evaluate(a, early[e]).score();
            }
            at[early.length][i] = table.evaluate(a, MAX).score();
        }
        double best = Arrays.stream(at[early.length]).max().orElseThrow();
        System.out.printf(Locale.ROOT, "curve-bench: 729 children, best final accuracy %.4f; seeds %d..%d; budgets in epochs%n", best,
                firstSeed, firstSeed + seeds - 1);
        for (int e = 0; e < early.length; e++) {
            System.out.printf(Locale.ROOT, "  ranking after %d epochs against the final one: Spearman %.3f%n", early[e],
                    LatencyPredictionBenchmark.spearman(at[e], at[early.length]));
        }
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-10s", "strategy"));
        for (int total : TOTALS) {
            head.append(String.format(Locale.ROOT, " %26s", "final acc @" + total + " (wins)"));
        }
        System.out.println(head);
        double[][][] all = new double[4][TOTALS.length][seeds];
        List<String> names = List.of("random", "hyperband", "bohb", "asha");
        for (int n = 0; n < names.size(); n++) {
            for (int t = 0; t < TOTALS.length; t++) {
                for (int s = 0; s < seeds; s++) {
                    all[n][t][s] = run(names.get(n), c, table, firstSeed + s, TOTALS[t]);
                }
            }
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-10s", names.get(n)));
            for (int t = 0; t < TOTALS.length; t++) {
                double[] v = all[n][t];
                double mean = Arrays.stream(v).average().orElseThrow();
                double sd = Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1));
                int wins = 0;
                for (int s = 0; s < seeds; s++) {
                    wins += v[s] > all[0][t][s] ? 1 : 0;
                }
                row.append(String.format(Locale.ROOT, " %8.4f +- %6.4f (%3d%%)", mean, sd, n == 0 ? 0 : 100 * wins / seeds));
            }
            System.out.println(row);
        }
    }

    /** The true final accuracy of what {@code name} recommends after spending at most {@code total} epochs. */
    private static double run(String name, SpecLoader.Checked c, TableEvaluator table, long seed, int total) throws Exception {
        Map<String, String> options = name.equals("random") ? Map.of() : Map.of("min-budget", "1", "max-budget", "27");
        Strategy strategy = Strategies.create(Strategies.info(name), Strategies.info(name).parse(options), c.space(), seed, a -> true,
                List.of());
        int spent = 0;
        int topBudget = 0;
        double topScore = Double.NEGATIVE_INFINITY;
        org.nas4j.space.Architecture pick = null;
        while (true) {
            Proposal p = strategy.next();
            if (p == null || p == Proposal.WAIT) {
                break;
            }
            int budget = p.budget() == null ? MAX : p.budget();
            if (spent + budget > total) {
                break;
            }
            spent += budget;
            var e = table.evaluate(p.architecture(), budget);
            strategy.report(p.architecture(), e.score(), Map.of("budget", budget));
            if (budget > topBudget || (budget == topBudget && e.score() > topScore)) {
                topBudget = budget;
                topScore = e.score();
                pick = p.architecture();
            }
        }
        return table.evaluate(pick, MAX).score();
    }
}

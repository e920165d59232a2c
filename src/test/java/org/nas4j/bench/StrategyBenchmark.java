package org.nas4j.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nas4j.search.Strategies;
import org.nas4j.search.Strategy;
import org.nas4j.search.TableEvaluator;
import org.nas4j.space.Architecture;
import org.nas4j.spec.SpecLoader;

/**
 * Best table accuracy after 10, 50, 100 and 200 evaluations of each strategy on NAS-Bench-Macro,
 * mean and standard deviation over seeds, and the per-trial overhead. Run by
 * scripts/bench/strategies.sh; not a test.
 */
public final class StrategyBenchmark {
    private static final int[] BUDGETS = {10, 50, 100, 200};

    private StrategyBenchmark() {
    }

    /** Args: first seed, number of seeds. */
    public static void main(String[] args) throws Exception {
        int firstSeed = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        MacroTable macro = MacroTable.load();
        SpecLoader.Checked c = macro.checked();
        TableEvaluator table = macro.table();
        System.out.printf(Locale.ROOT, "seeds %d..%d%n", firstSeed, firstSeed + seeds - 1);
        System.out.printf(Locale.ROOT, "%-10s %18s %18s %18s %18s %14s%n", "strategy", "best@10", "best@50", "best@100", "best@200", "us/trial");
        for (String name : List.of("random", "evolution", "tpe")) {
            double[][] best = new double[BUDGETS.length][seeds];
            long nanos = 0;
            long trials = 0;
            for (int s = 0; s < seeds; s++) {
                Strategy strategy = Strategies.create(name, c.space(), firstSeed + s, Map.of(), a -> true);
                double top = Double.NEGATIVE_INFINITY;
                int b = 0;
                long start = System.nanoTime();
                for (int t = 1; t <= BUDGETS[BUDGETS.length - 1]; t++) {
                    Architecture arch = strategy.propose();
                    double score = table.evaluate(arch).score();
                    strategy.report(arch, score);
                    top = Math.max(top, score);
                    if (t == BUDGETS[b]) {
                        best[b++][s] = top;
                    }
                }
                nanos += System.nanoTime() - start;
                trials += BUDGETS[BUDGETS.length - 1];
            }
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-10s", name));
            for (double[] v : best) {
                double mean = java.util.Arrays.stream(v).average().orElseThrow();
                double sd = Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1));
                row.append(String.format(Locale.ROOT, " %8.3f +- %5.3f ", mean, sd));
            }
            row.append(String.format(Locale.ROOT, " %12.1f", nanos / 1e3 / trials));
            System.out.println(row);
        }
    }
}

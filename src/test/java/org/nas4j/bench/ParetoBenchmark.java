package org.nas4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nas4j.search.Evaluator;
import org.nas4j.search.Objective;
import org.nas4j.search.Pareto;
import org.nas4j.search.Strategies;
import org.nas4j.search.Strategy;
import org.nas4j.search.StrategyInfo;
import org.nas4j.search.TableEvaluator;
import org.nas4j.space.Architecture;
import org.nas4j.space.Sampler;
import org.nas4j.spec.SpecLoader;

/**
 * Hypervolume of accuracy (max) and parameters (min) on NAS-Bench-Macro after 50, 100 and 200
 * table evaluations, as a share of the hypervolume of the whole table's front (both objectives
 * scaled to [0, 1] over the table, reference point the worst corner), mean and standard error over
 * seeds, for random, evolution (accuracy alone) and nsga2. Run by scripts/bench/pareto.sh; not a test.
 */
public final class ParetoBenchmark {
    private static final int[] BUDGETS = {50, 100, 200};
    private static final List<Objective> OBJECTIVES = List.of(new Objective("mean_acc", true), new Objective("params", false));

    private ParetoBenchmark() {
    }

    /** Args: first seed, number of seeds. */
    public static void main(String[] args) throws Exception {
        int firstSeed = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        MacroTable macro = MacroTable.load();
        SpecLoader.Checked c = macro.checked();
        TableEvaluator table = macro.table();
        // The whole table: the range of each objective, and the front's hypervolume.
        Sampler sampler = new Sampler(c.space());
        List<double[]> all = new ArrayList<>();
        for (long i = 0; i < c.space().size().longValueExact(); i++) {
            Evaluator.Evaluation ev = table.evaluate(sampler.at(java.math.BigInteger.valueOf(i)));
            all.add(Objective.point(OBJECTIVES, ev.metrics(), ev.score()));
        }
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE};
        for (double[] p : all) {
            for (int k = 0; k < 2; k++) {
                lo[k] = Math.min(lo[k], p[k]);
                hi[k] = Math.max(hi[k], p[k]);
            }
        }
        double full = Pareto.hypervolume(scaled(all, lo, hi), new double[] {0, 0});
        System.out.printf(Locale.ROOT, "seeds %d..%d; the table's front: hypervolume %.4f of the unit square%n", firstSeed,
                firstSeed + seeds - 1, full);
        System.out.printf(Locale.ROOT, "%-10s %20s %20s %20s%n", "strategy", "HV share @50", "HV share @100", "HV share @200");
        double[][] random100 = null;
        for (String name : List.of("random", "evolution", "nsga2")) {
            double[][] share = new double[BUDGETS.length][seeds];
            for (int s = 0; s < seeds; s++) {
                StrategyInfo info = Strategies.info(name);
                Strategy strategy = Strategies.create(info, info.parse(Map.of()), c.space(), firstSeed + s, a -> true, OBJECTIVES);
                List<double[]> seen = new ArrayList<>();
                int b = 0;
                for (int t = 1; t <= BUDGETS[BUDGETS.length - 1]; t++) {
                    Architecture arch = strategy.propose();
                    Evaluator.Evaluation ev = table.evaluate(arch);
                    strategy.report(arch, ev.score(), ev.metrics());
                    seen.add(Objective.point(OBJECTIVES, ev.metrics(), ev.score()));
                    if (t == BUDGETS[b]) {
                        share[b++][s] = Pareto.hypervolume(scaled(seen, lo, hi), new double[] {0, 0}) / full;
                    }
                }
            }
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-10s", name));
            for (double[] v : share) {
                row.append(String.format(Locale.ROOT, " %8.4f +- %7.4f ", mean(v), sd(v) / Math.sqrt(v.length)));
            }
            System.out.println(row + "  (mean +- standard error)");
            if (name.equals("random")) {
                random100 = share;
            } else if (name.equals("nsga2")) {
                double[] a = share[1];
                double[] r = random100[1];
                double se = Math.sqrt(sd(a) * sd(a) / a.length + sd(r) * sd(r) / r.length);
                System.out.printf(Locale.ROOT, "nsga2 - random at 100 trials: %.4f, %.1f standard errors (target > 3)%n", mean(a) - mean(r),
                        (mean(a) - mean(r)) / se);
            }
        }
    }

    private static List<double[]> scaled(List<double[]> points, double[] lo, double[] hi) {
        List<double[]> out = new ArrayList<>();
        for (double[] p : points) {
            out.add(new double[] {(p[0] - lo[0]) / (hi[0] - lo[0]), (p[1] - lo[1]) / (hi[1] - lo[1])});
        }
        return out;
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElseThrow();
    }

    private static double sd(double[] v) {
        double m = mean(v);
        return Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
    }
}

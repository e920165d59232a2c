package org.nas4j.search;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.nas4j.space.Architecture;
import org.nas4j.space.InputException;
import org.nas4j.space.Sampler;
import org.nas4j.space.SearchSpace;
import org.nas4j.spec.Spec;
import org.nas4j.spec.SpecLoader;
import org.nas4j.supernet.CompileException;
import org.nas4j.supernet.SupernetCompiler;
import org.nas4j.train.Datasets;

/**
 * Everything that would stop a search, checked before its run directory exists (so a failed
 * start leaves nothing behind) and by validate-spec: the strategy and its options, the
 * evaluator's table, the data, whether a one-shot strategy can build the supernet, and whether
 * the constraints admit any architecture.
 */
public final class Preflight {
    /** Random children drawn to find one within max-flops when the smallest by parameters is not. */
    private static final int CONSTRAINT_DRAWS = 1_000;

    private Preflight() {
    }

    /**
     * What would stop a search: {@code spec}, problems of the spec and settings themselves (they
     * fail on any machine), and {@code files}, the table or data files missing or unreadable here.
     */
    public record Problems(List<String> spec, List<String> files) {
        /** Every problem, the spec's first. */
        public List<String> all() {
            List<String> all = new ArrayList<>(spec);
            all.addAll(files);
            return all;
        }
    }

    /**
     * The problems of searching {@code checked} (a valid spec read from {@code specFile}) with
     * {@code strategy} and {@code options}; both lists empty when the search can start.
     */
    public static Problems problems(SpecLoader.Checked checked, String specFile, String strategy, Map<String, String> options) {
        List<String> problems = new ArrayList<>();
        List<String> files = new ArrayList<>();
        Spec spec = checked.spec();
        boolean oneShot = Strategies.oneShot(strategy);
        List<Integer> budgets = null;
        try {
            StrategyInfo info = Strategies.info(strategy);
            StrategyOptions parsed = info.parse(options);
            budgets = info.multiFidelity() ? Rungs.of(parsed).budgets() : null;
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        Spec.EvaluatorSpec evaluator = spec.search().evaluator();
        boolean table = !oneShot && evaluator != null && "table".equals(evaluator.type());
        Set<String> metrics = new TreeSet<>(List.of("params", "flops", Objective.LATENCY));
        if (table) {
            String tableProblem = tableProblem(checked, specFile, metrics, budgets);
            if (tableProblem != null) {
                files.add(tableProblem);
            }
        } else {
            metrics.addAll(List.of("accuracy", "train_loss"));
            try {
                Datasets.locate(spec.data());
            } catch (InputException e) {
                files.add("data: " + e.getMessage());
            }
        }
        if (oneShot) {
            try {
                SupernetCompiler.singlePath(spec);
            } catch (CompileException e) {
                problems.add(strategy + " cannot build this spec's supernet: " + e.getMessage());
            }
        }
        problems.addAll(objectiveProblems(spec, strategy, oneShot, metrics, table && !files.isEmpty()));
        if (spec.search().earlyStop() != null && (oneShot || table)) {
            problems.add("search.early-stop stops trials that train; " + (oneShot ? strategy + " trains one supernet" : "a table evaluator trains nothing"));
        }
        String constraints = constraintProblem(checked);
        if (constraints != null) {
            problems.add(constraints);
        }
        return new Problems(problems, files);
    }

    /**
     * What is wrong with search.objectives: a metric the evaluator does not record ({@code metrics};
     * unknown when the table could not be read), objectives for a one-shot strategy, nsga2 with fewer
     * than two.
     */
    private static List<String> objectiveProblems(Spec spec, String strategy, boolean oneShot, Set<String> metrics, boolean unknown) {
        List<Spec.ObjectiveSpec> objectives = spec.search().objectives();
        List<String> out = new ArrayList<>();
        if (strategy.equals(Nsga2Strategy.INFO.name()) && objectives.size() < 2) {
            out.add("nsga2 needs search.objectives with at least two metrics, e.g. --set 'search.objectives=[{metric: accuracy, goal: max},"
                    + " {metric: params, goal: min}]'");
        }
        if (!objectives.isEmpty() && oneShot) {
            out.add("search.objectives are for multi-trial strategies; " + strategy + " learns one architecture");
            return out;
        }
        for (Spec.ObjectiveSpec o : objectives) {
            if (!unknown && !metrics.contains(o.metric())) {
                out.add(o.pos() + ": search.objectives: no metric '" + o.metric() + "'; the evaluator records " + String.join(", ", metrics));
            }
        }
        return out;
    }

    /**
     * Whether the table can be read and holds the space's first architecture with its metric (at
     * each of {@code budgets}, a multi-fidelity strategy's rungs, unless null); its metrics go into
     * {@code metrics}.
     */
    private static String tableProblem(SpecLoader.Checked checked, String specFile, Set<String> metrics, List<Integer> budgets) {
        Spec.EvaluatorSpec e = checked.spec().search().evaluator();
        TableEvaluator table;
        try {
            table = new TableEvaluator(SearchRun.tablePath(checked.spec(), specFile), e.key(), e.metric());
        } catch (IOException ex) {
            return "search.evaluator.table: " + ex.getMessage();
        }
        try {
            Architecture first = new Sampler(checked.space()).at(BigInteger.ZERO);
            metrics.addAll(table.evaluate(first).metrics().keySet());
            for (Integer b : budgets == null ? List.<Integer>of() : budgets) {
                table.evaluate(first, b);
            }
        } catch (IllegalArgumentException ex) {
            return "search.evaluator: the space's first architecture does not fit the table" + (budgets == null ? ""
                    : " at the strategy's budgets " + budgets) + ": " + ex.getMessage();
        }
        return null;
    }

    /** Null when search.constraints admit some child, else why not. */
    private static String constraintProblem(SpecLoader.Checked checked) {
        Spec spec = checked.spec();
        Long maxParams = spec.search().maxParams();
        if (maxParams != null && checked.shapes().minParams() > maxParams) {
            return String.format("search.constraints.max-params %,d admits no architecture: the smallest child has %s%,d parameters",
                    maxParams, checked.shapes().exact() ? "" : "at least ", checked.shapes().minParams());
        }
        if (spec.search().maxFlops() == null) {
            return null;
        }
        Predicate<Architecture> admissible = SearchRun.admissible(spec, new ChildCounts(spec));
        if (checked.shapes().exact() && admissible.test(Architecture.of(checked.shapes().minArch()))) {
            return null;
        }
        SearchSpace space = checked.space();
        Sampler sampler = new Sampler(space);
        Random random = new Random(0);
        boolean small = space.size().compareTo(BigInteger.valueOf(CONSTRAINT_DRAWS)) <= 0;
        for (int i = 0; i < CONSTRAINT_DRAWS && (!small || i < space.size().intValue()); i++) {
            if (admissible.test(small ? sampler.at(BigInteger.valueOf(i)) : sampler.random(random))) {
                return null;
            }
        }
        return String.format("search.constraints admit no architecture: %s within max-flops %,d%s", small
                ? "none of the space's " + space.size() + " children is" : "neither the smallest child nor any of " + CONSTRAINT_DRAWS
                + " drawn at random is", spec.search().maxFlops(),
                spec.search().maxParams() == null ? "" : String.format(" and max-params %,d", spec.search().maxParams()));
    }
}

package org.nas4j.search;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.nas4j.space.Architecture;
import org.nas4j.space.Decision;
import org.nas4j.space.Sampler;
import org.nas4j.space.SearchSpace;

/**
 * Tree-structured Parzen estimator over categorical decisions (Bergstra et al., 2011, as hyperopt
 * and NNI run it): after a random start, trials are split into the best {@code gamma} and the
 * rest; each decision's values get smoothed frequencies l (good) and g (rest); candidates are
 * drawn from l and the one with the largest product of l/g is proposed. An any-subset input
 * choice is one yes/no dimension per input; other decisions are one dimension over their values.
 */
final class TpeStrategy implements Strategy {
    /** Its description. */
    static final StrategyInfo INFO = new StrategyInfo("tpe", false, "a tree-structured Parzen estimator over the decisions",
            List.of(StrategyOption.whole("startup", 10, "random trials before the model proposes"),
                    StrategyOption.whole("candidates", 24, "draws from the good model, the best of which is proposed"),
                    StrategyOption.fraction("gamma", 0.25, "the share of trials counted as good")), 20);

    private static final int MAX_TRIES = 1_000;

    /** One categorical dimension: a decision (or one input of an any-subset choice) and its option count. */
    private record Dimension(Decision decision, int input, int options) { }

    private record Observed(int[] point, double score) { }

    private final Sampler sampler;
    private final Random random;
    private final Unseen unseen;
    private final int startup;
    private final int candidates;
    private final double gamma;
    private final List<Dimension> dims = new ArrayList<>();
    private final List<Observed> observed = new ArrayList<>();

    TpeStrategy(SearchSpace space, long seed, Predicate<Architecture> admissible, int startup, int candidates, double gamma) {
        this.sampler = new Sampler(space);
        this.random = new Random(seed);
        this.unseen = new Unseen(admissible, true);
        this.startup = startup;
        this.candidates = candidates;
        this.gamma = gamma;
        for (Decision d : space.decisions().values()) {
            if (d instanceof Decision.InputChoice ic && ic.nChosen() == null) {
                for (int i = 0; i < ic.from().size(); i++) {
                    dims.add(new Dimension(d, i, 2));
                }
            } else {
                dims.add(new Dimension(d, -1, d.count().min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue()));
            }
        }
    }

    @Override
    public Architecture propose() {
        double[][][] model = observed.size() >= startup ? model() : null;
        int[] tries = {0};
        // Once the model keeps proposing what was tried, explore at random instead of stopping.
        return unseen.first(MAX_TRIES, () -> model != null && tries[0]++ < MAX_TRIES / 10 ? best(model) : sampler.random(random));
    }

    /** l and g of every dimension: option frequencies among the best gamma of the trials, and among the rest. */
    private double[][][] model() {
        List<Observed> ok = observed.stream().filter(o -> !Double.isNaN(o.score()))
                .sorted(Comparator.comparingDouble(Observed::score).reversed()).toList();
        int nGood = Math.min(ok.size(), Math.max(1, (int) Math.ceil(gamma * ok.size())));
        List<Observed> good = ok.subList(0, nGood);
        List<Observed> bad = ok.subList(nGood, ok.size());
        double[][][] lg = new double[2][dims.size()][];
        for (int d = 0; d < dims.size(); d++) {
            lg[0][d] = density(good, d);
            lg[1][d] = density(bad, d);
        }
        return lg;
    }

    /** The candidate, among those drawn from l, with the largest l/g. */
    private Architecture best(double[][][] lg) {
        int[] best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < candidates; c++) {
            int[] point = new int[dims.size()];
            double score = 0;
            for (int d = 0; d < dims.size(); d++) {
                point[d] = Draw.index(lg[0][d], random);
                score += Math.log(lg[0][d][point[d]]) - Math.log(lg[1][d][point[d]]);
            }
            if (score > bestScore) {
                bestScore = score;
                best = point;
            }
        }
        return architecture(best);
    }

    /** Smoothed frequencies of a dimension's options among trials (a uniform prior of weight 1). */
    private double[] density(List<Observed> trials, int d) {
        int k = dims.get(d).options();
        double[] p = new double[k];
        java.util.Arrays.fill(p, 1.0 / k);
        for (Observed o : trials) {
            p[o.point()[d]] += 1;
        }
        double total = 1 + trials.size();
        for (int i = 0; i < k; i++) {
            p[i] /= total;
        }
        return p;
    }


    @Override
    public void report(Architecture architecture, double score) {
        unseen.saw(architecture);
        observed.add(new Observed(point(architecture), score));
    }

    private int[] point(Architecture arch) {
        int[] point = new int[dims.size()];
        for (int d = 0; d < dims.size(); d++) {
            Dimension dim = dims.get(d);
            Object v = arch.get(dim.decision().key());
            if (dim.input() >= 0) {
                Decision.InputChoice ic = (Decision.InputChoice) dim.decision();
                point[d] = arch.inputs(ic.key()).contains(ic.from().get(dim.input())) ? 1 : 0;
            } else {
                point[d] = indexOf(dim.decision(), v);
            }
        }
        return point;
    }

    private static int indexOf(Decision d, Object v) {
        for (int i = 0; i < d.count().intValue(); i++) {
            if (valueAt(d, i).equals(v)) {
                return i;
            }
        }
        throw new IllegalStateException("value " + v + " is not in decision " + d.key());
    }

    private static Object valueAt(Decision d, int i) {
        return Sampler.valueAt(d, i);
    }

    private Architecture architecture(int[] point) {
        Map<String, Object> arch = new TreeMap<>();
        for (int d = 0; d < dims.size(); d++) {
            Dimension dim = dims.get(d);
            if (dim.input() >= 0) {
                Decision.InputChoice ic = (Decision.InputChoice) dim.decision();
                @SuppressWarnings("unchecked")
                List<String> chosen = (List<String>) arch.computeIfAbsent(ic.key(), k -> new ArrayList<String>());
                if (point[d] == 1) {
                    chosen.add(ic.from().get(dim.input()));
                }
            } else {
                arch.put(dim.decision().key(), valueAt(dim.decision(), point[d]));
            }
        }
        return Architecture.of(arch);
    }
}

package org.nas4j.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto arithmetic over points whose every objective is to be maximised (a cost enters
 * negated): dominance, NSGA-II's fast non-dominated sorting and crowding distance (Deb et al.,
 * 2002), and the hypervolume of two objectives.
 */
public final class Pareto {
    private Pareto() {
    }

    /**
     * The trials no other trial dominates on {@code objectives}, in order of the first objective
     * (best first); failed trials and trials lacking a metric take no part.
     */
    public static List<Trial> front(List<Trial> trials, List<Objective> objectives) {
        Points p = points(trials, objectives);
        if (p.trials().isEmpty()) {
            return List.of();
        }
        List<Integer> order = new ArrayList<>(fronts(p.points()).get(0));
        order.sort(Comparator.comparingDouble((Integer i) -> -p.points().get(i)[0]).thenComparingInt(i -> p.trials().get(i).id()));
        return order.stream().map(p.trials()::get).toList();
    }

    /** The trials that have a point on {@code objectives} (not failed, no metric missing), each with its point. */
    public record Points(List<Trial> trials, List<double[]> points) {
    }

    /** See {@link Points}. */
    public static Points points(List<Trial> trials, List<Objective> objectives) {
        List<Trial> kept = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        for (Trial t : trials) {
            double[] p = Objective.point(objectives, t.metrics(), t.score());
            if (p != null) {
                kept.add(t);
                points.add(p);
            }
        }
        return new Points(kept, points);
    }

    /** Whether {@code a} dominates {@code b}: at least as good in every objective and better in one. */
    public static boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int k = 0; k < a.length; k++) {
            if (a[k] < b[k]) {
                return false;
            }
            better |= a[k] > b[k];
        }
        return better;
    }

    /**
     * The points' fronts, best first: front 0 is the non-dominated set, front 1 what is
     * non-dominated once front 0 is left out, and so on. Each front lists point indices in order.
     */
    public static List<List<Integer>> fronts(List<double[]> points) {
        int n = points.size();
        List<List<Integer>> dominated = new ArrayList<>();
        int[] dominators = new int[n];
        List<Integer> current = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            dominated.add(new ArrayList<>());
            for (int q = 0; q < n; q++) {
                if (dominates(points.get(p), points.get(q))) {
                    dominated.get(p).add(q);
                } else if (dominates(points.get(q), points.get(p))) {
                    dominators[p]++;
                }
            }
            if (dominators[p] == 0) {
                current.add(p);
            }
        }
        List<List<Integer>> fronts = new ArrayList<>();
        while (!current.isEmpty()) {
            fronts.add(current);
            List<Integer> next = new ArrayList<>();
            for (int p : current) {
                for (int q : dominated.get(p)) {
                    if (--dominators[q] == 0) {
                        next.add(q);
                    }
                }
            }
            next.sort(Integer::compare);
            current = next;
        }
        return fronts;
    }

    /**
     * The crowding distance of each point of one front (indices into {@code points}): per
     * objective, the gap between its two neighbours over the objective's range; the extremes
     * get infinity, so that they are kept first.
     */
    public static double[] crowding(List<double[]> points, List<Integer> front) {
        int size = front.size();
        double[] distance = new double[size];
        if (size == 0) {
            return distance;
        }
        int objectives = points.get(front.get(0)).length;
        Integer[] order = new Integer[size];
        for (int k = 0; k < objectives; k++) {
            final int objective = k;
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingDouble(i -> points.get(front.get(i))[objective]));
            double lo = points.get(front.get(order[0]))[k];
            double hi = points.get(front.get(order[size - 1]))[k];
            distance[order[0]] = Double.POSITIVE_INFINITY;
            distance[order[size - 1]] = Double.POSITIVE_INFINITY;
            if (hi > lo) {
                for (int i = 1; i < size - 1; i++) {
                    distance[order[i]] += (points.get(front.get(order[i + 1]))[k] - points.get(front.get(order[i - 1]))[k]) / (hi - lo);
                }
            }
        }
        return distance;
    }

    /**
     * The area that two-objective points dominate above a reference point (both objectives
     * maximised; points not above the reference in both count for nothing).
     */
    public static double hypervolume(List<double[]> points, double[] reference) {
        List<double[]> above = new ArrayList<>();
        for (double[] p : points) {
            if (p.length != 2) {
                throw new IllegalArgumentException("the hypervolume is computed for two objectives, got " + p.length);
            }
            if (p[0] > reference[0] && p[1] > reference[1]) {
                above.add(p);
            }
        }
        // Sweep by the first objective, best first: each point adds the slab its second objective
        // raises above the best second objective seen so far.
        above.sort(Comparator.comparingDouble((double[] p) -> -p[0]).thenComparingDouble(p -> -p[1]));
        double volume = 0;
        double bestSecond = reference[1];
        for (double[] p : above) {
            if (p[1] > bestSecond) {
                volume += (p[0] - reference[0]) * (p[1] - bestSecond);
                bestSecond = p[1];
            }
        }
        return volume;
    }
}

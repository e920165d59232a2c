package org.nas4j.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nas4j.search.Objective;
import org.nas4j.search.Pareto;
import org.nas4j.search.Trial;

/**
 * The report's section for a multi-objective search: the first objective against each other one,
 * every trial a point, the trials on the Pareto front (over all objectives) in red and joined,
 * the dominated ones faded; with two objectives, the hypervolume of the trials so far after each
 * trial (both objectives scaled to the range the trials cover, from its worst corner).
 */
final class ParetoCharts {
    private ParetoCharts() {
    }

    /** The section's HTML. */
    static String render(List<Trial> trials, List<Objective> objectives) {
        Pareto.Points scored = Pareto.points(trials, objectives);
        List<Trial> ranked = scored.trials();
        List<double[]> points = scored.points();
        if (ranked.isEmpty()) {
            return "";
        }
        Set<Trial> front = new HashSet<>(Pareto.front(ranked, objectives));
        StringBuilder h = new StringBuilder("<h2>Pareto front (").append(front.size()).append(" of ").append(ranked.size())
                .append(" trials)</h2>\n<div class=\"row\">");
        for (int k = 1; k < objectives.size(); k++) {
            h.append(scatter(ranked, points, front, objectives, k));
        }
        if (objectives.size() == 2) {
            h.append(hypervolume(points));
        }
        return h.append("</div>\n").toString();
    }

    /** Objective 0 (up) against objective k (across), in the metrics' own units. */
    private static String scatter(List<Trial> trials, List<double[]> points, Set<Trial> front, List<Objective> objectives, int k) {
        Objective y = objectives.get(0);
        Objective x = objectives.get(k);
        double[] xs = new double[trials.size()];
        double[] ys = new double[trials.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = x.maximize() ? points.get(i)[k] : -points.get(i)[k];
            ys[i] = y.maximize() ? points.get(i)[0] : -points.get(i)[0];
        }
        double[] xr = range(xs);
        double[] yr = range(ys);
        StringBuilder body = new StringBuilder();
        List<double[]> line = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            double px = RunReport.PAD + (xs[i] - xr[0]) / (xr[1] - xr[0]) * (RunReport.CW - 2.0 * RunReport.PAD);
            double py = RunReport.CH - RunReport.PAD - (ys[i] - yr[0]) / (yr[1] - yr[0]) * (RunReport.CH - 2.0 * RunReport.PAD);
            boolean on = front.contains(trials.get(i));
            if (on) {
                line.add(new double[] {px, py});
            }
            body.append("<circle class=\"").append(on ? "front-point" : "dominated").append("\" cx=\"").append(Svg.fixed(px, 1))
                    .append("\" cy=\"").append(Svg.fixed(py, 1)).append("\" r=\"").append(on ? 5 : 3).append("\"><title>trial ")
                    .append(trials.get(i).id()).append(": ").append(Svg.esc(y.metric())).append(' ').append(Svg.fixed(ys[i], 4)).append(", ")
                    .append(Svg.esc(x.metric())).append(' ').append(Svg.fixed(xs[i], 4)).append("</title></circle>");
        }
        line.sort((a, b) -> Double.compare(a[0], b[0]));
        StringBuilder path = new StringBuilder();
        for (double[] p : line) {
            path.append(path.length() == 0 ? "M" : " L").append(Svg.fixed(p[0], 1)).append(' ').append(Svg.fixed(p[1], 1));
        }
        String joined = line.size() > 1 ? "<path class=\"front-line\" d=\"" + path + "\"/>" : "";
        return RunReport.chart(y.metric() + " against " + x.metric() + " (front in red)", x.metric() + (x.maximize() ? " (more is better)"
                : " (less is better)"), y.metric(), yr[0], yr[1], xr[0], xr[1], joined + body);
    }

    /** The hypervolume after each trial, the objectives scaled over all the trials. */
    private static String hypervolume(List<double[]> points) {
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE};
        for (double[] p : points) {
            for (int k = 0; k < 2; k++) {
                lo[k] = Math.min(lo[k], p[k]);
                hi[k] = Math.max(hi[k], p[k]);
            }
        }
        List<double[]> seen = new ArrayList<>();
        List<Double> volume = new ArrayList<>();
        for (double[] p : points) {
            seen.add(new double[] {scale(p[0], lo[0], hi[0]), scale(p[1], lo[1], hi[1])});
            // From just beyond the worst corner, so that a single trial has some volume.
            volume.add(Pareto.hypervolume(seen, new double[] {-0.01, -0.01}));
        }
        return RunReport.lineChart("Hypervolume after each trial", "trials scored", "hypervolume", volume, "hv-point");
    }

    private static double scale(double v, double lo, double hi) {
        return hi > lo ? (v - lo) / (hi - lo) : 0;
    }

    private static double[] range(double[] v) {
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return hi - lo < 1e-12 ? new double[] {lo - 1, hi + 1} : new double[] {lo, hi};
    }
}

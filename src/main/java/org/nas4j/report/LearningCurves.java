package org.nas4j.report;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.search.Trial;

/**
 * The report's learning curves: each trained trial's validation score at each report (each epoch,
 * or each 1/n of one with search.report-every), one line per trial, against epochs; trials the
 * stopping rule ended early are drawn faded, so that where it cut is seen.
 */
final class LearningCurves {
    private LearningCurves() {
    }

    /** The chart of curves with {@code reports} points per epoch, or nothing when no trial reported more than once. */
    static String render(List<Trial> trials, int reports) {
        List<List<Double>> curves = new ArrayList<>();
        List<Trial> owners = new ArrayList<>();
        int points = 0;
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (Trial t : trials) {
            if (t.metrics().get("curve") instanceof List<?> raw) {
                List<Double> c = raw.stream().map(v -> v instanceof Number n ? n.doubleValue() : Double.NaN).toList();
                curves.add(c);
                owners.add(t);
                points = Math.max(points, c.size());
                for (double v : c) {
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        if (points < 2 || lo > hi) {
            return "";
        }
        if (hi - lo < 1e-9) {
            lo -= 0.01;
            hi += 0.01;
        }
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < curves.size(); i++) {
            List<Double> c = curves.get(i);
            StringBuilder path = new StringBuilder();
            for (int e = 0; e < c.size(); e++) {
                if (!Double.isFinite(c.get(e))) {
                    continue;
                }
                double x = RunReport.PAD + e * (RunReport.CW - 2.0 * RunReport.PAD) / (points - 1);
                double y = RunReport.CH - RunReport.PAD - (c.get(e) - lo) / (hi - lo) * (RunReport.CH - 2.0 * RunReport.PAD);
                path.append(path.length() == 0 ? "M" : " L").append(Svg.fixed(x, 1)).append(' ').append(Svg.fixed(y, 1));
            }
            boolean stopped = owners.get(i).metrics().containsKey("stopped-after");
            body.append("<path class=\"curve").append(stopped ? " stopped" : "").append("\" d=\"").append(path).append("\"><title>trial ")
                    .append(owners.get(i).id()).append(stopped ? ", stopped after epoch " + Svg.fixed(c.size() / (double) reports, reports == 1 ? 0 : 2) : "").append("</title></path>");
        }
        long stoppedCount = owners.stream().filter(t -> t.metrics().containsKey("stopped-after")).count();
        return "<div class=\"row\">" + RunReport.chart("Learning curves: validation score per epoch" + (stoppedCount > 0
                ? " (" + stoppedCount + " stopped early, faded)" : ""), "epoch", "validation score", lo, hi, 1.0 / reports,
                points / (double) reports, body.toString())
                + "</div>\n";
    }
}

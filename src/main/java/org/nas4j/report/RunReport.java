package org.nas4j.report;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nas4j.search.Objective;
import org.nas4j.search.RunDirectory;
import org.nas4j.search.RunSettings;
import org.nas4j.search.SearchRun;
import org.nas4j.search.Strategies;
import org.nas4j.search.Trial;
import org.nas4j.space.Architecture;
import org.nas4j.space.ArchitectureException;
import org.nas4j.space.Architectures;
import org.nas4j.space.InputException;
import org.nas4j.spec.Diagnostics;
import org.nas4j.spec.ShapeChecker;
import org.nas4j.spec.SpecLoader;

/**
 * The report of a run directory: one self-contained HTML file (inline SVG and CSS, a few lines
 * of script to sort the table) showing the settings, best score against trials or epochs, every
 * trial's score against its parameter count, DARTS's probabilities per epoch, the chosen
 * architecture drawn, and every trial in a sortable table. Readable at any point of a run.
 */
public final class RunReport {
    static final int CW = 560;
    static final int CH = 260;
    static final int PAD = 48;

    private RunReport() {
    }

    /** Writes the report of {@code run} into the run (report.html), replacing it in one step. */
    public static void write(RunDirectory run) throws IOException, InputException, ArchitectureException {
        run.writeReport(render(run));
    }

    /** The report's HTML (the run's spec is checked once per opening of the run, not per report). */
    public static String render(RunDirectory run) throws IOException, InputException, ArchitectureException {
        RunSettings s = run.settings();
        SpecLoader.Checked checked = run.spec();
        List<Trial> trials = run.trials();
        List<JsonObject> epochs = run.epochs();
        boolean oneShot = Strategies.oneShot(s.strategy());
        Architecture chosen = run.architecture().orElse(null);
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>nas4j run ")
                .append(Svg.esc(run.path().getFileName())).append("</title>\n<script>window.__errors=[];window.onerror=function(m){"
                + "window.__errors.push(String(m));var e=document.getElementById('errors');if(e){e.textContent=window.__errors.join('\\n');}};"
                + "</script>\n<style>").append(CSS).append("</style></head><body>\n");
        h.append("<h1>").append(Svg.esc(checked.spec().name())).append(" \u2014 ").append(Svg.esc(s.strategy())).append("</h1>\n");
        h.append(summary(run, s, trials, epochs, oneShot));
        if (oneShot && !epochs.isEmpty()) {
            h.append("<h2>Supernet training</h2>\n").append(epochChart(epochs));
            h.append(heatMap(epochs));
        }
        if (!trials.isEmpty()) {
            h.append("<h2>").append(oneShot ? "Paths scored with the shared weights" : "Trials").append("</h2>\n<div class=\"row\">")
                    .append(bestChart(trials)).append(scatter(trials, run)).append("</div>\n");
        }
        if (!oneShot) {
            h.append(LearningCurves.render(trials, checked.spec().search().reportsPerEpoch()));
        }
        List<Objective> objectives = SearchRun.objectives(checked.spec());
        if (objectives.size() >= 2 && !trials.isEmpty()) {
            h.append(ParetoCharts.render(trials, objectives));
        }
        if (chosen != null) {
            ShapeChecker.Child child = ShapeChecker.child(checked.spec(), chosen.asMap(), new Diagnostics());
            h.append("<h2>Chosen architecture</h2>\n<p class=\"mono\">").append(Svg.esc(Architectures.writeLine(chosen)))
                    .append("</p>\n");
            if (child != null) {
                h.append(String.format(Locale.ROOT, "<p>%,d parameters, %,d multiply-accumulates per sample</p>%n", child.params(), child.flops()));
                h.append("<div class=\"scroll\">").append(GraphSvg.render(checked.spec(), chosen, child.live())).append("</div>\n");
            }
        }
        if (!trials.isEmpty()) {
            h.append(table(trials, run));
        }
        h.append("<pre id=\"errors\"></pre>\n<script>").append(SORT).append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static String summary(RunDirectory run, RunSettings s, List<Trial> trials, List<JsonObject> epochs, boolean oneShot)
            throws IOException {
        int epochsWanted = s.epochs() == null ? 0 : s.epochs();
        boolean finished = (!oneShot || epochs.size() >= epochsWanted) && trials.size() >= s.trials();
        long failed = trials.stream().filter(t -> Double.isNaN(t.score())).count();
        long[] times = run.startedAndLastWritten();
        Duration d = Duration.ofMillis(times[1] - times[0]);
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("run", run.path().toAbsolutePath().toString());
        rows.put("spec", s.spec() + (s.overrides().isEmpty() ? "" : " with " + String.join(", ", s.overrides())));
        rows.put("strategy", s.strategy() + (s.options().isEmpty() ? "" : " " + s.options()));
        rows.put("seed", String.valueOf(s.seed()));
        if (oneShot) {
            rows.put("epochs", epochs.size() + " of " + epochsWanted);
        }
        if (s.trials() > 0) {
            rows.put(oneShot ? "paths scored" : "trials", trials.size() + " of " + s.trials() + (failed > 0 ? " (" + failed + " failed)" : ""));
        }
        rows.put("duration", String.format(Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart()));
        rows.put("status", finished ? "finished" : "running, or stopped before its budget (nas search --resume continues it)");
        Trial best = trials.stream().filter(t -> !Double.isNaN(t.score())).max(Comparator.comparingDouble(Trial::score))
                .orElse(null);
        if (best != null) {
            rows.put("best", String.format(Locale.ROOT, "%.4f (trial %d)", best.score(), best.id()));
        }
        StringBuilder h = new StringBuilder("<table class=\"summary\">\n");
        rows.forEach((k, v) -> h.append("<tr><th>").append(Svg.esc(k)).append("</th><td>").append(Svg.esc(v)).append("</td></tr>\n"));
        return h.append("</table>\n").toString();
    }

    /** A line chart: x from 1, one series of y values (NaN skipped), points marked with {@code pointClass}. */
    static String lineChart(String title, String xLabel, String yLabel, List<Double> ys, String pointClass) {
        double lo = ys.stream().filter(Double::isFinite).min(Double::compare).orElse(0.0);
        double hi = ys.stream().filter(Double::isFinite).max(Double::compare).orElse(1.0);
        if (hi - lo < 1e-9) {
            double pad = Math.max(Math.abs(hi) * 0.05, 0.01);
            lo -= pad;
            hi += pad;
        }
        StringBuilder path = new StringBuilder();
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < ys.size(); i++) {
            if (!Double.isFinite(ys.get(i))) {
                continue;
            }
            double x = PAD + (ys.size() == 1 ? (CW - 2 * PAD) / 2.0 : i * (CW - 2.0 * PAD) / (ys.size() - 1));
            double y = CH - PAD - (ys.get(i) - lo) / (hi - lo) * (CH - 2.0 * PAD);
            path.append(path.length() == 0 ? "M" : " L").append(Svg.fixed(x, 1)).append(' ').append(Svg.fixed(y, 1));
            points.append("<circle class=\"").append(pointClass).append("\" cx=\"").append(Svg.fixed(x, 1)).append("\" cy=\"")
                    .append(Svg.fixed(y, 1)).append("\" r=\"3\"><title>").append(i + 1).append(": ").append(Svg.fixed(ys.get(i), 4))
                    .append("</title></circle>");
        }
        return chart(title, xLabel, yLabel, lo, hi, 1, ys.size(), "<path class=\"line\" d=\"" + path + "\"/>" + points);
    }

    static String chart(String title, String xLabel, String yLabel, double lo, double hi, double xLo, double xHi, String body) {
        return String.format(Locale.ROOT, "<figure><figcaption>%s</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
                + "width=\"%d\" height=\"%d\"><line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                + "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                + "<text x=\"%d\" y=\"%d\">%s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>"
                + "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">%s</text>%s</svg></figure>%n",
                Svg.esc(title), CW, CH, PAD, CH - PAD, CW - PAD, CH - PAD, PAD, PAD, PAD, CH - PAD,
                PAD - 4, CH - PAD, fmt(lo), PAD - 4, PAD + 4, fmt(hi), PAD, CH - PAD + 16, fmt(xLo), CW - PAD, CH - PAD + 16, fmt(xHi),
                CW / 2, CH - 10, Svg.esc(xLabel), CH / 2, CH / 2, Svg.esc(yLabel), body);
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return Math.abs(v) >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String bestChart(List<Trial> trials) {
        List<Double> best = new ArrayList<>();
        double b = Double.NaN;
        for (Trial t : trials) {
            if (!Double.isNaN(t.score()) && (Double.isNaN(b) || t.score() > b)) {
                b = t.score();
            }
            best.add(b);
        }
        return lineChart("Best score so far", "trials finished", "best score", best, "best-point");
    }

    private static String epochChart(List<JsonObject> epochs) {
        List<Double> acc = epochs.stream().map(e -> e.get("accuracy").getAsDouble()).toList();
        return "<div class=\"row\">" + lineChart("Supernet training accuracy per epoch", "epoch", "training accuracy", acc, "epoch-point")
                + lineChart("Supernet training loss per epoch", "epoch", "loss", epochs.stream().map(e -> e.get("loss").getAsDouble()).toList(),
                "loss-point") + "</div>\n";
    }

    private static String scatter(List<Trial> trials, RunDirectory run) throws InputException {
        List<double[]> pts = new ArrayList<>();
        Trial best = trials.stream().filter(t -> !Double.isNaN(t.score())).max(Comparator.comparingDouble(Trial::score))
                .orElse(null);
        for (Trial t : trials) {
            if (Double.isNaN(t.score())) {
                continue;
            }
            pts.add(new double[] {params(t, run), t.score(), t.id(), t == best ? 1 : 0});
        }
        double xlo = pts.stream().mapToDouble(p -> p[0]).min().orElse(0);
        double xhi = pts.stream().mapToDouble(p -> p[0]).max().orElse(1);
        double ylo = pts.stream().mapToDouble(p -> p[1]).min().orElse(0);
        double yhi = pts.stream().mapToDouble(p -> p[1]).max().orElse(1);
        if (xhi - xlo < 1e-9) {
            xlo -= 1;
            xhi += 1;
        }
        if (yhi - ylo < 1e-9) {
            ylo -= 0.5;
            yhi += 0.5;
        }
        StringBuilder body = new StringBuilder();
        for (double[] p : pts) {
            double x = PAD + (p[0] - xlo) / (xhi - xlo) * (CW - 2.0 * PAD);
            double y = CH - PAD - (p[1] - ylo) / (yhi - ylo) * (CH - 2.0 * PAD);
            body.append("<circle class=\"trial-point").append(p[3] > 0 ? " best" : "").append("\" cx=\"").append(Svg.fixed(x, 1))
                    .append("\" cy=\"").append(Svg.fixed(y, 1)).append("\" r=\"").append(p[3] > 0 ? 6 : 3).append("\"><title>trial ")
                    .append((int) p[2]).append(": ").append(Svg.fixed(p[1], 4)).append(", ").append(Svg.grouped(Math.round(p[0])))
                    .append(" parameters</title></circle>");
        }
        return chart("Score against parameters (best in red)", "parameters", "score", ylo, yhi, xlo, xhi, body.toString());
    }

    /** A trial's parameters: as its evaluator recorded them, else counted (once per child and run opening). */
    private static double params(Trial t, RunDirectory run) throws InputException {
        Object p = t.metrics().get("params");
        if (p instanceof Number n) {
            return n.doubleValue();
        }
        return Math.max(0, run.childCounts().of(t.architecture()).params());
    }

    /** Each option's probability (rows) per epoch (columns), darker for likelier. */
    private static String heatMap(List<JsonObject> epochs) {
        if (!epochs.get(0).has("probabilities")) {
            return "";
        }
        JsonObject first = epochs.get(0).getAsJsonObject("probabilities");
        StringBuilder h = new StringBuilder("<h3>Architecture weights: each option's probability per epoch</h3>\n<div class=\"scroll\">"
                + "<table class=\"heat\"><tr><th>key</th><th>option</th>");
        for (int e = 1; e <= epochs.size(); e++) {
            h.append("<th>").append(e).append("</th>");
        }
        h.append("</tr>\n");
        for (String key : first.keySet()) {
            boolean firstRow = true;
            for (String option : first.getAsJsonObject(key).keySet()) {
                h.append("<tr>").append(firstRow ? "<th class=\"key\" rowspan=\"" + first.getAsJsonObject(key).size() + "\">" + Svg.esc(key) + "</th>" : "")
                        .append("<td>").append(Svg.esc(option)).append("</td>");
                firstRow = false;
                for (JsonObject e : epochs) {
                    JsonObject probs = e.getAsJsonObject("probabilities").getAsJsonObject(key);
                    double p = probs.get(option).getAsDouble();
                    double lo = probs.entrySet().stream().mapToDouble(x -> x.getValue().getAsDouble()).min().orElse(0);
                    double hi = probs.entrySet().stream().mapToDouble(x -> x.getValue().getAsDouble()).max().orElse(1);
                    // Shaded within the key and epoch, the likeliest darkest: early on the weights differ in the third decimal.
                    double shade = hi - lo < 1e-9 ? 0.3 : 0.1 + 0.8 * (p - lo) / (hi - lo);
                    h.append(String.format(Locale.ROOT, "<td class=\"cell%s\" style=\"background:rgba(36,87,179,%.2f)\">%.4f</td>",
                            p == hi ? " top" : "", shade, p));
                }
                h.append("</tr>\n");
            }
        }
        return h.append("</table></div>\n").toString();
    }

    private static String table(List<Trial> trials, RunDirectory run) throws InputException {
        StringBuilder h = new StringBuilder("<h2>All trials</h2>\n<p>Click a heading to sort.</p>\n<table class=\"trials sortable\"><thead><tr>"
                + "<th>trial</th><th>score</th><th>parameters</th><th>seconds</th><th>status</th><th>architecture</th></tr></thead><tbody>\n");
        for (Trial t : trials) {
            h.append("<tr><td>").append(t.id()).append("</td><td>").append(Double.isNaN(t.score()) ? "" : Svg.fixed(t.score(), 4))
                    .append("</td><td>").append(Svg.fixed(params(t, run), 0)).append("</td><td>").append(Svg.fixed(t.seconds(), 2))
                    .append("</td><td>").append(Svg.esc(t.status() + (t.error() == null ? "" : ": " + t.error())))
                    .append("</td><td class=\"mono\">").append(Svg.esc(Architectures.writeLine(t.architecture()))).append("</td></tr>\n");
        }
        return h.append("</tbody></table>\n").toString();
    }

    private static final String CSS = "body{font-family:sans-serif;margin:24px;color:#222}h1{font-size:22px}h2{font-size:18px;margin-top:28px}"
            + "h3{font-size:15px}table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:left;font-size:13px}"
            + ".summary th{color:#555;font-weight:normal}.mono{font-family:monospace;font-size:12px}.row{display:flex;flex-wrap:wrap;gap:16px}"
            + "figure{margin:0}figcaption{font-size:13px;color:#444}.chart text{font-size:11px;fill:#444}.axis{stroke:#888}"
            + ".line{fill:none;stroke:#2457b3;stroke-width:2}.best-point,.epoch-point,.loss-point{fill:#2457b3}"
            + ".trial-point{fill:#2457b3;opacity:.6}.dominated{fill:#999;opacity:.35}.front-point{fill:#d62728}.front-line{fill:none;stroke:#d62728;stroke-width:1.5}"
            + ".hv-point{fill:#2457b3}.curve{fill:none;stroke:#2457b3;stroke-width:1.2;opacity:.8}.curve.stopped{stroke:#999;opacity:.5}.trial-point.best{fill:#d62728;opacity:1}.scroll{overflow-x:auto;max-width:100%}"
            + ".heat .cell{text-align:right;font-family:monospace}.heat .top{font-weight:bold;color:#fff}.heat .key{vertical-align:top}.sortable th{cursor:pointer;background:#f4f4f4}"
            + "#errors{color:#b00}";

    private static final String SORT = "document.querySelectorAll('table.sortable').forEach(function(t){var hs=t.querySelectorAll('th');"
            + "hs.forEach(function(h,i){h.addEventListener('click',function(){var b=t.tBodies[0];var rows=Array.from(b.rows);"
            + "var asc=h.dataset.dir!=='asc';hs.forEach(function(x){delete x.dataset.dir;});h.dataset.dir=asc?'asc':'desc';"
            + "rows.sort(function(r1,r2){var a=r1.cells[i].textContent,c=r2.cells[i].textContent;var x=parseFloat(a),y=parseFloat(c);"
            + "var v=(!isNaN(x)&&!isNaN(y))?x-y:a.localeCompare(c);return asc?v:-v;});rows.forEach(function(r){b.appendChild(r);});});});});";
}

package org.nas4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.cli.CliRun;
import org.nas4j.spec.Spec;

/** The median stopping rule: its arithmetic, a search that uses it (in process and in workers), its resume, and where it is refused. */
class EarlyStopTest {

    @Test
    void theRuleStopsBelowTheTrueMedianAfterItsWarmup() {
        assertEquals(2, MedianStop.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, MedianStop.median(List.of(4.0, 1.0, 2.0, 3.0)));
        MedianStop stop = new MedianStop(new Spec.EarlyStopSpec(1, 3), 1);
        stop.heard(List.of(0.5, 0.6));
        stop.heard(List.of(0.5, 0.7));
        assertTrue(stop.keepGoing(2, 0.1), "two trials are not enough to judge");
        stop.heard(List.of(0.5, 0.9, 0.95));
        assertTrue(stop.keepGoing(1, 0.1), "within the warm-up");
        assertFalse(stop.keepGoing(2, 0.69), "below the median 0.7 at epoch 2");
        assertTrue(stop.keepGoing(2, 0.7));
        assertTrue(stop.keepGoing(3, 0.1), "only one trial reached epoch 3");
    }

    @Test
    void withSeveralReportsAnEpochTheWarmupStaysInEpochsAndTheRuleComparesReportByReport() {
        MedianStop stop = new MedianStop(new Spec.EarlyStopSpec(1, 3), 4);
        for (double top : List.of(0.6, 0.7, 0.8)) {
            stop.heard(List.of(0.1, 0.2, 0.3, 0.4, 0.5, top, 0.9, 0.9));
        }
        assertTrue(stop.keepGoing(4, 0.0), "report 4 ends the first epoch: still the warm-up");
        assertFalse(stop.keepGoing(5, 0.49), "below the median 0.5 at report 5");
        assertTrue(stop.keepGoing(5, 0.5));
        assertFalse(stop.keepGoing(6, 0.69), "below the median 0.7 at report 6");
    }

    @Test
    void reportsInsideAnEpochMakeTheCurveAndLetTheRuleStopMidEpoch(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("quarters");
        CliRun r = search(run, "--trials", "10", "--set", "search.report-every=0.25");
        assertEquals(0, r.code(), r.err() + r.out());
        int stopped = 0;
        for (JsonObject t : trials(run)) {
            JsonObject m = t.getAsJsonObject("metrics");
            int points = m.getAsJsonArray("curve").size();
            if (m.has("stopped-after")) {
                stopped++;
                assertEquals(points, m.get("stopped-after").getAsDouble() * 4, 1e-9, t.toString());
                assertTrue(points > 4 && points < 16, "stopped after the warm-up epoch, before the end: " + t);
            } else {
                assertEquals(16, points, "4 epochs, 4 reports each: " + t);
            }
        }
        assertTrue(stopped > 0, "no trial was stopped");
        assertEquals(0, CliRun.of("report", "--run", run.toString()).code());
        assertTrue(java.util.regex.Pattern.compile("stopped after epoch [1-3]\\.\\d\\d<").matcher(Files.readString(run.resolve("report.html")))
                .find(), "the report says where, in epochs");
        CliRun bad = CliRun.of("validate-spec", "--set", "search.report-every=0.3", "specs/tabular-mlp.yaml");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("search.report-every must be 1/n of an epoch"), bad.err());
    }

    private static List<JsonObject> trials(Path run) throws Exception {
        List<JsonObject> out = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve("trials.jsonl"))) {
            out.add(JsonParser.parseString(l).getAsJsonObject());
        }
        return out;
    }

    private static CliRun search(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("search", "--spec", "specs/tabular-mlp.yaml", "--strategy", "random", "--epochs", "4",
                "--threads", "1", "--no-report", "--early-stop", "median", "--out", out.toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void stoppedTrialsWereBelowTheMedianAndAResumedRunStopsTheSame(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        CliRun r = search(whole, "--trials", "12");
        assertEquals(0, r.code(), r.err() + r.out());
        List<JsonObject> done = trials(whole);
        int stopped = 0;
        for (int i = 0; i < done.size(); i++) {
            JsonObject m = done.get(i).getAsJsonObject("metrics");
            JsonArray curve = m.getAsJsonArray("curve");
            if (!m.has("stopped-after")) {
                assertEquals(4, curve.size());
                continue;
            }
            stopped++;
            int e = m.get("stopped-after").getAsInt();
            assertEquals(e, curve.size());
            double best = 0;
            for (int k = 0; k < e; k++) {
                best = Math.max(best, curve.get(k).getAsDouble());
            }
            // The trials finished before it, at epoch e: at least 3, and their median above its best.
            List<Double> others = new ArrayList<>();
            for (JsonObject before : done.subList(0, i)) {
                JsonArray c = before.getAsJsonObject("metrics").getAsJsonArray("curve");
                if (c.size() >= e) {
                    others.add(c.get(e - 1).getAsDouble());
                }
            }
            assertTrue(e > 1 && others.size() >= 3 && best < MedianStop.median(others), "trial " + done.get(i).get("id"));
        }
        assertTrue(stopped > 0, "no trial was stopped");
        assertEquals(0, CliRun.of("report", "--run", whole.toString()).code());
        String html = Files.readString(whole.resolve("report.html"));
        assertTrue(html.contains("Learning curves: validation score per epoch (" + stopped + " stopped early, faded)"), "report");
        assertEquals(stopped, html.split("class=\"curve stopped\"", -1).length - 1);

        Path parts = dir.resolve("parts");
        assertEquals(0, search(parts, "--trials", "6").code());
        CliRun resumed = CliRun.of("search", "--resume", parts.toString(), "--trials", "12", "--threads", "1", "--no-report");
        assertEquals(0, resumed.code(), resumed.err());
        List<JsonObject> again = trials(parts);
        assertEquals(done.size(), again.size());
        for (int i = 0; i < done.size(); i++) {
            assertEquals(done.get(i).get("architecture"), again.get(i).get("architecture"));
            assertEquals(done.get(i).getAsJsonObject("metrics").get("curve"), again.get(i).getAsJsonObject("metrics").get("curve"),
                    "trial " + (i + 1) + " trained as far, to the same scores");
        }
    }

    @Test
    void workersStopTrialsByTheCurvesTheParentSendsThem(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("parallel");
        CliRun r = search(run, "--trials", "12", "--parallel", "2");
        assertEquals(0, r.code(), r.err() + r.out());
        List<JsonObject> done = trials(run);
        assertEquals(12, done.size());
        long stopped = done.stream().filter(t -> t.getAsJsonObject("metrics").has("stopped-after")).count();
        assertTrue(stopped > 0, "no trial was stopped by the workers");
        for (JsonObject t : done) {
            JsonObject m = t.getAsJsonObject("metrics");
            assertEquals(m.has("stopped-after") ? m.get("stopped-after").getAsInt() : 4, m.getAsJsonArray("curve").size());
        }
    }

    @Test
    void theRuleIsRefusedWhereNothingTrains(@TempDir Path dir) throws Exception {
        Path spec = TinyRun.write(dir.resolve("spec"));
        Path run = dir.resolve("run");
        CliRun table = CliRun.of("search", "--spec", spec.toString(), "--out", run.toString(), "--early-stop", "median");
        assertTrue(table.code() != 0 && table.err().contains("a table evaluator trains nothing"), table.err());
        CliRun bad = CliRun.of("search", "--spec", "specs/tabular-mlp.yaml", "--out", run.toString(), "--early-stop", "mean");
        assertTrue(bad.code() != 0 && bad.err().contains("search.early-stop must be none, median"), bad.err());
        assertFalse(Files.exists(run));
    }
}

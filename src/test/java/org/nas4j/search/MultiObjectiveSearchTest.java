package org.nas4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.cli.CliRun;

/** nsga2 over two table fields: its front, its resume, and the checks before it starts. */
class MultiObjectiveSearchTest {
    private static final String OBJECTIVES = "search.objectives=[{metric: acc, goal: max}, {metric: cost, goal: min}]";

    /** TinyRun's 27 architectures, each with an accuracy and a cost that mostly rise together. */
    private static Path write(Path dir) throws Exception {
        Path spec = TinyRun.write(dir);
        StringBuilder table = new StringBuilder("{");
        int n = 0;
        for (String a : TinyRun.CANDIDATES) {
            for (String b : TinyRun.CANDIDATES) {
                for (String c : TinyRun.CANDIDATES) {
                    String key = a + b + c;
                    double acc = 0.5 + (key.hashCode() % 97) / 200.0;
                    double cost = acc * 10 + (key.hashCode() % 13) / 10.0;
                    table.append(n++ == 0 ? "" : ",").append(String.format(Locale.ROOT, "\"%s\": {\"acc\": %.4f, \"cost\": %.3f}", key, acc, cost));
                }
            }
        }
        Files.writeString(dir.resolve("table.json"), table.append("}").toString());
        return spec;
    }

    private static CliRun search(Path spec, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("search", "--spec", spec.toString(), "--out", out.toString(), "--strategy", "nsga2",
                "--set", OBJECTIVES, "--option", "population=6", "--no-report"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static List<JsonObject> lines(Path file) throws Exception {
        List<JsonObject> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            out.add(JsonParser.parseString(l).getAsJsonObject());
        }
        return out;
    }

    @Test
    void theExportedFrontIsExactlyTheTrialsNothingDominates(@TempDir Path dir) throws Exception {
        Path spec = write(dir.resolve("spec"));
        Path run = dir.resolve("run");
        CliRun r = search(spec, run, "--trials", "18");
        assertEquals(0, r.code(), r.err() + r.out());
        List<JsonObject> trials = lines(run.resolve("trials.jsonl"));
        assertEquals(18, trials.size());
        CliRun export = CliRun.of("export", "--run", run.toString(), "--pareto");
        assertEquals(0, export.code(), export.err());
        JsonArray front = JsonParser.parseString(export.out()).getAsJsonArray();
        List<Integer> onFront = new ArrayList<>();
        for (JsonElement e : front) {
            onFront.add(e.getAsJsonObject().get("trial").getAsInt());
        }
        for (JsonObject t : trials) {
            double[] p = {t.getAsJsonObject("metrics").get("acc").getAsDouble(), -t.getAsJsonObject("metrics").get("cost").getAsDouble()};
            boolean dominated = trials.stream().anyMatch(o -> Pareto.dominates(new double[] {o.getAsJsonObject("metrics").get("acc").getAsDouble(),
                    -o.getAsJsonObject("metrics").get("cost").getAsDouble()}, p));
            assertEquals(!dominated, onFront.contains(t.get("id").getAsInt()), "trial " + t.get("id"));
        }
        assertTrue(front.get(0).getAsJsonObject().getAsJsonObject("objectives").has("cost"), export.out());
        Path files = dir.resolve("front");
        CliRun written = CliRun.of("export", "--run", run.toString(), "--pareto", "--out", files.toString());
        assertEquals(0, written.code(), written.err());
        JsonArray index = JsonParser.parseString(Files.readString(files.resolve("front.json"))).getAsJsonArray();
        assertEquals(front.size(), index.size());
        for (int i = 0; i < index.size(); i++) {
            JsonObject entry = index.get(i).getAsJsonObject();
            assertEquals(front.get(i).getAsJsonObject().get("architecture"),
                    JsonParser.parseString(Files.readString(files.resolve(entry.get("file").getAsString()))), "front file " + (i + 1));
        }
        CliRun report = CliRun.of("report", "--run", run.toString());
        assertEquals(0, report.code(), report.err());
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains("Pareto front (" + front.size() + " of 18 trials)"), "the report names the front");
        assertEquals(front.size(), html.split("class=\"front-point\"", -1).length - 1);
        assertEquals(18 - front.size(), html.split("class=\"dominated\"", -1).length - 1);
        assertTrue(html.contains("Hypervolume after each trial"));
    }

    @Test
    void aResumedRunProposesWhatAnUninterruptedOneDid(@TempDir Path dir) throws Exception {
        Path spec = write(dir.resolve("spec"));
        assertEquals(0, search(spec, dir.resolve("whole"), "--trials", "16").code());
        assertEquals(0, search(spec, dir.resolve("parts"), "--trials", "9").code());
        CliRun resumed = CliRun.of("search", "--resume", dir.resolve("parts").toString(), "--trials", "16", "--no-report");
        assertEquals(0, resumed.code(), resumed.err());
        List<JsonElement> whole = lines(dir.resolve("whole/trials.jsonl")).stream().map(o -> o.get("architecture")).toList();
        List<JsonElement> parts = lines(dir.resolve("parts/trials.jsonl")).stream().map(o -> o.get("architecture")).toList();
        assertEquals(whole, parts);
    }

    @Test
    void latencyIsMeasuredForEachChildWhenAnObjectiveNamesIt(@TempDir Path dir) throws Exception {
        Path spec = write(dir.resolve("spec"));
        Path run = dir.resolve("run");
        CliRun r = CliRun.of("search", "--spec", spec.toString(), "--out", run.toString(), "--strategy", "nsga2", "--trials", "8",
                "--option", "population=4", "--no-report", "--set", "search.objectives=[{metric: acc, goal: max}, {metric: latency-ms, goal: min}]");
        assertEquals(0, r.code(), r.err() + r.out());
        for (JsonObject t : lines(run.resolve("trials.jsonl"))) {
            double ms = t.getAsJsonObject("metrics").get("latency-ms").getAsDouble();
            assertTrue(ms > 0 && ms < 1000, "latency " + ms + " ms");
        }
        // Predicted from a per-block table instead: every child gets a time, from blocks timed once.
        Path predicted = dir.resolve("predicted");
        CliRun p = CliRun.of("search", "--spec", spec.toString(), "--out", predicted.toString(), "--strategy", "nsga2", "--trials", "8",
                "--option", "population=4", "--no-report", "--set", "search.objectives=[{metric: acc, goal: max}, {metric: latency-ms, goal: min}]",
                "--set", "search.latency={predict: table, batch: 2}");
        assertEquals(0, p.code(), p.err() + p.out());
        for (JsonObject t : lines(predicted.resolve("trials.jsonl"))) {
            assertTrue(t.getAsJsonObject("metrics").get("latency-ms").getAsDouble() > 0);
        }
        // Without such an objective nothing is measured.
        assertEquals(0, search(spec, dir.resolve("plain"), "--trials", "3").code());
        assertFalse(Files.readString(dir.resolve("plain/trials.jsonl")).contains("latency-ms"));
    }

    @Test
    void objectivesAreCheckedBeforeTheRunExists(@TempDir Path dir) throws Exception {
        Path spec = write(dir.resolve("spec"));
        Path run = dir.resolve("run");
        CliRun alone = CliRun.of("search", "--spec", spec.toString(), "--out", run.toString(), "--strategy", "nsga2");
        assertTrue(alone.code() != 0 && alone.err().contains("nsga2 needs search.objectives with at least two metrics"), alone.err());
        CliRun unknown = CliRun.of("search", "--spec", spec.toString(), "--out", run.toString(), "--strategy", "nsga2",
                "--set", "search.objectives=[{metric: acc, goal: max}, {metric: latency, goal: min}]");
        assertTrue(unknown.code() != 0 && unknown.err().contains("no metric 'latency'; the evaluator records acc, cost, flops, latency-ms, params"),
                unknown.err());
        assertFalse(Files.exists(run));
        CliRun validate = CliRun.of("validate-spec", spec.toString(), "--set", "search.objectives=[{metric: speed, goal: fast}]");
        assertEquals(1, validate.code());
        assertTrue(validate.err().contains("unknown search.objectives.goal 'fast'"), validate.err());
        CliRun single = CliRun.of("export", "--run", dir.resolve("none").toString(), "--pareto");
        assertEquals(1, single.code());
    }
}

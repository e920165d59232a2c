package org.nas4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.cli.CliRun;

/** Everything that would stop a search is refused before its run directory exists; runs end honestly. */
class SearchChecksTest {
    private static final String TWO_TO_THE_63 = "9223372036854775808";

    private static List<String> search(Path spec, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("search", "--spec", spec.toString(), "--out", out.toString()));
        args.addAll(List.of(more));
        return args;
    }

    private static CliRun run(List<String> args) {
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void everyCountOutOfRangeIsAUsageErrorAndMakesNothing(@TempDir Path dir) throws Exception {
        Path spec = TinyRun.write(dir.resolve("spec"));
        Path out = dir.resolve("run");
        for (String option : List.of("--trials", "--epochs", "--threads", "--parallel", "--max-failures")) {
            for (String value : List.of("0", "-1", TWO_TO_THE_63)) {
                CliRun r = run(search(spec, out, option, value));
                assertEquals(2, r.code(), option + " " + value + ": " + r.out() + r.err());
                assertTrue(r.err().contains(option), option + " " + value + ": " + r.err());
                assertTrue(r.err().contains("see nas search --help") && !r.err().contains("Usage:"), r.err());
                assertFalse(Files.exists(out), option + " " + value + " made the run directory");
            }
        }
        for (String value : List.of("9223372036854775807h", "99999999h", "-5s", "soon")) {
            CliRun r = run(search(spec, out, "--max-duration", value));
            assertEquals(2, r.code(), value + ": " + r.err());
            assertFalse(r.crashed(), r.err());
        }
        for (String[] args : List.of(new String[] {"retrain", "--spec", spec.toString(), "--arch", "x.json", "--epochs", "0"},
                new String[] {"retrain", "--spec", spec.toString(), "--arch", "x.json", "--threads", "-1"},
                new String[] {"evaluate", "--model", "m", "--threads", TWO_TO_THE_63},
                new String[] {"export", "--run", "r", "--top", "0"})) {
            CliRun r = CliRun.of(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains("see nas " + args[0] + " --help"), r.err());
        }
        assertFalse(Files.exists(out));
    }

    @Test
    void helpCommandAndUsageErrorsStayShort() {
        CliRun help = CliRun.of("help", "search");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--resume") && help.out().contains("--skip-bad-lines"), help.out());
        CliRun bad = CliRun.of("search", "--trails", "3");
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("nas search: Unknown option"), bad.err());
        assertTrue(bad.err().contains("--trials") && bad.err().strip().endsWith("see nas search --help"), bad.err());
        assertTrue(bad.err().lines().count() <= 4, bad.err());
    }

    @Test
    void noReportLeavesTheReportToNasReport(@TempDir Path dir) throws Exception {
        Path spec = TinyRun.write(dir.resolve("spec"));
        Path out = dir.resolve("run");
        CliRun quiet = run(search(spec, out, "--trials", "4", "--no-report"));
        assertEquals(0, quiet.code(), quiet.err());
        assertFalse(Files.exists(out.resolve("report.html")));
        assertFalse(quiet.out().contains("report:"), quiet.out());
        CliRun resumed = run(List.of("search", "--resume", out.toString(), "--trials", "6", "--no-report"));
        assertEquals(0, resumed.code(), resumed.err());
        assertFalse(Files.exists(out.resolve("report.html")));
        CliRun report = CliRun.of("report", "--run", out.toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(Files.readString(out.resolve("report.html")).contains("trial 6"), "the report shows all six trials");
    }

    @Test
    void resumeTakesBudgetsAndRefusesEverythingElse(@TempDir Path dir) throws Exception {
        Path spec = TinyRun.write(dir.resolve("spec"));
        Path out = dir.resolve("run");
        assertEquals(0, run(search(spec, out, "--trials", "5")).code());
        for (List<String> other : List.of(List.of("--seed", "3"), List.of("--strategy", "grid"), List.of("--option", "dedup=false"),
                List.of("--epochs", "2"), List.of("--out", "elsewhere"), List.of("--set", "data.limit=5"))) {
            List<String> args = new ArrayList<>(List.of("search", "--resume", out.toString()));
            args.addAll(other);
            CliRun r = run(args);
            assertEquals(2, r.code(), other + ": " + r.err());
            assertTrue(r.err().contains(other.get(0) + " cannot be changed when resuming"), r.err());
        }
        CliRun more = CliRun.of("search", "--resume", out.toString(), "--trials", "8");
        assertEquals(0, more.code(), more.err());
        assertEquals(8, Files.readAllLines(out.resolve("trials.jsonl")).size());
        assertTrue(Files.readString(out.resolve("run.json")).contains("\"trials\": 8"));
        CliRun again = CliRun.of("search", "--resume", out.toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(8, Files.readAllLines(out.resolve("trials.jsonl")).size(), "the new budget is kept in run.json");
        CliRun skip = CliRun.of("search", "--spec", spec.toString(), "--skip-bad-lines");
        assertEquals(2, skip.code());
    }

    @Test
    void outNeverTakesOverADirectoryThatHoldsSomethingElse(@TempDir Path dir) throws Exception {
        Path spec = TinyRun.write(dir.resolve("spec"));
        Path mine = dir.resolve("mine");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("thesis.tex"), "years of work");
        CliRun r = run(search(spec, mine));
        assertEquals(1, r.code());
        assertTrue(r.err().contains(mine + " is not empty and holds no nas4j run; use another --out or --resume"), r.err());
        assertEquals(List.of(mine.resolve("thesis.tex")), Files.list(mine).toList());

        Path model = dir.resolve("model");
        Files.createDirectories(model);
        Files.writeString(model.resolve("model.json"), "{}");
        assertTrue(run(search(spec, model)).err().contains("holds a saved model"));

        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        assertTrue(run(search(spec, file)).err().contains("exists and is not a directory"));
        CliRun under = run(search(spec, file.resolve("runs/x")));
        assertEquals(1, under.code());
        assertTrue(under.err().startsWith("nas search: cannot create run directory " + file.resolve("runs") + ": "), under.err());
        assertFalse(under.crashed(), under.err());

        Path run = dir.resolve("run");
        assertEquals(0, run(search(spec, run, "--trials", "2")).code());
        CliRun twice = run(search(spec, run, "--trials", "2"));
        assertEquals(1, twice.code());
        assertTrue(twice.err().contains("already holds a run; continue it with nas search --resume"), twice.err());
    }

    @Test
    void retrainNeverWritesIntoARunOrOverAModel(@TempDir Path dir) throws Exception {
        Path spec = TinyRun.write(dir.resolve("spec"));
        Path run = dir.resolve("run");
        assertEquals(0, run(search(spec, run, "--trials", "2")).code());
        String arch = run.resolve("architecture.json").toString();
        CliRun intoRun = CliRun.of("retrain", "--spec", spec.toString(), "--arch", arch, "--out", run.toString(), "--force");
        assertEquals(1, intoRun.code());
        assertTrue(intoRun.err().contains("is a search run's directory"), intoRun.err());
        Path model = dir.resolve("model");
        assertEquals(0, CliRun.of("retrain", "--spec", spec.toString(), "--arch", arch, "--out", model.toString()).code());
        byte[] saved = Files.readAllBytes(model.resolve("model.json"));
        CliRun again = CliRun.of("retrain", "--spec", spec.toString(), "--arch", arch, "--out", model.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already holds a saved model; use another --out, or --force"), again.err());
        assertEquals(new String(saved), Files.readString(model.resolve("model.json")));
        assertEquals(0, CliRun.of("retrain", "--spec", spec.toString(), "--arch", arch, "--out", model.toString(), "--force").code());
    }

    @Test
    void aStartThatCannotWorkIsRefusedBeforeTheRunDirectoryExists(@TempDir Path dir) throws Exception {
        Path spec = TinyRun.write(dir.resolve("spec"));
        Path out = dir.resolve("run");
        CliRun options = run(search(spec, out, "--strategy", "evolution", "--option", "population=3", "--option", "sample=5"));
        assertEquals(1, options.code());
        assertTrue(options.err().contains("sample (5) cannot exceed population (3)"), options.err());
        assertFalse(Files.exists(out));

        Path constrained = TinyRun.write(dir.resolve("c"), "  constraints: {max-params: 5}\n", k -> true);
        CliRun none = run(search(constrained, out));
        assertEquals(1, none.code());
        assertTrue(none.err().contains("max-params 5 admits no architecture: the smallest child has 10 parameters"), none.err());
        assertFalse(Files.exists(out));
        CliRun validate = CliRun.of("validate-spec", constrained.toString());
        assertEquals(1, validate.code());
        assertTrue(validate.err().contains("max-params 5 admits no architecture"), validate.err());

        for (String[] table : List.of(new String[] {"/dev/zero", "not a regular file"}, new String[] {"missing.json", "no such file"},
                new String[] {"[1, 2]", "a table is a JSON object"}, new String[] {"{\"secret-token-93\": ", "not valid JSON"},
                new String[] {"{\"ttt\": {\"acc\": 0.5}}", "does not fit the table: the table has no entry 'rrr'"},
                new String[] {"{\"rrr\": 5}", "entry 1 is not a JSON object"})) {
            Path d = dir.resolve("t" + table.hashCode());
            Path s = TinyRun.write(d);
            if (table[0].startsWith("/")) {
                Files.writeString(s, Files.readString(s).replace("table: table.json", "table: " + table[0]));
            } else if (table[0].equals("missing.json")) {
                Files.delete(d.resolve("table.json"));
            } else {
                Files.writeString(d.resolve("table.json"), table[0]);
            }
            CliRun r = run(search(s, out));
            assertEquals(1, r.code(), table[0] + ": " + r.err());
            assertTrue(r.err().contains(table[1]), table[0] + ": " + r.err());
            assertFalse(r.err().contains("secret"), r.err());
            assertFalse(Files.exists(out), table[0]);
            // The spec itself is sound: validate-spec notes what a search here would stop on.
            CliRun v = CliRun.of("validate-spec", s.toString());
            assertEquals(0, v.code());
            assertTrue(v.err().contains("note: nas search would stop here: ") && v.err().contains(table[1]), v.err());
        }

        CliRun data = run(search(dir.resolve("spec/tiny.yaml"), out, "--strategy", "darts", "--set", "data.dataset=idx", "--set",
                "data.path=" + dir.resolve("no-such-data")));
        assertEquals(1, data.code());
        assertTrue(data.err().contains("no-such-data does not exist"), data.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aSearchWhoseTrialsAllFailSaysSoAndNamesNoBest(@TempDir Path dir) throws Exception {
        // Only the space's first architecture is in the table; the seed's trials are others, and fail.
        Path spec = TinyRun.write(dir.resolve("spec"), "", k -> k.equals("rrr"));
        Path out = dir.resolve("run");
        CliRun r = run(search(spec, out, "--trials", "3", "--seed", "1"));
        assertFalse(Files.readString(out.resolve("trials.jsonl")).contains("{\"a\":\"r\",\"b\":\"r\",\"c\":\"r\"}"),
                "the seed drew the one architecture in the table");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("all 3 trials failed, so there is no best architecture"), r.err());
        assertFalse(Files.exists(out.resolve("architecture.json")));
        CliRun export = CliRun.of("export", "--run", out.toString());
        assertEquals(1, export.code());
        assertTrue(export.err().contains("all 3 finished trials failed"), export.err());
    }

    @Test
    void pathScoringAsksNoMoreThanTheSpaceHolds(@TempDir Path dir) {
        Path out = dir.resolve("run");
        CliRun r = CliRun.of("search", "--spec", "specs/mnist.yaml", "--strategy", "spos", "--epochs", "1", "--trials", "40",
                "--threads", "1", "--set", "data.dataset=synthetic", "--set", "data.limit=128", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("the space holds 4 architectures; 4 paths will be scored, not 40"), r.out());
        assertTrue(r.out().contains("trial 4/4"), r.out());
    }

    @Test
    void fileErrorsNameTheFileAndTheReason(@TempDir Path dir) throws Exception {
        Path spec = TinyRun.write(dir.resolve("spec"));
        Path run = dir.resolve("run");
        assertEquals(0, run(search(spec, run, "--trials", "2")).code());
        Path nowhere = dir.resolve("no-such-folder/best.json");
        CliRun export = CliRun.of("export", "--run", run.toString(), "--out", nowhere.toString());
        assertEquals(1, export.code());
        assertEquals("nas export: cannot write " + nowhere + ": no such file or directory", export.err().strip());
        CliRun report = CliRun.of("report", "--run", run.toString(), "--out", nowhere.toString());
        assertEquals(1, report.code());
        assertEquals("nas report: cannot write " + nowhere + ": no such file or directory", report.err().strip());
        CliRun notRun = CliRun.of("export", "--run", dir.resolve("spec").toString());
        assertEquals(1, notRun.code());
        assertTrue(notRun.err().contains("is not a search run: it has no run.json"), notRun.err());
    }
}

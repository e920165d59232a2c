package org.nas4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.cli.CliRun;
import org.nas4j.space.Architecture;
import org.nas4j.spec.SpecLoader;

/** Hyperband, ASHA and BOHB: their rungs, their proposals, and whole runs on the generated curve table. */
class MultiFidelityTest {
    private static final Path SPEC = Path.of("specs/curve-bench.yaml");

    private static StrategyOptions options(String name, Map<String, String> given) {
        return Strategies.info(name).parse(given);
    }

    private static Strategy strategy(String name, Map<String, String> given) {
        var c = SpecLoader.load(SPEC);
        StrategyInfo info = Strategies.info(name);
        return Strategies.create(info, info.parse(given), c.space(), 7, a -> true, List.of());
    }

    /** A score that grows with the budget and differs between architectures. */
    private static double score(Architecture a, int budget) {
        return (Math.floorMod(a.hashCode(), 1000) / 1000.0) * (1 - Math.exp(-budget / 3.0));
    }

    @Test
    void rungsClimbFromMinToMaxBudgetByEta() {
        assertEquals(List.of(1, 3, 9), Rungs.of(options("hyperband", Map.of())).budgets());
        assertEquals(List.of(1, 3, 9, 27), Rungs.of(options("asha", Map.of("max-budget", "27"))).budgets());
        assertEquals(List.of(1, 3, 10), Rungs.of(options("asha", Map.of("max-budget", "10"))).budgets());
        assertEquals(List.of(4, 12, 36), Rungs.of(options("bohb", Map.of("min-budget", "4", "max-budget", "36"))).budgets());
        assertEquals(List.of(2), Rungs.of(options("hyperband", Map.of("min-budget", "2", "max-budget", "2"))).budgets());
        String m = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> options("hyperband", Map.of("min-budget", "5", "max-budget", "3"))).getMessage();
        assertTrue(m.contains("max-budget (3) must be at least min-budget (5)"), m);
    }

    @Test
    void hyperbandRunsItsBracketsAndPromotesTheBestThird() {
        Strategy hb = strategy("hyperband", Map.of());
        Map<Integer, Integer> perBudget = new HashMap<>();
        List<Map<Architecture, Double>> rungScores = new ArrayList<>();
        for (int t = 0; t < 22; t++) {
            Proposal p = hb.next();
            perBudget.merge(p.budget(), 1, Integer::sum);
            double s = score(p.architecture(), p.budget());
            hb.report(p.architecture(), s, Map.of("budget", p.budget()));
            if (t == 0 || t == 9 || t == 12) {
                rungScores.add(new HashMap<>());
            }
            if (t < 13) {
                rungScores.get(rungScores.size() - 1).put(p.architecture(), s);
            }
        }
        // Li et al. with R = 9, eta = 3: brackets 9@1 -> 3@3 -> 1@9, then 5@3 -> 1@9, then 3@9.
        assertEquals(Map.of(1, 9, 3, 3 + 5, 9, 1 + 1 + 3), perBudget);
        // The three promoted from the first rung are its three best.
        List<Architecture> best = rungScores.get(0).entrySet().stream().sorted(Map.Entry.<Architecture, Double>comparingByValue().reversed())
                .limit(3).map(Map.Entry::getKey).toList();
        assertEquals(new java.util.HashSet<>(best), rungScores.get(1).keySet());
    }

    @Test
    void hyperbandWaitsForARungWhileAshaNeverDoes() {
        Strategy hb = strategy("hyperband", Map.of());
        List<Proposal> first = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            first.add(hb.next());
        }
        assertSame(Proposal.WAIT, hb.next(), "the rung's nine results come first");
        for (Proposal p : first.subList(0, 8)) {
            hb.report(p.architecture(), score(p.architecture(), 1), Map.of("budget", 1));
        }
        assertSame(Proposal.WAIT, hb.next());
        hb.report(first.get(8).architecture(), score(first.get(8).architecture(), 1), Map.of("budget", 1));
        assertEquals(3, hb.next().budget());

        Strategy asha = strategy("asha", Map.of());
        List<Proposal> started = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            started.add(asha.next());
        }
        assertTrue(started.stream().allMatch(p -> p.budget() == 1));
        Proposal best = started.stream().max(java.util.Comparator.comparingDouble(p -> score(p.architecture(), 1))).orElseThrow();
        for (Proposal p : started) {
            asha.report(p.architecture(), score(p.architecture(), 1), Map.of("budget", 1));
        }
        Proposal promoted = asha.next();
        assertEquals(3, promoted.budget(), "three results at rung 0: the best goes up at once");
        assertEquals(best.architecture(), promoted.architecture());
        assertEquals(1, asha.next().budget(), "nothing else to promote: a new child");
    }

    @Test
    void aFailedTrialIsNeverPromoted() {
        Strategy asha = strategy("asha", Map.of());
        List<Proposal> started = List.of(asha.next(), asha.next(), asha.next());
        for (Proposal p : started) {
            asha.report(p.architecture(), Double.NaN, Map.of("budget", 1));
        }
        assertEquals(1, asha.next().budget());
    }

    private static List<JsonObject> journal(Path run) throws Exception {
        List<JsonObject> lines = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve("trials.jsonl"))) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            o.remove("seconds");
            lines.add(o);
        }
        return lines;
    }

    @Test
    void aRunCutShortResumesToTheTrialsOfAnUninterruptedOne(@TempDir Path dir) throws Exception {
        for (String strategy : List.of("hyperband", "asha", "bohb")) {
            Path whole = dir.resolve(strategy + "-whole");
            CliRun w = CliRun.of("search", "--spec", SPEC.toString(), "--strategy", strategy, "--trials", "60", "--seed", "3",
                    "--no-report", "--out", whole.toString());
            assertEquals(0, w.code(), w.err());
            Path cut = dir.resolve(strategy + "-cut");
            assertEquals(0, CliRun.of("search", "--spec", SPEC.toString(), "--strategy", strategy, "--trials", "25", "--seed", "3",
                    "--no-report", "--out", cut.toString()).code());
            // A crash while the last trial ran: proposed, its result never journalled.
            List<String> lines = Files.readAllLines(cut.resolve("trials.jsonl"));
            Files.write(cut.resolve("trials.jsonl"), lines.subList(0, lines.size() - 1));
            CliRun r = CliRun.of("search", "--resume", cut.toString(), "--trials", "60", "--no-report");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("resuming after 24 trials; 1 cut off by the crash runs again"), r.out());
            assertEquals(journal(whole), journal(cut), strategy + ": the same trainings at the same budgets, none repeated or lost");
            List<Integer> budgets = journal(whole).stream().map(o -> o.getAsJsonObject("metrics").get("budget").getAsInt()).toList();
            assertTrue(budgets.contains(27) && budgets.contains(1), strategy + " " + budgets);
        }
    }

    @Test
    void ashaRunsInParallelWorkersAndReachesTheTopRung(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("asha");
        CliRun r = CliRun.of("search", "--spec", SPEC.toString(), "--strategy", "asha", "--trials", "40", "--parallel", "2",
                "--threads", "1", "--no-report", "--out", run.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        List<JsonObject> trials = journal(run);
        assertEquals(40, trials.size());
        assertTrue(trials.stream().allMatch(o -> o.get("status").getAsString().equals("ok")));
        assertTrue(trials.stream().anyMatch(o -> o.getAsJsonObject("metrics").get("budget").getAsInt() == 9), "some child was promoted twice");
    }

    @Test
    void killedWithParallelWorkersItLosesNoResultAndRepeatsNoRung(@TempDir Path dir) throws Exception {
        for (String strategy : List.of("asha", "hyperband")) {
            Path run = dir.resolve(strategy);
            Path log = dir.resolve(strategy + ".log");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                    "-cp", System.getProperty("java.class.path"), "org.nas4j.cli.Main", "search", "--spec", SPEC.toString(), "--strategy",
                    strategy, "--trials", "300", "--parallel", "2", "--threads", "1", "--no-report", "--out", run.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Path journal = run.resolve("trials.jsonl");
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
            while (p.isAlive() && System.nanoTime() < deadline && (!Files.exists(journal) || Files.readAllLines(journal).size() < 15)) {
                Thread.sleep(20);
            }
            assertTrue(p.isAlive(), "the search ended before it could be killed: " + Files.readString(log));
            p.destroyForcibly();
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            List<JsonObject> before = journal(run);
            CliRun r = CliRun.of("search", "--resume", run.toString(), "--parallel", "2", "--threads", "1", "--no-report");
            assertEquals(0, r.code(), r.err() + r.out());
            List<JsonObject> after = journal(run);
            assertEquals(300, after.size());
            assertEquals(before, after.subList(0, before.size()), strategy + ": every result journalled before the kill is kept");
            java.util.Set<String> runs = new java.util.HashSet<>();
            for (JsonObject t : after) {
                String rung = t.get("architecture") + "@" + t.getAsJsonObject("metrics").get("budget");
                assertTrue(runs.add(rung), strategy + ": " + rung + " trained twice");
            }
        }
    }

    @Test
    void ashaOnMnistMacroTrainsInWorkersSurvivesAKillContinuesPromotedChildrenAndItsExportRetrains(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("asha");
        List<String> args = List.of("search", "--spec", "specs/mnist-macro.yaml", "--strategy", "asha", "--parallel", "2",
                "--threads", "1", "--trials", "12", "--option", "max-budget=3", "--set", "data.dataset=synthetic",
                "--set", "data.limit=256", "--out", run.toString());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "org.nas4j.cli.Main"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        Path journal = run.resolve("trials.jsonl");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(3);
        while (p.isAlive() && System.nanoTime() < deadline && (!Files.exists(journal) || Files.readAllLines(journal).size() < 4)) {
            Thread.sleep(50);
        }
        assertTrue(p.isAlive(), "ended before the kill: " + Files.readString(dir.resolve("log")));
        p.destroyForcibly();
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        CliRun r = CliRun.of("search", "--resume", run.toString(), "--parallel", "2", "--threads", "1");
        assertEquals(0, r.code(), r.err() + r.out());
        List<JsonObject> trials = journal(run);
        assertEquals(12, trials.size());
        List<JsonObject> promoted = trials.stream().filter(o -> o.getAsJsonObject("metrics").get("budget").getAsInt() == 3).toList();
        assertFalse(promoted.isEmpty(), "some child went up a rung");
        assertTrue(promoted.stream().anyMatch(o -> o.getAsJsonObject("metrics").has("continued-from")), "promoted children continue");
        for (JsonObject o : promoted) {
            assertEquals(3, o.getAsJsonObject("metrics").getAsJsonArray("curve").size(), "a promoted child's curve starts at epoch 1");
        }
        assertFalse(Files.exists(run.resolve("children")), "the children's states go when the search ends");
        assertTrue(Files.readString(run.resolve("report.html")).contains("Learning curves"));
        Path arch = dir.resolve("best.json");
        assertEquals(0, CliRun.of("export", "--run", run.toString(), "--out", arch.toString()).code());
        CliRun retrain = CliRun.of("retrain", "--spec", "specs/mnist-macro.yaml", "--arch", arch.toString(), "--epochs", "1",
                "--set", "data.dataset=synthetic", "--set", "data.limit=256", "--out", dir.resolve("model").toString());
        assertEquals(0, retrain.code(), retrain.err());
    }

    @Test
    void aTableWithoutCurvesIsRefusedBeforeTheSearchStarts(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("r");
        CliRun r = CliRun.of("search", "--spec", "specs/nas-bench-macro.yaml", "--strategy", "hyperband", "--out", run.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("at the strategy's budgets [1, 3, 9]") && r.err().contains("not a curve over budgets"), r.err());
        assertFalse(Files.exists(run));
        CliRun big = CliRun.of("search", "--spec", SPEC.toString(), "--strategy", "asha", "--option", "max-budget=81",
                "--out", run.toString());
        assertEquals(1, big.code());
        assertTrue(big.err().contains("for 1 to 27 epochs, not 81"), big.err());
    }

    @Test
    void anotherStrategyGivenOnTheCommandLineLeavesOutTheSpecsOptionsItDoesNotTake(@TempDir Path dir) {
        CliRun r = CliRun.of("search", "--spec", SPEC.toString(), "--strategy", "random", "--trials", "3", "--no-report",
                "--out", dir.resolve("r").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("search.options min-budget, max-budget, eta are not options of random; left out"), r.out());
        CliRun typo = CliRun.of("search", "--spec", SPEC.toString(), "--option", "max-budgt=3", "--out", dir.resolve("t").toString());
        assertEquals(1, typo.code(), "a strategy's own options are still checked");
    }

    @Test
    void curvesMayBeGivenAsBudgetToValue(@TempDir Path dir) throws Exception {
        Path table = dir.resolve("t.json");
        Files.writeString(table, "{\"x\": {\"acc\": {\"4\": 0.5, \"12\": 0.7, \"36\": 0.8}, \"params\": 10}}");
        TableEvaluator t = new TableEvaluator(table, "x", "acc");
        Architecture any = Architecture.of(Map.of());
        assertEquals(0.7, t.evaluate(any, 12).score());
        assertEquals(0.8, t.evaluate(any).score(), "without a budget, the largest");
        String m = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> t.evaluate(any, 5)).getMessage();
        assertTrue(m.contains("for budgets 4, 12, 36, not 5"), m);
        assertNull(t.evaluate(any, 4).metrics().get("curve"));
    }
}

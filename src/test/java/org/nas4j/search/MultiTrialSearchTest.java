package org.nas4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.cli.CliRun;
import org.nas4j.space.Architecture;
import org.nas4j.space.Sampler;
import org.nas4j.spec.SpecLoader;

/** Strategies on real spaces, the table evaluator, and runs that survive a crash. */
class MultiTrialSearchTest {
    private static final String SMALL = """
            nas: 1
            input: [3, 8, 8]
            data: {dataset: synthetic}
            model:
              - {id: a, op: conv2d, channels: 4, kernel: {choice: [1, 3]}, padding: same}
              - {id: b, layer-choice: {r: {op: relu}, t: {op: tanh}, i: {op: identity}}}
              - {id: c, op: conv2d, channels: 4, kernel: 1}
              - {id: d, input-choice: {from: [a, c], n-chosen: 1}}
              - {id: e, input-choice: {from: [c]}}
              - {op: add, inputs: [d, e]}
            """;

    private static SpecLoader.Checked small() {
        SpecLoader.Checked c = SpecLoader.check("small.yaml", SMALL.getBytes(StandardCharsets.UTF_8));
        assertTrue(c.ok(), c.errors().toString());
        return c;
    }

    @Test
    void gridVisitsEveryPointOnceInAStableOrder() {
        SpecLoader.Checked c = small();
        assertEquals(BigInteger.valueOf(2 * 3 * 2 * 2), c.space().size());
        Strategy grid = Strategies.create("grid", c.space(), 1, Map.of(), a -> true);
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        Architecture arch;
        while ((arch = grid.propose()) != null) {
            assertTrue(seen.add(arch.toString()), "twice: " + arch);
            order.add(arch.toString());
        }
        assertEquals(24, seen.size());
        Strategy again = Strategies.create("grid", c.space(), 99, Map.of(), a -> true);
        assertEquals(order.get(0), again.propose().toString());
    }

    @Test
    void randomNeverRepeatsAndStopsWhenTheSpaceIsExhausted() {
        SpecLoader.Checked c = small();
        Strategy random = Strategies.create("random", c.space(), 3, Map.of(), a -> true);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 24; i++) {
            Architecture arch = random.propose();
            assertTrue(seen.add(arch.toString()), "repeated " + arch);
            random.report(arch, i);
        }
        assertNull(random.propose());
    }

    @Test
    void samplesAndMutantsAreValidArchitectures() throws Exception {
        SpecLoader.Checked c = small();
        Sampler sampler = new Sampler(c.space());
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 200; i++) {
            Architecture a = sampler.random(r);
            Architecture m = sampler.mutate(a, r);
            org.nas4j.space.Architectures.read(org.nas4j.space.Architectures.write(a), c.space());
            org.nas4j.space.Architectures.read(org.nas4j.space.Architectures.write(m), c.space());
            long changed = a.keys().stream().filter(k -> !a.get(k).equals(m.get(k))).count();
            assertEquals(1, changed, a + " -> " + m);
        }
    }

    @Test
    void constraintsAreRespected() {
        SpecLoader.Checked c = small();
        Strategy grid = Strategies.create("grid", c.space(), 1, Map.of(), a -> "r".equals(a.get("b")));
        Architecture arch;
        int n = 0;
        while ((arch = grid.propose()) != null) {
            assertEquals("r", arch.get("b"));
            n++;
        }
        assertEquals(8, n);
    }

    @Test
    void evolutionFindsTheMacroTablesOptimumWithinAThirdOfTheSpace(@TempDir Path dir) throws Exception {
        // Architectures equal up to identity layers share one table entry, so the optimum is a score.
        // Random search cannot pass this by construction (a third of the space holds a given point
        // with probability about 1/3).
        com.google.gson.JsonObject table = com.google.gson.JsonParser.parseString(
                Files.readString(Path.of("benchmarks/nas-bench-macro/nas-bench-macro_cifar10.json"))).getAsJsonObject();
        double optimum = table.entrySet().stream().mapToDouble(e -> e.getValue().getAsJsonObject().get("mean_acc").getAsDouble())
                .max().orElseThrow();
        for (String strategy : List.of("evolution", "tpe")) {
            int found = 0;
            for (int seed = 0; seed < 10; seed++) {
                Path run = dir.resolve(strategy + seed);
                CliRun r = CliRun.of("search", "--spec", "specs/nas-bench-macro.yaml", "--strategy", strategy, "--trials", "2187",
                        "--seed", String.valueOf(seed), "--out", run.toString());
                assertEquals(0, r.code(), r.err());
                double best = Files.readAllLines(run.resolve("trials.jsonl")).stream()
                        .mapToDouble(l -> com.google.gson.JsonParser.parseString(l).getAsJsonObject().get("score").getAsDouble())
                        .max().orElseThrow();
                if (best >= optimum - 1e-9) {
                    found++;
                }
            }
            assertTrue(found >= 9, strategy + " found the optimum " + optimum + " in " + found + " of 10 seeds");
        }
    }

    @Test
    void aRunCutByACrashResumesToTheSameTrials(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        assertEquals(0, CliRun.of("search", "--spec", "specs/nas-bench-macro.yaml", "--trials", "60", "--seed", "7",
                "--out", whole.toString()).code());
        Path cut = dir.resolve("cut");
        assertEquals(0, CliRun.of("search", "--spec", "specs/nas-bench-macro.yaml", "--trials", "60", "--seed", "7",
                "--out", cut.toString()).code());
        List<String> lines = Files.readAllLines(cut.resolve("trials.jsonl"));
        // What a kill -9 leaves: 25 whole trials and half of the 26th.
        Files.writeString(cut.resolve("trials.jsonl"), String.join("\n", lines.subList(0, 25)) + "\n"
                + lines.get(25).substring(0, lines.get(25).length() / 2));
        // ... and the proposals up to the 26th, the trial it was writing.
        Files.write(cut.resolve("proposals.jsonl"), Files.readAllLines(cut.resolve("proposals.jsonl")).subList(0, 26));
        CliRun resumed = CliRun.of("search", "--resume", cut.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("cut off by a crash") && resumed.out().contains("resuming after 25 trials; 1 cut off by the crash runs again"), resumed.out());
        assertEquals(architectures(whole), architectures(cut));
        assertEquals(Files.readString(whole.resolve("architecture.json")), Files.readString(cut.resolve("architecture.json")));
    }

    /** The architectures of a run's journal, in order. */
    static List<String> architectures(Path run) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("trials.jsonl"))) {
            out.add(com.google.gson.JsonParser.parseString(line).getAsJsonObject().get("architecture").toString());
        }
        return out;
    }

    @Test
    void exportWritesTheBestInBothFormatsAndTheTopK(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        assertEquals(0, CliRun.of("search", "--spec", "specs/nas-bench-macro.yaml", "--trials", "30", "--out", run.toString()).code());
        CliRun nativeBest = CliRun.of("export", "--run", run.toString());
        assertEquals(Files.readString(run.resolve("architecture.json")), nativeBest.out());
        CliRun nni = CliRun.of("export", "--run", run.toString(), "--format", "nni-v1");
        assertTrue(nni.out().contains("\"layer1\": ["), nni.out());
        CliRun top = CliRun.of("export", "--run", run.toString(), "--top", "3");
        assertEquals(3, com.google.gson.JsonParser.parseString(top.out()).getAsJsonArray().size());
        CliRun notARun = CliRun.of("export", "--run", dir.toString());
        assertEquals(1, notARun.code());
        assertTrue(notARun.err().contains("is not a search run"), notARun.err());
    }

    @Test
    void askingForMoreTrialsThanTheSpaceHoldsStops() {
        CliRun run = CliRun.of("search", "--spec", "specs/mnist.yaml", "--trials", "5", "--out", "target/never");
        assertEquals(1, run.code());
        assertTrue(run.err().contains("the space holds only 4 architectures"), run.err());
    }

    /** specs/mnist.yaml scored by a table that knows only two of its four children. */
    private static Path halfTable(Path dir) throws Exception {
        Path table = dir.resolve("half.json");
        Files.writeString(table, "{\"conv3x3|\": {\"acc\": 0.9}, \"conv5x5|conv2\": {\"acc\": 0.95}}");
        return table;
    }

    private static String[] mnistOnTable(Path dir, Path table, String... more) {
        List<String> args = new ArrayList<>(List.of("search", "--spec", "specs/mnist.yaml", "--strategy", "grid", "--trials", "4",
                "--set", "search.evaluator={type: table, table: " + table + ", key: '{conv1}|{skipcon}', metric: acc}",
                "--out", dir.resolve("run" + more.length).toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aFailedTrialIsRecordedAndTheSearchGoesOn(@TempDir Path dir) throws Exception {
        CliRun run = CliRun.of(mnistOnTable(dir, halfTable(dir)));
        assertEquals(0, run.code(), run.err());
        List<String> lines = Files.readAllLines(dir.resolve("run0/trials.jsonl"));
        assertEquals(4, lines.size());
        assertEquals(2, lines.stream().filter(l -> l.contains("\"status\":\"failed\"")
                && l.contains("the table has no entry")).count(), String.join("\n", lines));
        assertTrue(Files.readString(dir.resolve("run0/architecture.json")).contains("conv5x5"));
        assertTrue(run.out().contains("2 trials failed"), run.out());
    }

    @Test
    void maxFailuresStopsTheSearchWithAMessage(@TempDir Path dir) throws Exception {
        CliRun run = CliRun.of(mnistOnTable(dir, halfTable(dir), "--max-failures", "1"));
        assertEquals(1, run.code(), run.out());
        assertTrue(run.out().contains("stopped: 1 trial failed in this run (--max-failures 1)"), run.out());
        assertTrue(Files.readAllLines(dir.resolve("run2/trials.jsonl")).size() < 4);
    }

    @Test
    void everyStrategyKeepsToMaxFlops(@TempDir Path dir) throws Exception {
        for (String strategy : List.of("random", "evolution", "tpe")) {
            Path run = dir.resolve(strategy);
            CliRun r = CliRun.of("search", "--spec", "specs/nas-bench-macro.yaml", "--strategy", strategy, "--trials", "40",
                    "--set", "search.constraints.max-flops=50000000", "--out", run.toString());
            assertEquals(0, r.code(), r.err());
            List<String> lines = Files.readAllLines(run.resolve("trials.jsonl"));
            assertEquals(40, lines.size());
            for (String line : lines) {
                // The table's own FLOPs figure, which equals ours for every architecture (ExampleSpacesTest).
                long flops = com.google.gson.JsonParser.parseString(line).getAsJsonObject().getAsJsonObject("metrics").get("flops").getAsLong();
                assertTrue(flops <= 50_000_000L, strategy + ": " + line);
            }
        }
    }

    @Test
    void maxDurationStopsCleanlyAndTheRunResumes(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("timed");
        CliRun first = CliRun.of("search", "--spec", "specs/nas-bench-macro.yaml", "--trials", "50", "--out", run.toString(),
                "--max-duration", "0s");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("--max-duration reached after 0 trials"), first.out());
        CliRun rest = CliRun.of("search", "--resume", run.toString());
        assertEquals(0, rest.code(), rest.err());
        assertEquals(50, Files.readAllLines(run.resolve("trials.jsonl")).size());
        assertEquals(2, CliRun.of("search", "--spec", "specs/mnist.yaml", "--max-duration", "soon").code());
    }
}

package org.nas4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.cli.CliRun;
import org.nas4j.spec.SpecLoader;
import org.nas4j.train.Datasets;
import org.nas4j.train.Progress;

/** One-shot strategies: they find a planted choice, keep memory flat, share weights by key, and resume. */
class OneShotTest {
    /**
     * A space of two children: 'keep' passes the image on, 'smear' (a 7x7 max-pool) makes every
     * pixel nearly the same, so the classifier after it learns almost nothing. 'smear' comes first,
     * so that no strategy finds 'keep' by taking the first candidate.
     */
    private static final String PLANTED = """
            nas: 1
            input: [1, 8, 8]
            data: {dataset: synthetic, batch-size: 32, limit: 1024}
            training: {optimizer: {type: sgd, lr: 0.1, momentum: 0.9}}
            search: {trials: 2}
            model:
              - id: pick
                layer-choice:
                  smear: {op: maxpool, kernel: 7, stride: 1, padding: 3}
                  keep: {op: identity}
              - {op: flatten}
              - {op: linear, units: 10}
            """;

    private static Path planted(Path dir) throws Exception {
        Path spec = dir.resolve("planted.yaml");
        Files.writeString(spec, PLANTED);
        return spec;
    }

    @Test
    void everyStrategyEndsOnThePlantedCandidateInAtLeastFourOfFiveSeeds(@TempDir Path dir) throws Exception {
        Path spec = planted(dir);
        for (String strategy : Strategies.ONE_SHOT) {
            int found = 0;
            List<String> chosen = new ArrayList<>();
            for (int seed = 1; seed <= 5; seed++) {
                Path run = dir.resolve(strategy + seed);
                CliRun r = CliRun.of("search", "--spec", spec.toString(), "--strategy", strategy, "--epochs", "2", "--seed",
                        String.valueOf(seed), "--threads", "1", "--out", run.toString());
                assertEquals(0, r.code(), r.err() + r.out());
                String arch = Files.readString(run.resolve("architecture.json"));
                chosen.add(arch.replaceAll("\\s+", ""));
                found += arch.contains("\"keep\"") ? 1 : 0;
            }
            assertTrue(found >= 4, strategy + " chose " + chosen);
        }
    }

    @Test
    void candidatesWithBatchNormTrainInEveryMode(@TempDir Path dir) throws Exception {
        // Batch-norm running statistics must never be handed a gradient when candidates are unfrozen.
        Path spec = dir.resolve("bn.yaml");
        Files.writeString(spec, """
                nas: 1
                input: [1, 8, 8]
                data: {dataset: synthetic, batch-size: 32, limit: 256}
                search: {trials: 2}
                model:
                  - id: pick
                    layer-choice:
                      conv: [{op: conv2d, channels: 4, kernel: 3, padding: same}, {op: batchnorm}]
                      plain: [{op: conv2d, channels: 4, kernel: 1}, {op: batchnorm, affine: false}]
                  - {op: flatten}
                  - {op: linear, units: 10}
                """);
        for (String strategy : Strategies.ONE_SHOT) {
            CliRun r = CliRun.of("search", "--spec", spec.toString(), "--strategy", strategy, "--threads", "1",
                    "--out", dir.resolve(strategy).toString());
            assertEquals(0, r.code(), strategy + ": " + r.err() + r.out());
        }
    }

    @Test
    void dartsRecordsEachKeysProbabilitiesPerEpochAndExports(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        CliRun r = CliRun.of("search", "--spec", planted(dir).toString(), "--strategy", "darts", "--epochs", "3", "--threads", "1",
                "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(run.resolve("epochs.jsonl"));
        assertEquals(3, lines.size());
        double previous = 0.5;
        for (String line : lines) {
            JsonObject p = JsonParser.parseString(line).getAsJsonObject().getAsJsonObject("probabilities").getAsJsonObject("pick");
            assertEquals(1.0, p.get("keep").getAsDouble() + p.get("smear").getAsDouble(), 1e-5);
            assertTrue(p.get("keep").getAsDouble() > previous, "keep's probability grows each epoch: " + line);
            previous = p.get("keep").getAsDouble();
        }
        CliRun exported = CliRun.of("export", "--run", run.toString());
        assertEquals(0, exported.code(), exported.err());
        assertTrue(exported.out().contains("\"pick\": \"keep\""), exported.out());
    }

    @Test
    void liveArraysStayFlatOverAThousandStepsOfEachTrainingMode(@TempDir Path dir) throws Exception {
        SpecLoader.Checked c = SpecLoader.check("planted.yaml", PLANTED.replace("batch-size: 32", "batch-size: 8")
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(c.ok(), c.errors().toString());
        for (boolean darts : new boolean[] {true, false}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Datasets.Splits data = Datasets.load(c.spec().data(), c.spec().input(), 10, 0.5, 1, manager);
                try (SupernetTraining t = new SupernetTraining(c.spec(), c.space(), darts, Map.of(), 16, 1, data)) {
                    t.epoch(1, 16, Progress.SILENT);
                    long before = t.liveArrays();
                    int steps = t.stepsPerEpoch();
                    for (int epoch = 2; steps < 1_000; epoch++) {
                        t.epoch(epoch, 16, Progress.SILENT);
                        steps += t.stepsPerEpoch();
                    }
                    for (int k = 0; k < 20; k++) {
                        t.pathAccuracy(Map.of("pick", k % 2 == 0 ? "keep" : "smear"), 2);
                    }
                    assertEquals(before, t.liveArrays(), (darts ? "darts" : "path sampling") + " after " + steps + " steps");
                }
            }
        }
    }

    @Test
    void nodesSharingAKeyShareOneSetOfArchitectureWeights(@TempDir Path dir) throws Exception {
        String shared = """
                nas: 1
                input: [1, 8, 8]
                data: {dataset: synthetic, batch-size: 32, limit: 1024}
                model:
                  - id: pick
                    layer-choice:
                      smear: {op: maxpool, kernel: 7, stride: 1, padding: 3}
                      keep: {op: identity}
                  - id: again
                    key: pick
                    layer-choice:
                      smear: {op: maxpool, kernel: 7, stride: 1, padding: 3}
                      keep: {op: identity}
                  - {op: flatten}
                  - {op: linear, units: 10}
                """;
        Path spec = dir.resolve("shared.yaml");
        Files.writeString(spec, shared);
        Path run = dir.resolve("run");
        CliRun r = CliRun.of("search", "--spec", spec.toString(), "--strategy", "darts", "--epochs", "2", "--threads", "1",
                "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        for (String line : Files.readAllLines(run.resolve("epochs.jsonl"))) {
            JsonObject p = JsonParser.parseString(line).getAsJsonObject().getAsJsonObject("probabilities");
            assertEquals(java.util.Set.of("pick"), p.keySet(), line);
        }
        assertTrue(Files.readString(run.resolve("architecture.json")).contains("\"pick\": \"keep\""));
    }
}

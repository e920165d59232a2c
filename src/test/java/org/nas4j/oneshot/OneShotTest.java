package org.nas4j.oneshot;

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
import org.nas4j.search.Strategies;
import org.nas4j.search.StrategyInfo;
import org.nas4j.space.Architecture;
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
        List<String> variants = new ArrayList<>(Strategies.ALL.stream().filter(StrategyInfo::oneShot).map(StrategyInfo::name).toList());
        variants.add("darts order=2");
        for (String variant : variants) {
            String strategy = variant.split(" ")[0];
            int found = 0;
            List<String> chosen = new ArrayList<>();
            for (int seed = 1; seed <= 5; seed++) {
                Path run = dir.resolve(variant.replace(' ', '-') + seed);
                List<String> args = new ArrayList<>(List.of("search", "--spec", spec.toString(), "--strategy", strategy, "--epochs", "2",
                        "--seed", String.valueOf(seed), "--threads", "1", "--out", run.toString()));
                if (variant.contains(" ")) {
                    args.addAll(List.of("--option", variant.split(" ")[1]));
                }
                CliRun r = CliRun.of(args.toArray(String[]::new));
                assertEquals(0, r.code(), r.err() + r.out());
                String arch = Files.readString(run.resolve("architecture.json"));
                chosen.add(arch.replaceAll("\\s+", ""));
                found += arch.contains("\"keep\"") ? 1 : 0;
            }
            assertTrue(found >= 4, variant + " chose " + chosen);
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
        for (String strategy : Strategies.ALL.stream().filter(StrategyInfo::oneShot).map(StrategyInfo::name).toList()) {
            CliRun r = CliRun.of("search", "--spec", spec.toString(), "--strategy", strategy, "--threads", "1",
                    "--out", dir.resolve(strategy).toString());
            assertEquals(0, r.code(), strategy + ": " + r.err() + r.out());
        }
    }

    @Test
    void valueAndDepthChoicesAreMixedWhenTheyKeepTheShapeAndRefusedWhenNot(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("values.yaml");
        Files.writeString(spec, """
                nas: 1
                input: [1, 8, 8]
                data: {dataset: synthetic, batch-size: 32, limit: 256}
                search: {trials: 3}
                blocks:
                  conv-relu:
                    params: {c: null}
                    nodes: [{op: conv2d, channels: $c, kernel: 3, padding: same}, {op: relu}]
                model:
                  - {id: stem, op: conv2d, channels: 4, kernel: {choice: [1, 3, 5]}, padding: same}
                  - {id: body, repeat: conv-relu, depth: {choice: [1, 2]}, c: 4}
                  - {op: flatten}
                  - {op: linear, units: 10}
                """);
        for (String strategy : Strategies.ALL.stream().filter(StrategyInfo::oneShot).map(StrategyInfo::name).toList()) {
            Path run = dir.resolve(strategy);
            CliRun r = CliRun.of("search", "--spec", spec.toString(), "--strategy", strategy, "--threads", "1", "--out", run.toString());
            assertEquals(0, r.code(), strategy + ": " + r.err() + r.out());
            String arch = Files.readString(run.resolve("architecture.json"));
            assertTrue(arch.contains("\"stem.kernel\"") && arch.contains("\"body.depth\""), arch);
        }
        String darts = Files.readAllLines(dir.resolve("darts/epochs.jsonl")).get(0);
        assertTrue(darts.contains("\"stem.kernel\":{\"1\"") && darts.contains("\"body.depth\":{\"1\""), darts);

        Files.writeString(spec, Files.readString(spec).replace("channels: 4, kernel: {choice: [1, 3, 5]}",
                "channels: {choice: [4, 8]}, kernel: 3"));
        CliRun refused = CliRun.of("search", "--spec", spec.toString(), "--strategy", "darts", "--out", dir.resolve("no").toString());
        assertEquals(1, refused.code(), refused.out());
        assertTrue(refused.err().contains("darts cannot build this spec's supernet") && refused.err().contains("stem.channels")
                && refused.err().contains("changes its output shape"), refused.err());
    }

    /** A supernet of one layer choice between two conv + batch-norm candidates, trained with {@code optimizer}. */
    private static SpecLoader.Checked twoCandidates(String optimizer) {
        SpecLoader.Checked c = SpecLoader.check("two.yaml", """
                nas: 1
                input: [1, 8, 8]
                data: {dataset: synthetic, batch-size: 16, limit: 128}
                training: {optimizer: %s}
                model:
                  - id: pick
                    layer-choice:
                      a: [{op: conv2d, channels: 4, kernel: 3, padding: same}, {op: batchnorm}]
                      b: [{op: conv2d, channels: 4, kernel: 1}, {op: batchnorm}]
                  - {op: flatten}
                  - {op: linear, units: 10}
                """.formatted(optimizer).getBytes(StandardCharsets.UTF_8));
        assertTrue(c.ok(), c.errors().toString());
        return c;
    }

    @Test
    void aSupernetLoadedFromItsCheckpointTrainsTheLoadedWeights(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // DJL's Block.loadParameters put new arrays into the parameters, which the trainer never saw: a resumed
        // supernet went on training its initial weights while it scored paths with the stale loaded ones.
        SpecLoader.Checked c = twoCandidates("{type: adam, lr: 0.01}");
        try (NDManager manager = NDManager.newBaseManager()) {
            Datasets.Splits data = Datasets.load(c.spec().data(), c.spec().input(), 10, 0.5, 1, manager);
            Map<String, float[]> saved;
            try (OneShotTraining t = OneShotTraining.create(Strategies.SPOS, Strategies.SPOS.parse(Map.of()), c.spec(), c.space(), 2, 1,
                    data, ai.djl.Device.cpu())) {
                t.epoch(1, 2, Progress.SILENT);
                t.save(dir);
                saved = parameters(t, "pick/a");
            }
            try (OneShotTraining t = OneShotTraining.create(Strategies.SPOS, Strategies.SPOS.parse(Map.of()), c.spec(), c.space(), 2, 1,
                    data, ai.djl.Device.cpu())) {
                t.load(dir);
                Map<String, float[]> loaded = parameters(t, "pick/a");
                saved.forEach((k, v) -> assertTrue(java.util.Arrays.equals(v, loaded.get(k)), "loaded as saved: " + k));
                for (ai.djl.training.dataset.Batch batch : data.train().getData(manager)) {
                    try (batch) {
                        t.supernet().pathStep(Architecture.of(Map.of("pick", "a")), batch.getData(), batch.getLabels());
                    }
                }
                Map<String, float[]> trained = parameters(t, "pick/a");
                assertTrue(saved.keySet().stream().anyMatch(k -> !java.util.Arrays.equals(saved.get(k), trained.get(k))),
                        "the loaded weights train on");
                double step = 0;
                for (String k : saved.keySet()) {
                    for (int i = 0; i < saved.get(k).length; i++) {
                        step = Math.max(step, Math.abs(saved.get(k)[i] - trained.get(k)[i]));
                    }
                }
                assertTrue(step < 0.5, "they moved by steps from the loaded values, not from fresh ones: " + step);
            }
        }
    }

    @Test
    void aPathStepLeavesEveryCandidateOffThePathUntouched() throws Exception {
        SpecLoader.Checked c = twoCandidates("{type: adam, lr: 0.01, weight-decay: 0.1}");
        assertTrue(c.ok(), c.errors().toString());
        try (NDManager manager = NDManager.newBaseManager()) {
            Datasets.Splits data = Datasets.load(c.spec().data(), c.spec().input(), 10, 0.5, 1, manager);
            try (OneShotTraining t = OneShotTraining.create(Strategies.SPOS, Strategies.SPOS.parse(Map.of()), c.spec(), c.space(), 1, 1, data, ai.djl.Device.cpu())) {
                Map<String, float[]> before = parameters(t, "pick/b");
                Map<String, float[]> onPath = parameters(t, "pick/a");
                for (ai.djl.training.dataset.Batch batch : data.train().getData(manager)) {
                    try (batch) {
                        t.supernet().pathStep(Architecture.of(Map.of("pick", "a")), batch.getData(), batch.getLabels());
                    }
                }
                Map<String, float[]> after = parameters(t, "pick/b");
                assertEquals(before.keySet(), after.keySet());
                assertTrue(!before.isEmpty(), t.supernet().graph().getParameters().keys().toString());
                before.forEach((k, v) -> assertTrue(java.util.Arrays.equals(v, after.get(k)), "candidate b moved: " + k));
                Map<String, float[]> moved = parameters(t, "pick/a");
                assertTrue(onPath.keySet().stream().anyMatch(k -> !java.util.Arrays.equals(onPath.get(k), moved.get(k))),
                        "the path's candidate should train");
            }
        }
    }

    /** The trainable parameters of the supernet whose names hold {@code part} (DJL prefixes a child's position). */
    private static Map<String, float[]> parameters(OneShotTraining t, String prefix) {
        Map<String, float[]> out = new java.util.TreeMap<>();
        for (var p : t.supernet().graph().getParameters()) {
            ai.djl.nn.Parameter.Type type = p.getValue().getType();
            if (p.getKey().contains(prefix + "_") && type != ai.djl.nn.Parameter.Type.RUNNING_MEAN
                    && type != ai.djl.nn.Parameter.Type.RUNNING_VAR) {
                out.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
        }
        return out;
    }

    @Test
    void proxylessGatesEachInputOfAnInputChoice(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("inputs.yaml");
        Files.writeString(spec, """
                nas: 1
                input: [1, 8, 8]
                data: {dataset: synthetic, batch-size: 32, limit: 1024}
                training: {optimizer: {type: sgd, lr: 0.1, momentum: 0.9}}
                search: {trials: 2}
                model:
                  - {id: smear, op: maxpool, kernel: 7, stride: 1, padding: 3}
                  - {id: keep, op: identity, input: input}
                  - {id: pick, input-choice: {from: [smear, keep], n-chosen: 1}}
                  - {op: flatten}
                  - {op: linear, units: 10}
                """);
        int found = 0;
        List<String> chosen = new ArrayList<>();
        for (int seed = 1; seed <= 5; seed++) {
            Path run = dir.resolve("run" + seed);
            CliRun r = CliRun.of("search", "--spec", spec.toString(), "--strategy", "proxyless", "--epochs", "3", "--seed",
                    String.valueOf(seed), "--threads", "1", "--out", run.toString());
            assertEquals(0, r.code(), r.err());
            String arch = Files.readString(run.resolve("architecture.json")).replaceAll("\\s+", "");
            chosen.add(arch);
            found += arch.contains("\"pick\":[\"keep\"]") ? 1 : 0;
            String last = Files.readAllLines(run.resolve("epochs.jsonl")).get(2);
            assertTrue(last.contains("\"pick\":{\"smear\""), "the gates' probabilities are recorded: " + last);
        }
        assertTrue(found >= 4, "proxyless chose " + chosen);
    }

    @Test
    void proxylessCostTermTradesAccuracyForFewerParameters(@TempDir Path dir) throws Exception {
        // 'keep' is now a 1x1 convolution (2 parameters), 'smear' has none: a heavy enough cost
        // weight turns the choice over to the cheaper, worse candidate.
        Path spec = dir.resolve("cost.yaml");
        Files.writeString(spec, PLANTED.replace("keep: {op: identity}", "keep: {op: conv2d, channels: 1, kernel: 1}"));
        for (String weight : List.of("0", "100000000")) {
            Path run = dir.resolve("cost" + weight);
            CliRun r = CliRun.of("search", "--spec", spec.toString(), "--strategy", "proxyless", "--epochs", "2", "--threads", "1",
                    "--option", "cost-weight=" + weight, "--out", run.toString());
            assertEquals(0, r.code(), r.err());
            String arch = Files.readString(run.resolve("architecture.json"));
            assertTrue(arch.contains(weight.equals("0") ? "\"keep\"" : "\"smear\""), "cost-weight " + weight + ": " + arch);
        }
    }

    @Test
    void theEnasControllerLearnsToSampleThePlantedCandidate() throws Exception {
        SpecLoader.Checked c = SpecLoader.check("planted.yaml", PLANTED.getBytes(StandardCharsets.UTF_8));
        assertTrue(c.ok(), c.errors().toString());
        try (NDManager manager = NDManager.newBaseManager()) {
            Datasets.Splits data = Datasets.load(c.spec().data(), c.spec().input(), 10, 0.5, 1, manager);
            // A livelier controller than NNI's default (3.5e-4), so that a few epochs show the trend.
            try (OneShotTraining t = OneShotTraining.create(Strategies.ENAS, Strategies.ENAS.parse(Map.of("controller-lr", "0.02",
                    "aggregate", "4")), c.spec(), c.space(), 6, 1, data, ai.djl.Device.cpu())) {
                java.util.Random random = new java.util.Random(3);
                int before = keeps(t, random);
                for (int epoch = 1; epoch <= 6; epoch++) {
                    t.epoch(epoch, 6, Progress.SILENT);
                }
                int after = keeps(t, random);
                assertTrue(after >= 150 && after > before + 30, "samples of 'keep' in 200: before " + before + ", after " + after);
            }
        }
    }

    private static int keeps(OneShotTraining t, java.util.Random random) {
        int keep = 0;
        for (int i = 0; i < 200; i++) {
            keep += "keep".equals(((Enas) t.algorithm()).sample(random).get("pick")) ? 1 : 0;
        }
        return keep;
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
        for (String mode : List.of("darts", "darts order=2", "proxyless", "enas", "path sampling")) {
            StrategyInfo kind = mode.startsWith("darts") ? Strategies.DARTS : mode.equals("proxyless") ? Strategies.PROXYLESS
                    : mode.equals("enas") ? Strategies.ENAS : Strategies.SPOS;
            try (NDManager manager = NDManager.newBaseManager()) {
                Datasets.Splits data = Datasets.load(c.spec().data(), c.spec().input(), 10, 0.5, 1, manager);
                Map<String, String> options = mode.endsWith("=2") ? Map.of("order", "2") : Map.of();
                try (OneShotTraining t = OneShotTraining.create(kind, kind.parse(options), c.spec(), c.space(), 16, 1, data, ai.djl.Device.cpu())) {
                    t.epoch(1, 16, Progress.SILENT);
                    long before = t.liveArrays();
                    int steps = t.supernet().stepsPerEpoch();
                    for (int epoch = 2; steps < 1_000; epoch++) {
                        t.epoch(epoch, 16, Progress.SILENT);
                        steps += t.supernet().stepsPerEpoch();
                    }
                    for (int k = 0; k < 20; k++) {
                        t.pathAccuracy(Architecture.of(Map.of("pick", k % 2 == 0 ? "keep" : "smear")), 2);
                    }
                    assertEquals(before, t.liveArrays(), mode + " after " + steps + " steps");
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

package org.nas4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.nas4j.api.NasSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example plug-in (examples/plugin), built as a user would, adds a dataset kind and an evaluator that searches use end to end. */
class PluginTest {
    @TempDir
    static Path work;
    private static Path jar;

    @BeforeAll
    static void build() throws Exception {
        jar = JavaSources.examplePlugin(work);
    }

    private static List<JsonObject> trials(Path run) throws Exception {
        return Files.readAllLines(run.resolve("trials.jsonl")).stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    @Test
    void aPluginDatasetIsCheckedLikeOursAndTrainsInWorkerProcesses(@TempDir Path dir) throws Exception {
        CliRun valid = CliRun.of("validate-spec", "--plugin", jar.toString(), "examples/plugin/blobs.yaml");
        assertEquals(0, valid.code(), valid.err() + valid.out());
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, Files.readString(Path.of("examples/plugin/blobs.yaml")).replace("spread: 1.5", "spred: 1.5"));
        CliRun refused = CliRun.of("validate-spec", "--plugin", jar.toString(), typo.toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains(typo + ":7:") && refused.err().contains("unknown field 'spred' in data"), refused.err());

        Path run = dir.resolve("run");
        CliRun search = CliRun.of("search", "--plugin", jar.toString(), "--spec", "examples/plugin/blobs.yaml", "--parallel", "2",
                "--out", run.toString(), "--no-report");
        assertEquals(0, search.code(), search.err() + search.out());
        List<JsonObject> trials = trials(run);
        assertEquals(4, trials.size());
        // Three well-separated blobs: a trained MLP tells them apart far better than the 1/3 of guessing.
        double best = trials.stream().mapToDouble(t -> t.get("score").getAsDouble()).max().orElseThrow();
        assertTrue(best > 0.8, "best validation accuracy " + best);
        String workerLog = Files.readString(run.resolve("logs/worker-1.log"));
        assertTrue(workerLog.contains("worker: device cpu"), "trials ran in worker processes: " + workerLog);

        // A new process reports the run without being told of the plug-in: run.json names its jar.
        Process report = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), "org.nas4j.cli.Main", "report", "--run", run.toString())
                .redirectErrorStream(true).start();
        String said = new String(report.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, report.waitFor(), said);
        assertTrue(Files.isRegularFile(run.resolve("report.html")), said);
        Path moved = dir.resolve("moved");
        Files.createDirectories(moved);
        Files.writeString(run.resolve("run.json"), Files.readString(run.resolve("run.json")).replace(jar.toString(), moved.resolve("gone.jar").toString()));
        CliRun lost = CliRun.of("report", "--run", run.toString());
        assertEquals(1, lost.code(), lost.out());
        assertTrue(lost.err().contains("the run was started with plug-ins; plug-in " + moved.resolve("gone.jar") + ": no such file"), lost.err());
    }

    @Test
    void aPluginOpIsCountedByItsRulesAndBuiltByItsBlock() throws Exception {
        CliRun valid = CliRun.of("validate-spec", "--plugin", jar.toString(), "examples/plugin/blobs.yaml");
        assertEquals(0, valid.code(), valid.err());
        NasSpec spec = NasSpec.load(Path.of("examples/plugin/blobs.yaml"));
        Map<String, Object> arch = Map.of("body.depth", 2, "body/0/fc.units", 64, "body/0/act", "tanh", "body/1/fc.units", 64,
                "body/1/act", "relu");
        Block block = spec.child(arch);
        try (NDManager m = NDManager.newBaseManager()) {
            block.initialize(m, DataType.FLOAT32, new Shape(2, 4));
            long built = block.getParameters().values().stream().filter(p -> p.requiresGradient()).mapToLong(p -> p.getArray().size()).sum();
            // 4 scales, then 4x64+64, 64x64+64, 64x3+3.
            assertEquals(4 + 320 + 4160 + 195, spec.parameters(arch));
            assertEquals(spec.parameters(arch), built);
        }
        Path typo = work.resolve("typo-op.yaml");
        Files.writeString(typo, Files.readString(Path.of("examples/plugin/blobs.yaml")).replace("op: feature-scale", "op: feature-scal"));
        CliRun refused = CliRun.of("validate-spec", "--plugin", jar.toString(), typo.toString());
        assertTrue(refused.err().contains("unknown op 'feature-scal'") && refused.err().contains("feature-scale"), refused.err());
    }

    @Test
    void aPluginEvaluatorScoresEveryChild(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        CliRun search = CliRun.of("search", "--plugin", jar.toString(), "--spec", "examples/plugin/latency.yaml", "--out", run.toString(),
                "--no-report");
        assertEquals(0, search.code(), search.err() + search.out());
        List<JsonObject> trials = trials(run);
        assertEquals(8, trials.size(), "the spec's 8 trials");
        for (JsonObject t : trials) {
            assertEquals("ok", t.get("status").getAsString(), t.toString());
            double ms = t.getAsJsonObject("metrics").get("latency_ms").getAsDouble();
            assertTrue(ms > 0, t.toString());
            assertEquals(-ms, t.get("score").getAsDouble(), 1e-9, "the plug-in's score, recorded as it gave it");
        }
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(Path.of("examples/plugin/latency.yaml")).replace("runs: 10", "runs: 0"));
        CliRun refused = CliRun.of("search", "--plugin", jar.toString(), "--spec", bad.toString(), "--out", dir.resolve("bad").toString());
        assertEquals(1, refused.code(), refused.out());
        assertTrue(refused.err().contains("evaluator forward-latency (plug-in org.example.nasplugin.ForwardLatencyEvaluator): batch and runs"
                + " must be at least 1"), refused.err());
        assertFalse(refused.crashed(), refused.err());
    }

    @Test
    void aJarThatIsNoPluginIsNamed(@TempDir Path dir) throws Exception {
        CliRun missing = CliRun.of("validate-spec", "--plugin", dir.resolve("nope.jar").toString(), "specs/mnist.yaml");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("plug-in " + dir.resolve("nope.jar") + ": no such file"), missing.err());
        Path empty = dir.resolve("empty.jar");
        new java.util.jar.JarOutputStream(Files.newOutputStream(empty)).close();
        CliRun nothing = CliRun.of("validate-spec", "--plugin", empty.toString(), "specs/mnist.yaml");
        assertEquals(2, nothing.code());
        assertTrue(nothing.err().contains("provides no dataset, op or evaluator"), nothing.err());
        assertFalse(nothing.crashed(), nothing.err());
    }
}

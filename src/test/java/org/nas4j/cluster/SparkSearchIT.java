package org.nas4j.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search whose trials run as Spark tasks on a local standalone cluster (scripts/spark-cluster.sh),
 * driven by `scripts/nas search --cluster` as a user runs it: every trial in the journal once, each
 * with its worker's log, and a resumed run going on where it stopped.
 */
class SparkSearchIT {
    private static final String MASTER = "spark://127.0.0.1:17079";

    @BeforeAll
    static void startCluster() throws Exception {
        SparkClusterScriptIT.Result r = SparkClusterScriptIT.script(SparkClusterScriptIT.STATE, "start", "--workers", "2", "--memory", "512m",
                "--port", "17079");
        assertEquals(0, r.code(), r.out());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        SparkClusterScriptIT.script(SparkClusterScriptIT.STATE, "stop");
    }

    private static SparkClusterScriptIT.Result nas(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("scripts/nas"));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().put("NAS4J_SPARK_DIR", SparkClusterScriptIT.STATE.toString());
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        return new SparkClusterScriptIT.Result(p.exitValue(), out);
    }

    @Test
    void trialsRunAsSparkTasksAndAResumedRunGoesOn(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        SparkClusterScriptIT.Result first = nas("search", "--spec", "specs/nas-bench-macro.yaml", "--strategy", "evolution", "--trials", "4",
                "--seed", "5", "--cluster", MASTER, "--parallel", "2", "--no-report", "--out", run.toString());
        assertEquals(0, first.code(), first.out());
        assertEquals(4, Files.readAllLines(run.resolve("trials.jsonl")).size(), first.out());
        SparkClusterScriptIT.Result more = nas("search", "--resume", run.toString(), "--trials", "8", "--cluster", MASTER, "--parallel", "2",
                "--no-report");
        assertEquals(0, more.code(), more.out());
        assertTrue(more.out().contains("search: resuming after 4 trials"), more.out());
        Set<Integer> ids = new HashSet<>();
        for (String line : Files.readAllLines(run.resolve("trials.jsonl"))) {
            JsonObject t = JsonParser.parseString(line).getAsJsonObject();
            assertEquals("ok", t.get("status").getAsString(), line);
            assertTrue(ids.add(t.get("id").getAsInt()), "each trial once: " + line);
            assertTrue(Files.isRegularFile(run.resolve("logs/worker-" + t.get("id").getAsInt() + ".log")), "its worker's log");
        }
        assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8), ids);
        SparkClusterScriptIT.Result export = nas("export", "--run", run.toString());
        assertEquals(0, export.code(), export.out());
    }

    /** A copy of data/mnist's IDX files in {@code digits}, to be read as dataset idx. */
    private static Path copyOfMnist(Path digits) throws Exception {
        Files.createDirectories(digits);
        try (var files = Files.list(Path.of("data/mnist"))) {
            for (Path f : files.toList()) {
                Files.copy(f, digits.resolve(f.getFileName()));
            }
        }
        return digits;
    }

    @Test
    void clusterFilesShipTheDataToTheTasksWhichReadTheirCopy(@TempDir Path dir) throws Exception {
        Path digits = copyOfMnist(dir.resolve("digits"));
        Path run = dir.resolve("run");
        SparkClusterScriptIT.Result r = nas("search", "--spec", "specs/mnist.yaml", "--strategy", "grid", "--trials", "2", "--cluster", MASTER,
                "--parallel", "2", "--cluster-files", "--set", "data.dataset=idx", "--set", "data.path=" + digits, "--set", "data.limit=512",
                "--epochs", "1", "--no-report", "--out", run.toString());
        assertEquals(0, r.code(), r.out());
        for (int id : List.of(1, 2)) {
            String log = Files.readString(run.resolve("logs/worker-" + id + ".log"));
            String copy = log.lines().filter(l -> l.startsWith("worker: data read from its shipped copy ")).findFirst().orElseThrow(
                    () -> new AssertionError("the worker read the shipped copy: " + log));
            assertFalse(copy.contains(digits.toString()), "a copy, not the original: " + copy);
            assertTrue(copy.endsWith("/digits"), copy);
        }
        for (String line : Files.readAllLines(run.resolve("trials.jsonl"))) {
            assertEquals("ok", JsonParser.parseString(line).getAsJsonObject().get("status").getAsString(), line);
        }
    }

    @Test
    void aTrialThatCannotReadItsDataFailsNamingTheHostAndTheFile(@TempDir Path dir) throws Exception {
        Path digits = copyOfMnist(dir.resolve("digits"));
        // Where the search starts the data looks whole (its files are all there); the workers find one of them cut short.
        Path images;
        try (var files = Files.list(digits)) {
            images = files.filter(f -> f.getFileName().toString().startsWith("train-images")).findFirst().orElseThrow();
        }
        Files.write(images, java.util.Arrays.copyOf(Files.readAllBytes(images), 100));
        Path run = dir.resolve("run");
        SparkClusterScriptIT.Result r = nas("search", "--spec", "specs/mnist.yaml", "--trials", "1", "--cluster", MASTER, "--set",
                "data.dataset=idx", "--set", "data.path=" + digits, "--no-report", "--out", run.toString());
        assertEquals(1, r.code(), r.out());
        String error = JsonParser.parseString(Files.readAllLines(run.resolve("trials.jsonl")).get(0)).getAsJsonObject().get("error").getAsString();
        assertTrue(error.contains("on host " + java.net.InetAddress.getLocalHost().getHostName()), error);
        assertTrue(error.contains(images.getFileName().toString()), error);
        assertFalse(r.out().contains("\tat "), r.out());
    }

    @Test
    void aClusterNobodyRunsIsAClearError(@TempDir Path dir) throws Exception {
        SparkClusterScriptIT.Result r = nas("search", "--spec", "specs/nas-bench-macro.yaml", "--trials", "2", "--cluster", "yarn",
                "--no-report", "--out", dir.resolve("run").toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("--cluster yarn: no cluster runner on the class path takes it"), r.out());
        SparkClusterScriptIT.Result nobody = nas("search", "--spec", "specs/nas-bench-macro.yaml", "--trials", "2", "--cluster",
                "spark://127.0.0.1:17099", "--no-report", "--out", dir.resolve("run2").toString());
        assertEquals(1, nobody.code(), nobody.out());
        assertTrue(nobody.out().contains("--cluster spark://127.0.0.1:17099: no Spark master answers there"), nobody.out());
        assertFalse(nobody.out().contains("\tat "), "no stack trace: " + nobody.out());
        assertFalse(Files.exists(dir.resolve("run2")), "a refused search leaves no run directory");
    }
}

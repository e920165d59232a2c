package org.nas4j.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on a real loopback cluster (its own state directory, sharing the fetched jars): a Spark
 * worker killed with -9 in the middle of a trial, the search itself killed with -9 and resumed,
 * the whole cluster gone mid-search, and a master with no worker left.
 */
class SparkFaultsIT {
    private static final Path STATE = Path.of("target/spark-it-faults").toAbsolutePath();
    private static final String MASTER = "spark://127.0.0.1:17089";

    @BeforeEach
    void startCluster() throws Exception {
        // The jars fetched once (into the shared state), then linked: no second 218 MB copy.
        assertEquals(0, SparkClusterScriptIT.script(SparkClusterScriptIT.STATE, "runner").code());
        Files.createDirectories(STATE);
        if (!Files.exists(STATE.resolve("jars"))) {
            Files.createSymbolicLink(STATE.resolve("jars"), SparkClusterScriptIT.STATE.resolve("jars"));
        }
        SparkClusterScriptIT.Result r = SparkClusterScriptIT.script(STATE, "start", "--workers", "2", "--memory", "1g", "--port", "17089");
        assertEquals(0, r.code(), r.out());
    }

    @AfterEach
    void stopCluster() throws Exception {
        SparkClusterScriptIT.script(STATE, "stop");
    }

    private static Process nas(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("scripts/nas"));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().put("NAS4J_SPARK_DIR", STATE.toString());
        return b.start();
    }

    /** Whether a process is a running trial worker (read from /proc: ProcessHandle's view of a command line this long can be empty). */
    private static boolean trialWorker(ProcessHandle h) {
        try {
            return Files.readString(Path.of("/proc/" + h.pid() + "/cmdline"), StandardCharsets.ISO_8859_1).contains("org.nas4j.search.TrialWorker");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static long pid(String daemon) throws Exception {
        return Long.parseLong(Files.readString(STATE.resolve(daemon + ".pid")).trim());
    }

    @Test
    void aWorkerKilledMidTrialLosesNoTrialAndRecordsNoneTwice(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Process search = nas(dir.resolve("log.txt"), "search", "--spec", "specs/mnist.yaml", "--strategy", "grid", "--trials", "3",
                "--cluster", MASTER, "--set", "data.dataset=synthetic", "--set", "data.limit=2048", "--epochs", "3", "--threads", "1",
                "--no-report", "--out", run.toString());
        // The Spark worker whose executor runs the first trial's worker process dies with -9.
        ProcessHandle killed = null;
        for (int i = 0; i < 600 && killed == null; i++) {
            Thread.sleep(100);
            for (String w : List.of("worker-1", "worker-2")) {
                ProcessHandle daemon = ProcessHandle.of(pid(w)).orElseThrow();
                if (daemon.descendants().anyMatch(SparkFaultsIT::trialWorker)) {
                    killed = daemon;
                }
            }
        }
        assertTrue(killed != null, "a trial started on the cluster (search alive: " + search.isAlive() + "): "
                + Files.readString(dir.resolve("log.txt")));
        List<ProcessHandle> below = killed.descendants().toList();
        killed.destroyForcibly();
        assertTrue(search.waitFor(5, TimeUnit.MINUTES), "the search finished");
        String said = Files.readString(dir.resolve("log.txt"));
        assertEquals(0, search.exitValue(), said);
        assertEquals(Set.of(1, 2, 3), finishedOnce(run), said);
        Thread.sleep(1500);
        for (ProcessHandle h : below) {
            assertFalse(trialWorker(h), "no orphaned trial worker");
        }
    }

    /**
     * Starts a 4-trial training search on the cluster and waits until {@code finished} trials are in
     * its journal and a trial's worker process runs under a Spark worker.
     */
    private static Process searchUnderWay(Path dir, Path run, int finished) throws Exception {
        Process search = nas(dir.resolve("log.txt"), "search", "--spec", "specs/mnist.yaml", "--strategy", "grid", "--trials", "4",
                "--parallel", "2", "--cluster", MASTER, "--set", "data.dataset=synthetic", "--set", "data.limit=2048", "--epochs", "3",
                "--no-report", "--out", run.toString());
        for (int i = 0; i < 1200; i++) {
            Thread.sleep(100);
            Path journal = run.resolve("trials.jsonl");
            if ((finished == 0 || Files.exists(journal) && Files.readAllLines(journal).size() >= finished) && trialWorkers().findAny().isPresent()) {
                return search;
            }
        }
        throw new AssertionError("no trial under way on the cluster: " + Files.readString(dir.resolve("log.txt")));
    }

    /** The trial worker processes running under this cluster's Spark workers. */
    private static java.util.stream.Stream<ProcessHandle> trialWorkers() throws Exception {
        List<ProcessHandle> all = new ArrayList<>();
        for (String w : List.of("worker-1", "worker-2")) {
            ProcessHandle.of(pid(w)).ifPresent(d -> d.descendants().filter(SparkFaultsIT::trialWorker).forEach(all::add));
        }
        return all.stream();
    }

    /** Resumes the run on the cluster and checks that every trial is in its journal once, finished. */
    private static void resumesToTheEnd(Path dir, Path run) throws Exception {
        Process resumed = nas(dir.resolve("resumed.txt"), "search", "--resume", run.toString(), "--cluster",
                MASTER, "--parallel", "2", "--no-report");
        assertTrue(resumed.waitFor(5, TimeUnit.MINUTES), "the resumed search finished");
        String said = Files.readString(dir.resolve("resumed.txt"));
        assertEquals(0, resumed.exitValue(), said);
        assertEquals(Set.of(1, 2, 3, 4), finishedOnce(run), said);
    }

    /** The ids of the run's journal, each checked to be there once and finished (a cluster's fault fails no trial). */
    private static Set<Integer> finishedOnce(Path run) throws Exception {
        Set<Integer> ids = new HashSet<>();
        for (String line : Files.readAllLines(run.resolve("trials.jsonl"))) {
            var t = JsonParser.parseString(line).getAsJsonObject();
            assertEquals("ok", t.get("status").getAsString(), "no trial failed for the cluster's fault: " + line);
            assertTrue(ids.add(t.get("id").getAsInt()), "recorded once: " + line);
        }
        return ids;
    }

    @Test
    void theSearchKilledMidTrialThenResumedOnTheClusterRunsThoseTrialsAgain(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Process search = searchUnderWay(dir, run, 0);
        search.toHandle().destroyForcibly();
        assertTrue(search.waitFor(10, TimeUnit.SECONDS));
        // The master ends the application of a driver that is gone, its executors end, and their trial workers with them.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (trialWorkers().findAny().isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertFalse(trialWorkers().findAny().isPresent(), "no trial worker outlives the killed search");
        resumesToTheEnd(dir, run);
    }

    @Test
    void theClusterGoneMidSearchStopsItWithinAMinuteResumably(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Process search = searchUnderWay(dir, run, 1);
        long gone = System.nanoTime();
        for (String daemon : List.of("master", "worker-1", "worker-2")) {
            ProcessHandle.of(pid(daemon)).ifPresent(ProcessHandle::destroyForcibly);
        }
        assertTrue(search.waitFor(3, TimeUnit.MINUTES), "the search never hangs");
        double seconds = (System.nanoTime() - gone) / 1e9;
        String said = Files.readString(dir.resolve("log.txt"), StandardCharsets.UTF_8);
        assertEquals(1, search.exitValue(), said);
        assertTrue(said.contains("lost the search's executors and gave it none for 60 s") && said.contains("nas search --resume " + run),
                said);
        assertTrue(seconds < 80, "stopped " + seconds + " s after the cluster went: " + said);
        assertFalse(said.contains("\tat "), said);
        SparkClusterScriptIT.Result r = SparkClusterScriptIT.script(STATE, "start", "--workers", "2", "--memory", "1g", "--port", "17089");
        assertEquals(0, r.code(), r.out());
        resumesToTheEnd(dir, run);
    }

    @Test
    void aMasterWithoutWorkersEndsTheSearchClearlyWithinAMinute(@TempDir Path dir) throws Exception {
        ProcessHandle.of(pid("worker-1")).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(pid("worker-2")).ifPresent(ProcessHandle::destroyForcibly);
        Path run = dir.resolve("run");
        long start = System.nanoTime();
        Process search = nas(dir.resolve("log.txt"), "search", "--spec", "specs/nas-bench-macro.yaml", "--trials", "3", "--cluster", MASTER,
                "--no-report", "--out", run.toString());
        assertTrue(search.waitFor(3, TimeUnit.MINUTES), "the search never hangs");
        String said = Files.readString(dir.resolve("log.txt"), StandardCharsets.UTF_8);
        assertEquals(1, search.exitValue(), said);
        assertTrue(said.contains("no Spark executor came to run the search's tasks in 60 s") && said.contains("run the same command again"),
                said);
        assertFalse(Files.exists(run), "no trial finished: no run directory left");
        assertTrue((System.nanoTime() - start) / 1e9 < 120, "within about a minute");
        assertFalse(said.contains("\tat "), said);
    }
}

package org.nas4j.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/spark-cluster.sh as a user runs it: the Spark jars fetched through Maven into its state
 * directory, a master and two workers started on 127.0.0.1, status, a second start refused, and
 * stop ending exactly those processes. After {@code package} (Maven's integration-test phase),
 * with the state in target/spark-it, which the cluster search test shares.
 */
class SparkClusterScriptIT {
    record Result(int code, String out) { }

    /** The state directory the cluster tests share (the jars are fetched into it once). */
    static final Path STATE = Path.of("target/spark-it").toAbsolutePath();

    static Result script(Path state, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("scripts/spark-cluster.sh"));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().put("NAS4J_SPARK_DIR", state.toString());
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the script finished");
        return new Result(p.exitValue(), out);
    }

    /** Whether a process runs (a zombie, ended but not yet reaped by an init that reaps late, does not). */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static long pidOf(Path state, String daemon) throws IOException {
        return Long.parseLong(Files.readString(state.resolve(daemon + ".pid")).trim());
    }

    @Test
    void startsAClusterOnThisMachineAndStopsExactlyIt() throws Exception {
        Path state = STATE;
        try {
            Result started = script(state, "start", "--workers", "2", "--memory", "512m", "--port", "17077");
            assertEquals(0, started.code(), started.out());
            assertTrue(started.out().contains("master spark://127.0.0.1:17077, 2 worker(s)"), started.out());
            long master = pidOf(state, "master");
            long worker = pidOf(state, "worker-2");
            assertTrue(running(master));
            Result status = script(state, "status");
            assertEquals(0, status.code(), status.out());
            assertTrue(status.out().contains("worker-2: running") && status.out().contains("spark://127.0.0.1:17077"), status.out());
            Result again = script(state, "start");
            assertEquals(1, again.code(), again.out());
            assertTrue(again.out().contains("already running"), again.out());
            Result stopped = script(state, "stop");
            assertEquals(0, stopped.code(), stopped.out());
            assertFalse(running(master), "the master ended");
            assertFalse(running(worker), "the workers ended");
            Result none = script(state, "status");
            assertEquals(3, none.code(), none.out());
            assertTrue(Files.isRegularFile(state.resolve("jars/.complete")), "the jars stay for the next start");
        } finally {
            script(state, "stop");
        }
    }

    @Test
    void badArgumentsAreUsageErrors(@TempDir Path state) throws Exception {
        Result bad = script(state, "start", "--workers", "two");
        assertEquals(2, bad.code(), bad.out());
        assertTrue(bad.out().contains("--workers, --cores and --port take whole numbers"), bad.out());
        Result unknown = script(state, "restart");
        assertEquals(2, unknown.code(), unknown.out());
        assertTrue(unknown.out().contains("scripts/spark-cluster.sh start"), unknown.out());
        assertFalse(Files.exists(state.resolve("jars")), "nothing fetched for a usage error");
    }
}

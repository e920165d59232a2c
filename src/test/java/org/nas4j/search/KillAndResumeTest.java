package org.nas4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.cli.CliRun;

/** A real nas search process killed with -9 mid-run resumes to the trials of an uninterrupted run. */
class KillAndResumeTest {

    private static List<String> search(Path out) {
        return new ArrayList<>(List.of("search", "--spec", "specs/mnist.yaml", "--strategy", "random", "--trials", "4", "--seed", "5",
                "--threads", "1", "--set", "data.dataset=synthetic", "--set", "data.limit=256", "--out", out.toString()));
    }

    private static Process start(List<String> args, Path log) throws java.io.IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "org.nas4j.cli.Main"));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void aOneShotRunKilledAfterAnEpochResumesFromItsCheckpoint(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("oneshot");
        Process p = start(List.of("search", "--spec", "specs/mnist.yaml", "--strategy", "enas", "--epochs", "3", "--threads", "1",
                "--set", "data.dataset=synthetic", "--set", "data.limit=1024", "--out", run.toString()), dir.resolve("log.txt"));
        Path state = run.resolve("checkpoint/state.json");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && p.isAlive() && !Files.exists(state)) {
            Thread.sleep(50);
        }
        assertTrue(p.isAlive(), "the search ended before it could be killed:\n" + Files.readString(dir.resolve("log.txt")));
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        List<String> before = Files.readAllLines(run.resolve("epochs.jsonl"));
        assertTrue(!before.isEmpty() && before.size() < 3, "epochs after the kill: " + before.size());

        CliRun resumed = CliRun.of("search", "--resume", run.toString());
        assertEquals(0, resumed.code(), resumed.err() + resumed.out());
        assertTrue(resumed.out().contains("resuming after epoch"), resumed.out());
        List<String> after = Files.readAllLines(run.resolve("epochs.jsonl"));
        assertEquals(3, after.size());
        assertEquals(before.get(0), after.get(0));
        for (int e = 0; e < 3; e++) {
            assertTrue(after.get(e).startsWith("{\"epoch\":" + (e + 1) + ","), after.get(e));
        }
        assertEquals(4, Files.readAllLines(run.resolve("trials.jsonl")).size());
        assertEquals(0, CliRun.of("retrain", "--spec", "specs/mnist.yaml", "--arch", run.resolve("architecture.json").toString(),
                "--epochs", "1", "--set", "data.dataset=synthetic", "--set", "data.limit=256", "--out", dir.resolve("model").toString())
                .code());
    }

    @Test
    void killedWithSigkillAndResumed(@TempDir Path dir) throws Exception {
        Path killed = dir.resolve("killed");
        Process p = start(search(killed), dir.resolve("log.txt"));
        Path journal = killed.resolve("trials.jsonl");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && p.isAlive()
                && (!Files.exists(journal) || Files.readAllLines(journal).size() < 2)) {
            Thread.sleep(100);
        }
        assertTrue(p.isAlive(), "the search ended before it could be killed:\n" + Files.readString(dir.resolve("log.txt")));
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        int before = Files.readAllLines(journal).size();
        assertTrue(before >= 2 && before < 4, "journal lines after the kill: " + before);

        CliRun resumed = CliRun.of("search", "--resume", killed.toString());
        assertEquals(0, resumed.code(), resumed.err());
        Path whole = dir.resolve("whole");
        CliRun uninterrupted = CliRun.of(search(whole).toArray(String[]::new));
        assertEquals(0, uninterrupted.code(), uninterrupted.err());
        assertEquals(MultiTrialSearchTest.architectures(whole), MultiTrialSearchTest.architectures(killed));

        // nas export to standard output from a real process (its JSON must survive the exit).
        Process export = start(List.of("export", "--run", killed.toString()), dir.resolve("export.txt"));
        assertTrue(export.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, export.exitValue());
        assertEquals(Files.readString(killed.resolve("architecture.json")).strip(), Files.readString(dir.resolve("export.txt")).strip());
    }

    @Test
    void anNsga2RunKilledWithSigkillResumesToTheUninterruptedRunsTrials(@TempDir Path dir) throws Exception {
        // Trained children (scores repeat: each child is seeded), accuracy against parameters.
        java.util.function.Function<Path, List<String>> nsga2 = out -> new ArrayList<>(List.of("search", "--spec", "specs/tabular-mlp.yaml",
                "--strategy", "nsga2", "--option", "population=4", "--trials", "14", "--threads", "1", "--no-report",
                "--set", "search.objectives=[{metric: accuracy, goal: max}, {metric: params, goal: min}]", "--out", out.toString()));
        Path killed = dir.resolve("killed");
        Process p = start(nsga2.apply(killed), dir.resolve("log.txt"));
        Path journal = killed.resolve("trials.jsonl");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && p.isAlive() && (!Files.exists(journal) || Files.readAllLines(journal).size() < 6)) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the search ended before it could be killed:\n" + Files.readString(dir.resolve("log.txt")));
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        int before = Files.readAllLines(journal).size();
        assertTrue(before >= 6 && before < 14, "journal lines after the kill: " + before);
        CliRun resumed = CliRun.of("search", "--resume", killed.toString(), "--no-report", "--threads", "1");
        assertEquals(0, resumed.code(), resumed.err());
        Path whole = dir.resolve("whole");
        CliRun uninterrupted = CliRun.of(nsga2.apply(whole).toArray(String[]::new));
        assertEquals(0, uninterrupted.code(), uninterrupted.err());
        assertEquals(MultiTrialSearchTest.architectures(whole), MultiTrialSearchTest.architectures(killed));
        assertEquals(14, MultiTrialSearchTest.architectures(killed).size());
    }

    @Test
    void workerProcessesEndWithTheSearchThatStartedThem(@TempDir Path dir) throws Exception {
        List<String> args = search(dir.resolve("run"));
        args.addAll(List.of("--parallel", "2", "--set", "data.limit=4096", "--epochs", "20"));
        Process p = start(args, dir.resolve("log.txt"));
        List<ProcessHandle> workers = List.of();
        for (int i = 0; i < 200 && workers.size() < 2; i++) {
            Thread.sleep(100);
            workers = p.descendants().filter(h -> h.info().commandLine().orElse("").contains(TrialWorker.class.getName())).toList();
        }
        assertEquals(2, workers.size(), "two workers started:\n" + Files.readString(dir.resolve("log.txt")));
        p.destroyForcibly(); // SIGKILL: the search cannot tell its workers anything
        p.waitFor();
        for (ProcessHandle w : workers) {
            for (int i = 0; i < 100 && running(w.pid()); i++) {
                Thread.sleep(100);
            }
            assertFalse(running(w.pid()), "a worker outlived its search (" + p.pid() + ") by 10 s: "
                    + Files.readString(dir.resolve("run/logs/worker-1.log")) + Files.readString(dir.resolve("run/logs/worker-2.log")));
        }
    }

    /** Whether a process runs (an ended one that an init reaping late still lists as a zombie does not). */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void aResumedDartsRunPrintsNoEngineWarning(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("darts");
        CliRun first = CliRun.of("search", "--spec", "specs/mnist.yaml", "--strategy", "darts", "--epochs", "1", "--threads", "1",
                "--set", "data.dataset=synthetic", "--set", "data.limit=128", "--out", run.toString());
        assertEquals(0, first.code(), first.err());
        // The same run, one epoch further: the resume loads the checkpoint's architecture weights.
        Files.writeString(run.resolve("run.json"),
                Files.readString(run.resolve("run.json")).replace("\"epochs\": 1", "\"epochs\": 2"));
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), "org.nas4j.cli.Main", "search", "--resume", run.toString(), "--threads", "1"))
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), said);
        assertTrue(said.contains("resuming after epoch 1 of 2"), said);
        assertFalse(said.contains("Warning"), said);
    }
}

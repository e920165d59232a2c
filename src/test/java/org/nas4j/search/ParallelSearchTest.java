package org.nas4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.cli.CliRun;

/** nas search --parallel N: trials in worker processes, a dead worker, and resuming a parallel run. */
class ParallelSearchTest {

    private static List<JsonObject> journal(Path run) throws Exception {
        return Files.readAllLines(run.resolve("trials.jsonl")).stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    @Test
    void aKilledWorkerFailsItsTrialAndTheSearchGoesOn(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        CompletableFuture<CliRun> search = CompletableFuture.supplyAsync(() -> CliRun.of("search", "--spec", "specs/mnist.yaml",
                "--strategy", "grid", "--trials", "4", "--parallel", "2", "--set", "data.dataset=synthetic", "--set", "data.limit=512",
                "--out", run.toString()));
        // A worker is given its trial as soon as it starts, so killing the first one seen kills a running trial.
        Optional<ProcessHandle> worker = Optional.empty();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (worker.isEmpty() && System.nanoTime() < deadline) {
            worker = ProcessHandle.current().descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains(TrialWorker.class.getName())).findFirst();
            Thread.sleep(20);
        }
        assertTrue(worker.isPresent(), "no worker process started");
        worker.get().destroyForcibly();
        CliRun r = search.get(3, TimeUnit.MINUTES);
        assertEquals(0, r.code(), r.err());
        List<JsonObject> trials = journal(run);
        assertEquals(4, trials.size(), r.out());
        List<JsonObject> failed = trials.stream().filter(t -> t.get("status").getAsString().equals("failed")).toList();
        assertEquals(1, failed.size(), r.out());
        assertTrue(failed.get(0).get("error").getAsString().contains("the worker process running this trial exited with code"),
                failed.get(0).toString());
        assertTrue(r.out().contains("1 trial failed"), r.out());
        assertEquals(Set.of(1, 2, 3, 4), new HashSet<>(trials.stream().map(t -> t.get("id").getAsInt()).toList()));
    }

    @Test
    void aParallelRunCutByACrashResumesWithoutLosingOrRepeatingATrial(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        CliRun whole = CliRun.of("search", "--spec", "specs/nas-bench-macro.yaml", "--strategy", "evolution", "--trials", "30",
                "--parallel", "3", "--out", run.toString());
        assertEquals(0, whole.code(), whole.err());
        List<JsonObject> original = journal(run);
        Map<Integer, String> originalById = new HashMap<>();
        original.forEach(t -> originalById.put(t.get("id").getAsInt(), t.get("architecture").toString()));

        // What a crash after 12 results leaves: the first 12 journal lines and the proposals made by then.
        int kept = 12;
        List<String> lines = Files.readAllLines(run.resolve("trials.jsonl"));
        Files.write(run.resolve("trials.jsonl"), lines.subList(0, kept));
        List<String> proposals = Files.readAllLines(run.resolve("proposals.jsonl")).stream()
                .filter(l -> JsonParser.parseString(l).getAsJsonObject().get("heard").getAsInt() <= kept).toList();
        Files.write(run.resolve("proposals.jsonl"), proposals);
        Set<Integer> cutOff = new HashSet<>();
        for (String p : proposals) {
            cutOff.add(JsonParser.parseString(p).getAsJsonObject().get("id").getAsInt());
        }
        lines.subList(0, kept).forEach(l -> cutOff.remove(JsonParser.parseString(l).getAsJsonObject().get("id").getAsInt()));
        assertTrue(!cutOff.isEmpty(), "the cut should leave trials that were running");

        CliRun resumed = CliRun.of("search", "--resume", run.toString(), "--parallel", "2");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("cut off by the crash"), resumed.out());
        List<JsonObject> after = journal(run);
        assertEquals(30, after.size());
        assertEquals(lines.subList(0, kept), Files.readAllLines(run.resolve("trials.jsonl")).subList(0, kept));
        Set<Integer> ids = new HashSet<>();
        Set<String> archs = new HashSet<>();
        for (JsonObject t : after) {
            assertTrue(ids.add(t.get("id").getAsInt()), "trial repeated: " + t);
            assertTrue(archs.add(t.get("architecture").toString()), "architecture repeated: " + t);
            if (cutOff.contains(t.get("id").getAsInt())) {
                // A trial that was running at the crash runs again as the same architecture.
                assertEquals(originalById.get(t.get("id").getAsInt()), t.get("architecture").toString());
            }
        }
        // Replaying the finished run proposes exactly what it journalled.
        CliRun again = CliRun.of("search", "--resume", run.toString());
        assertEquals(0, again.code(), again.err() + again.out());
        assertEquals(30, journal(run).size());
    }
}

package org.nas4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.space.InputException;

/** One GPU per worker: which GPUs a search may hand out, how they are shared out, and that each worker process sees its own. */
class PlacementTest {

    @Test
    void theGpusToHandOutAreCudaVisibleDevicesElseAllTheEngineSees() {
        assertEquals(List.of("0", "1", "2"), Placement.visible(null, 3));
        assertEquals(List.of("2", "GPU-5e1f"), Placement.visible("2, GPU-5e1f", 4));
        assertEquals(List.of("3"), Placement.visible("3,1", 1)); // CUDA shows only as many as the engine counts
        assertEquals(List.of(), Placement.visible("", 0));
    }

    @Test
    void eachWorkerGetsAGpuOfItsOwnRoundRobinOrASharedOne() throws Exception {
        assertEquals(List.of("4", "6"), Placement.assign(2, List.of("4", "6", "7"), 1));
        assertEquals(List.of("0", "1", "0", "1"), Placement.assign(4, List.of("0", "1"), 0.5));
        assertEquals(List.of("0", "1", "0"), Placement.assign(3, List.of("0", "1", "2"), 0.5));
        assertEquals(List.of("0", "0", "0"), Placement.assign(3, List.of("0"), 1.0 / 3));
    }

    @Test
    void fewerGpusThanWorkersSaysSoAndHowToShare() {
        String m = assertThrows(InputException.class, () -> Placement.assign(4, List.of("0", "1"), 1)).getMessage();
        assertTrue(m.contains("needs 4 GPUs (one per worker), and 2 are visible (0,1)") && m.contains("--parallel 2")
                && m.contains("--gpus-per-worker 0.5 puts 2 workers on each GPU"), m);
        String none = assertThrows(InputException.class, () -> Placement.assign(2, List.of(), 1)).getMessage();
        assertTrue(none.contains("0 are visible"), none);
        String big = assertThrows(InputException.class, () -> Placement.assign(2, List.of("0", "1"), 2)).getMessage();
        assertTrue(big.contains("at most 1"), big);
    }

    @Test
    void onThisCpuEngineAGpuPlacementIsRefusedNamingTheEngine() {
        String m = assertThrows(InputException.class, () -> Placement.of(2, 1, "gpu", 1)).getMessage();
        assertTrue(m.contains("sees no GPU") && m.contains("NAS4J_LIBTORCH"), m);
        String pinned = assertThrows(InputException.class, () -> Placement.of(1, 1, "gpu:1", 1)).getMessage();
        assertTrue(pinned.contains("device gpu:1"), pinned);
    }

    @Test
    void eachWorkerProcessSeesOnlyItsGpusAndTrainsOnTheFirst(@TempDir Path dir) throws Exception {
        // The engine here has no GPU, so the workers cannot train: what is checked is what each was given.
        Path spec = dir.resolve("s.yaml");
        Files.writeString(spec, """
                nas: 1
                input: [4]
                data: {dataset: synthetic, batch-size: 8, limit: 64}
                model:
                  - id: a
                    layer-choice:
                      small: {op: linear, units: 4}
                      big: {op: relu}
                  - {op: linear, units: 2}
                """);
        RunDirectory run = RunDirectory.create(dir.resolve("run"), Files.readAllBytes(spec),
                new RunSettings(spec.toString(), List.of(), "random", 2, 1, java.util.Map.of(), 1, null));
        try (WorkerPool pool = new WorkerPool(run, new Placement(2, 1, "gpu", List.of("7", "GPU-b2")))) {
            pool.submit(1, org.nas4j.space.Architecture.of(java.util.Map.of("a", "small")), null);
            pool.submit(2, org.nas4j.space.Architecture.of(java.util.Map.of("a", "big")), null);
            for (int i = 0; i < 2; i++) {
                Trial t = pool.take();
                assertEquals("failed", t.status());
                assertTrue(t.error().contains("sees no GPU"), t.error());
            }
        } finally {
            run.close();
        }
        assertTrue(Files.readString(run.workerLog(1)).contains("worker: device gpu, CUDA_VISIBLE_DEVICES=7"));
        assertTrue(Files.readString(run.workerLog(2)).contains("worker: device gpu, CUDA_VISIBLE_DEVICES=GPU-b2"));
    }
}

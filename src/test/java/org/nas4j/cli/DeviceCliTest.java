package org.nas4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --device and nas doctor on this CPU machine: a GPU is refused by every command with the message
 * naming the engine and how to give nas4j a CUDA libtorch; NAS4J_LIBTORCH really steers the engine.
 */
class DeviceCliTest {

    private static void refusesTheGpu(CliRun run, String what) {
        assertEquals(1, run.code(), what + ": " + run.out() + run.err());
        assertTrue(run.err().contains("the PyTorch 2.7.1 engine nas4j loaded (the CPU build bundled with nas4j) sees no GPU")
                && run.err().contains("NAS4J_LIBTORCH=DIR") && run.err().contains("docs/gpu.md"), what + ": " + run.err());
        assertFalse(run.crashed(), run.err());
    }

    @Test
    void everyCommandRefusesAGpuTheEngineDoesNotHaveBeforeAnyWork(@TempDir Path dir) throws Exception {
        String[] data = {"--set", "data.dataset=synthetic", "--set", "data.limit=256"};
        for (List<String> search : List.of(List.of("--device", "gpu"), List.of("--set", "training.device=gpu:1"),
                List.of("--device", "gpu", "--parallel", "2"), List.of("--device", "gpu", "--strategy", "darts"))) {
            Path out = dir.resolve("run" + search.hashCode());
            List<String> args = new ArrayList<>(List.of("search", "--spec", "specs/mnist.yaml", "--out", out.toString()));
            args.addAll(search);
            args.addAll(List.of(data));
            refusesTheGpu(CliRun.of(args.toArray(String[]::new)), "search " + search);
            assertFalse(Files.exists(out), "no run directory is left for a search that cannot start");
        }
        Path arch = dir.resolve("arch.json");
        Files.writeString(arch, "{\"conv1\": \"conv3x3\", \"skipcon\": []}");
        refusesTheGpu(CliRun.of("retrain", "--spec", "specs/mnist.yaml", "--arch", arch.toString(), "--device", "gpu",
                "--out", dir.resolve("model").toString(), data[0], data[1], data[2], data[3]), "retrain");
        assertFalse(Files.exists(dir.resolve("model").resolve("model.json")));
    }

    @Test
    void aDeviceThatIsNotCpuOrGpuIsAUsageErrorAndASpecErrorWithItsLine(@TempDir Path dir) throws Exception {
        CliRun run = CliRun.of("search", "--spec", "specs/mnist.yaml", "--device", "cuda");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--device must be cpu, gpu or gpu:N, got 'cuda'"), run.err());
        Path spec = dir.resolve("s.yaml");
        Files.writeString(spec, "nas: 1\ninput: [4]\ndata: {dataset: synthetic}\ntraining:\n  device: tpu:0\nmodel:\n  - {op: linear, units: 2}\n");
        CliRun check = CliRun.of("validate-spec", spec.toString());
        assertEquals(1, check.code());
        assertTrue(check.err().contains(":5:") && check.err().contains("training.device must be cpu, gpu or gpu:N, got 'tpu:0'"),
                check.err());
    }

    @Test
    void doctorReportsTheBundledCpuEngine() {
        CliRun run = CliRun.of("doctor");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("selection  the bundled CPU build (NAS4J_LIBTORCH not set)"), run.out());
        assertTrue(run.out().contains("engine     PyTorch 2.7.1, flavor cpu"), run.out());
        assertTrue(run.out().contains("devices    cpu; no GPU"), run.out());
        assertTrue(run.out().contains("threads    intra-op "), run.out());
    }

    /** Runs nas doctor in a process of its own (the engine is one per process) with {@code env} added. */
    private static CliRun doctor(Map<String, String> env) throws Exception {
        ProcessBuilder p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), "org.nas4j.cli.Main", "doctor");
        p.environment().putAll(env);
        Process process = p.start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new CliRun(process.waitFor(), out, err);
    }

    @Test
    void nas4jLibtorchSteersTheEngineToTheFolderItNames() throws Exception {
        // The bundled CPU build, unpacked in DJL's cache, is a real libtorch 2.7.1 to point at.
        ai.djl.engine.Engine.getInstance();
        String lib = ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
        CliRun run = doctor(Map.of("NAS4J_LIBTORCH", lib));
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("selection  NAS4J_LIBTORCH=" + lib + ": libtorch 2.7.1+cpu from " + lib), run.out());
        assertTrue(run.out().contains("libraries  " + lib), run.out());

        CliRun bad = doctor(Map.of("NAS4J_LIBTORCH", "/no/such/libtorch"));
        assertEquals(1, bad.code(), bad.out());
        assertTrue(bad.out().contains("engine     did not load: NAS4J_LIBTORCH=/no/such/libtorch: no such directory"), bad.out());
    }
}

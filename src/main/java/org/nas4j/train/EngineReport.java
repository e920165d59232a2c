package org.nas4j.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nas4j.space.InputException;

/**
 * What {@code nas doctor} reports: the engine, its version and flavor, where its libraries come
 * from, the devices it sees, its threads, and the data directory. Each fact is a labelled line;
 * a fact that cannot be had says why instead, and the report goes on.
 */
public final class EngineReport {
    private EngineReport() {
    }

    /** One labelled line of the report. */
    public record Line(String label, String value) { }

    /** The report, and whether the engine loaded (nas doctor's exit code). */
    public record Report(List<Line> lines, boolean engineLoaded) { }

    /** Gathers the report for this process (its selection, properties and {@code env}). */
    public static Report gather(Map<String, String> env) {
        List<Line> lines = new ArrayList<>();
        Runtime rt = Runtime.getRuntime();
        lines.add(new Line("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                + rt.availableProcessors() + " cores, max heap " + rt.maxMemory() / (1 << 20) + " MiB"));
        lines.add(new Line("selection", selectionLine(env)));
        boolean loaded = false;
        try {
            Engine engine = Engines.start();
            loaded = true;
            String dir = ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
            String[] vf = Libtorch.versionAndFlavor(Path.of(dir));
            String flavor = Engines.selection().flavor() != null ? Engines.selection().flavor() : vf != null ? vf[1] : "unknown";
            lines.add(new Line("engine", engine.getEngineName() + " " + engine.getVersion() + ", flavor " + flavor + ", DJL "
                    + Engine.getDjlVersion()));
            lines.add(new Line("libraries", dir));
            lines.add(new Line("devices", devices(engine)));
            lines.add(new Line("threads", "intra-op " + ai.djl.pytorch.jni.JniUtils.getNumThreads() + ", inter-op "
                    + ai.djl.pytorch.jni.JniUtils.getNumInteropThreads() + " (--threads N, or -Dai.djl.pytorch.num_threads)"));
        } catch (InputException e) {
            lines.add(new Line("engine", "did not load: " + e.getMessage()));
        }
        lines.add(new Line("djl cache", Libtorch.cacheDir() + " (DJL_CACHE_DIR)"));
        lines.add(new Line("offline", Boolean.toString(Boolean.getBoolean("ai.djl.offline"))
                + (Boolean.getBoolean("ai.djl.offline") ? "" : " (scripts/nas sets -Dai.djl.offline=true: nothing is downloaded)")));
        lines.add(new Line("data", data()));
        return new Report(List.copyOf(lines), loaded);
    }

    private static String selectionLine(Map<String, String> env) {
        Libtorch.Selection s = Engines.selection();
        String visible = env.get("CUDA_VISIBLE_DEVICES");
        String line = switch (s.source()) {
            case "bundled" -> env.get(Libtorch.ENV) != null ? Libtorch.ENV + "=" + env.get(Libtorch.ENV) + ", not usable (below)"
                    : "the bundled CPU build (" + Libtorch.ENV + " not set)";
            case Libtorch.ENV -> Libtorch.ENV + "=" + env.get(Libtorch.ENV) + ": " + s.describe();
            default -> "DJL's PYTORCH_LIBRARY_PATH=" + s.dir() + " (set outside nas4j; " + Libtorch.ENV + " is the documented way)";
        };
        return line + (visible != null ? "; CUDA_VISIBLE_DEVICES=" + visible : "");
    }

    private static String devices(Engine engine) {
        int gpus = engine.getGpuCount();
        if (gpus == 0) {
            return "cpu; no GPU (" + (Engines.selection().dir() == null ? "the bundled engine is a CPU build"
                    : "this libtorch sees none") + ")";
        }
        StringBuilder b = new StringBuilder("cpu");
        for (int i = 0; i < gpus; i++) {
            Device d = Device.gpu(i);
            b.append(", gpu:").append(i);
            try {
                var memory = ai.djl.util.cuda.CudaUtils.getGpuMemory(d);
                b.append(String.format(Locale.ROOT, " (compute %s, %.1f GiB)", ai.djl.util.cuda.CudaUtils.getComputeCapability(i),
                        memory.getMax() / (double) (1L << 30)));
            } catch (RuntimeException e) {
                b.append(" (details unavailable: ").append(e.getMessage()).append(')');
            }
        }
        return b.toString();
    }

    private static String data() {
        Path root = Datasets.dataRoot().toAbsolutePath().normalize();
        List<String> have = new ArrayList<>();
        for (String name : Datasets.BUILT_IN) {
            Path dir = Datasets.builtInDir(name);
            if (Files.isDirectory(dir)) {
                have.add(dir.toAbsolutePath().normalize().startsWith(root) ? name : name + " (" + dir + ")");
            }
        }
        return root + " (-Dnas4j.data, else NAS4J_DATA): " + (have.isEmpty() ? "no dataset yet; scripts/fetch-data.sh puts them there"
                : String.join(", ", have));
    }
}

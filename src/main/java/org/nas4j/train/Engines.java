package org.nas4j.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Map;
import org.nas4j.space.InputException;
import org.nas4j.spec.Spec;

/** Starts DJL's engine the way a run asks: which libtorch, threads, seed, device. */
public final class Engines {
    /** The libtorch the engine loads (the engine is one per process, and so is this). */
    private static Libtorch.Selection selection = Libtorch.Selection.BUNDLED;
    private static InputException selectionProblem;

    private Engines() {
    }

    /**
     * Sets the engine's thread counts; must come before anything touches the engine. Null keeps
     * DJL's default.
     */
    public static void threads(Integer threads) {
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
            System.setProperty("ai.djl.pytorch.num_interop_threads", threads.toString());
        }
    }

    /** Seeds the engine for one of many runs under one seed (a search's trials): independent, and repeatable. */
    public static void seed(long seed, long stream) {
        seed(Datasets.mix(seed, stream));
    }

    /** Seeds the engine's and DJL's random numbers, so that CPU runs repeat. */
    public static void seed(long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
    }

    /**
     * Reads NAS4J_LIBTORCH (and DJL's own PYTORCH_* variables) from {@code env} and points the
     * engine at the libtorch it names; call once, before anything touches the engine. A problem
     * is kept and reported by {@link #start()}, so commands that never run the engine (help,
     * validate-spec) still work.
     */
    public static synchronized void select(Map<String, String> env) {
        try {
            selection = Libtorch.select(env);
            Libtorch.apply(selection);
            selectionProblem = null;
        } catch (InputException e) {
            selectionProblem = e;
        }
    }

    /** Where the engine's libraries come from, as {@link #select} found. */
    public static synchronized Libtorch.Selection selection() {
        return selection;
    }

    /**
     * The engine, loaded; or one message saying why it cannot be: the problem {@link #select}
     * found, or the native libraries' failure to load, naming where they came from.
     */
    public static synchronized Engine start() throws InputException {
        if (selectionProblem != null) {
            throw selectionProblem;
        }
        try {
            return Engine.getInstance();
        } catch (RuntimeException | LinkageError e) {
            throw new InputException(loadFailure(e));
        }
    }

    /** Why the engine did not load, for users: the deepest cause's words, where it loaded from, what to check. */
    public static String loadFailure(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String said = root.getMessage() != null ? root.getMessage() : root.toString();
        String check = selection.dir() == null
                ? "check that DJL's cache (" + Libtorch.cacheDir() + ") is writable and has ~450 MB free"
                : "check that " + selection.dir() + " is a complete libtorch " + Libtorch.VERSION + " (flavor " + selection.flavor()
                        + ") with its CUDA libraries found by the loader";
        return "the PyTorch engine did not load " + selection.describe() + ": " + said + "; " + check
                + " (`nas doctor` shows what nas4j finds)";
    }

    /**
     * The device a name means: {@code cpu}, {@code gpu} (the first GPU) or {@code gpu:N}. A GPU
     * the engine does not see is one message naming the engine and how to give nas4j a CUDA
     * libtorch.
     */
    public static Device device(String name) throws InputException {
        String n = name == null ? "cpu" : name;
        if (!Spec.TrainingSpec.DEVICE.matcher(n).matches()) {
            throw new InputException("device '" + n + "' is not one of cpu, gpu, gpu:N");
        }
        // Loaded for cpu too: a libtorch the user named but that cannot be used must not be passed over silently.
        Engine engine = start();
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        int id = n.equals("gpu") ? 0 : Integer.parseInt(n.substring(4));
        int gpus = engine.getGpuCount();
        if (gpus == 0) {
            throw new InputException("device " + n + ": the " + engine.getEngineName() + " " + engine.getVersion() + " engine nas4j "
                    + "loaded (" + selection.describe() + ") sees no GPU. To train on a GPU, give nas4j a CUDA build of libtorch "
                    + Libtorch.VERSION + " (flavor " + Libtorch.bundledFlavors(true) + ", the CUDA build DJL 0.36 bridges): " + Libtorch.ENV
                    + "=DIR, as docs/gpu.md shows; `nas doctor` reports what the engine sees. Or use --device cpu");
        }
        if (id >= gpus) {
            throw new InputException("device " + n + ": the engine sees " + gpus + " GPU" + (gpus == 1 ? "" : "s") + " (gpu:0"
                    + (gpus > 1 ? " to gpu:" + (gpus - 1) : "") + ")");
        }
        return Device.gpu(id);
    }

    /**
     * Copies a loaded array into a live one in place, by an indexed put: NDArray.set(Buffer) goes
     * through a deprecated PyTorch guard that prints a warning every time a checkpoint is loaded.
     */
    public static void copyInto(ai.djl.ndarray.NDArray target, ai.djl.ndarray.NDArray loaded) {
        target.set(new ai.djl.ndarray.index.NDIndex(":"), loaded);
    }
}

package org.nas4j.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.nas4j.space.InputException;

/** Starts DJL's engine the way a run asks: threads, seed, device. */
public final class Engines {
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

    /** The device for {@code cpu} or {@code gpu}; a InputException-like message when there is no GPU. */
    public static Device device(String name) throws InputException {
        if ("gpu".equals(name)) {
            if (Engine.getInstance().getGpuCount() == 0) {
                throw new InputException("--device gpu: the engine sees no GPU. This build bundles PyTorch's CPU engine "
                        + "(the registry reachable here serves no CUDA build of libtorch 2.7.1); use --device cpu");
            }
            return Device.gpu();
        }
        return Device.cpu();
    }

    /**
     * Copies a loaded array into a live one in place, by an indexed put: NDArray.set(Buffer) goes
     * through a deprecated PyTorch guard that prints a warning every time a checkpoint is loaded.
     */
    public static void copyInto(ai.djl.ndarray.NDArray target, ai.djl.ndarray.NDArray loaded) {
        target.set(new ai.djl.ndarray.index.NDIndex(":"), loaded);
    }
}

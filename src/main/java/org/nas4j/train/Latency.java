package org.nas4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.nas4j.spec.SampleShape;

/**
 * A child's inference latency as measured here, on the device and threads the search runs with:
 * forward passes of a batch of random inputs in inference mode, after warm-up runs (the engine's
 * first passes allocate and choose kernels), the median of the timed ones in milliseconds.
 */
public final class Latency {
    /** Passes run before timing. */
    public static final int WARMUP = 3;
    /** Timed passes; their median is the latency. */
    public static final int RUNS = 10;

    private Latency() {
    }

    /**
     * The median milliseconds of a forward pass of {@code block} on {@code batch} samples of
     * {@code input} on {@code device}; initialises the block there when it is not yet.
     */
    public static double measure(Block block, SampleShape input, int batch, ai.djl.Device device) {
        return measure(block, input, batch, RUNS, device);
    }

    /** The same, the median of {@code runs} timed passes. */
    public static double measure(Block block, SampleShape input, int batch, int runs, ai.djl.Device device) {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            if (!block.isInitialized()) {
                block.initialize(manager, DataType.FLOAT32, ChildTraining.batchShape(batch, input));
            }
            NDArray x = manager.randomNormal(ChildTraining.batchShape(batch, input));
            double[] ms = new double[runs];
            for (int i = 0; i < WARMUP + runs; i++) {
                try (NDManager pass = manager.newSubManager()) {
                    long start = System.nanoTime();
                    NDArray out = block.forward(new ParameterStore(pass, false), new NDList(x), false).head();
                    out.toFloatArray(); // waits for the result
                    if (i >= WARMUP) {
                        ms[i - WARMUP] = (System.nanoTime() - start) / 1e6;
                    }
                }
            }
            Arrays.sort(ms);
            return runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
        }
    }
}

package org.nas4j.search;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.space.InputException;
import org.nas4j.train.Engines;

/**
 * Where a search's trials run: on {@code device} ({@code cpu}, {@code gpu}, {@code gpu:N}), in
 * this process ({@code workers} 1) or in that many worker processes with {@code threadsEach}
 * engine threads each; with {@code workerGpus} (else null) worker K sees only the GPUs of entry
 * K-1 (its CUDA_VISIBLE_DEVICES) and trains on the first of them, as Katib and NNI's local
 * training service give each trial its GPU.
 */
public record Placement(int workers, int threadsEach, String device, List<String> workerGpus) {

    /** One trial at a time, in this process, on {@code device}. */
    public static Placement inProcess(String device) {
        return new Placement(1, 0, device, null);
    }

    /**
     * The placement of {@code workers} trials at once on {@code device}: with a GPU device and
     * more than one worker, each worker gets GPUs of its own, round robin over the GPUs this
     * process may use (its CUDA_VISIBLE_DEVICES, else all the engine sees);
     * {@code gpusPerWorker} below 1 puts 1/that many workers on each GPU.
     */
    public static Placement of(int workers, int threadsEach, String device, double gpusPerWorker) throws InputException {
        Engines.device(device); // the engine loads, and sees such a device
        if (workers == 1 || !device.startsWith("gpu")) {
            return workers == 1 ? inProcess(device) : new Placement(workers, threadsEach, device, null);
        }
        if (!device.equals("gpu")) {
            throw new InputException("--parallel " + workers + " gives each worker GPUs of its own; use --device gpu, not " + device
                    + " (CUDA_VISIBLE_DEVICES limits which GPUs the workers share out)");
        }
        int count = Engines.start().getGpuCount();
        return new Placement(workers, threadsEach, device, assign(workers, visible(System.getenv("CUDA_VISIBLE_DEVICES"), count),
                gpusPerWorker));
    }

    /**
     * The GPUs this process may hand out, by the names CUDA knows them: the entries of its
     * CUDA_VISIBLE_DEVICES (indices or UUIDs) when set, else 0 to {@code engineCount}-1.
     */
    static List<String> visible(String cudaVisibleDevices, int engineCount) {
        List<String> gpus = new ArrayList<>();
        if (cudaVisibleDevices != null && !cudaVisibleDevices.isBlank()) {
            for (String g : cudaVisibleDevices.split(",")) {
                if (!g.isBlank()) {
                    gpus.add(g.trim());
                }
            }
            // CUDA ignores the entries after the engine's count (an invalid one ends the list).
            return gpus.subList(0, Math.min(gpus.size(), Math.max(engineCount, 0)));
        }
        for (int i = 0; i < engineCount; i++) {
            gpus.add(Integer.toString(i));
        }
        return gpus;
    }

    /**
     * Each worker's CUDA_VISIBLE_DEVICES: worker K (from 0) gets GPU K mod the GPUs used, so
     * {@code gpusPerWorker} 1 needs a GPU per worker and 0.5 one per two workers. Fewer GPUs than
     * that is an error saying how many were needed and how to share them.
     */
    static List<String> assign(int workers, List<String> visible, double gpusPerWorker) throws InputException {
        if (!(gpusPerWorker > 0 && gpusPerWorker <= 1)) {
            throw new InputException("--gpus-per-worker must be above 0 and at most 1 (a trial trains on one GPU), got " + gpusPerWorker);
        }
        int perGpu = (int) Math.floor(1 / gpusPerWorker + 1e-9);
        int needed = (workers + perGpu - 1) / perGpu;
        if (needed > visible.size()) {
            int share = (workers + visible.size() - 1) / Math.max(1, visible.size());
            throw new InputException("--parallel " + workers + " --device gpu needs " + needed + " GPU" + (needed == 1 ? "" : "s")
                    + (perGpu == 1 ? " (one per worker)" : " (" + perGpu + " workers per GPU)") + ", and " + visible.size()
                    + (visible.size() == 1 ? " is" : " are") + " visible" + (visible.isEmpty() ? "" : " (" + String.join(",", visible) + ")")
                    + "; use --parallel " + Math.max(1, visible.size() * perGpu)
                    + (visible.isEmpty() ? "" : ", or share them: --gpus-per-worker " + trim(1.0 / share) + " puts " + share
                            + " workers on each GPU"));
        }
        List<String> each = new ArrayList<>();
        for (int k = 0; k < workers; k++) {
            each.add(visible.get(k % needed));
        }
        return List.copyOf(each);
    }

    /** 0.5, 0.25, 0.3333: a share as a user would type it. */
    private static String trim(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}

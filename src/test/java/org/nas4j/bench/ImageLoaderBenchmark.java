package org.nas4j.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import java.util.List;
import java.util.Locale;
import org.nas4j.spec.SampleShape;
import org.nas4j.spec.Spec;
import org.nas4j.train.Datasets;

/**
 * Images per second of the training data's batches alone (no model), one epoch each, IDX files
 * against a folder of the same images as PNGs, alternating: args IDX_DATASET PNG_DIR LIMIT ROUNDS.
 * Run by scripts/bench/image-loader.sh.
 */
public final class ImageLoaderBenchmark {
    private ImageLoaderBenchmark() {
    }

    /** Args: the IDX dataset's name (fashion-mnist), the PNG folder, how many training images, rounds. */
    public static void main(String[] args) throws Exception {
        int limit = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        List<Spec.DataSpec> sources = List.of(new Spec.DataSpec(args[0], null, 64, limit, 0.1),
                new Spec.DataSpec("image-folder", args[1], 64, limit, 0.1, null, List.of(), "error", List.of(), null, null, java.util.Map.of()));
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int r = 0; r < rounds; r++) {
                for (Spec.DataSpec data : sources) {
                    long start = System.nanoTime();
                    Datasets.Splits s = Datasets.load(data, SampleShape.of(1, 28, 28), 10, 0.1, 1, manager);
                    double loaded = (System.nanoTime() - start) / 1e9;
                    long images = 0;
                    start = System.nanoTime();
                    try (NDManager epoch = manager.newSubManager()) {
                        for (Batch b : s.train().getData(epoch)) {
                            try (b) {
                                images += b.getSize();
                            }
                        }
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf(Locale.ROOT, "round %d %-13s load %.2f s, one epoch of %,d images %.2f s: %,.0f images/s%n", r + 1,
                            data.dataset(), loaded, images, seconds, images / seconds);
                }
            }
        }
    }
}

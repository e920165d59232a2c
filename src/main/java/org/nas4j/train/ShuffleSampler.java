package org.nas4j.train;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Random;

/**
 * Visits a dataset in a new random order each epoch, drawn from its own seeded generator: the order of epoch k
 * depends only on the seed and k. DJL's RandomSampler draws from the process-wide RandomUtils.RANDOM instead,
 * which anything else can advance or reseed.
 */
final class ShuffleSampler implements Sampler.SubSampler {
    private final Random random;

    /** A sampler whose orders follow from {@code seed} alone. */
    ShuffleSampler(long seed) {
        random = new Random(seed);
    }

    /** Starts the orders over from {@code seed}: a child trained after others sees the batches it would see first. */
    void restart(long seed) {
        synchronized (random) {
            random.setSeed(seed);
        }
    }

    /** Draws what {@code epochs} epochs' orders of {@code n} samples would, without making them. */
    void skip(int epochs, int n) {
        synchronized (random) {
            for (int e = 0; e < epochs; e++) {
                for (int i = n - 1; i > 0; i--) {
                    random.nextInt(i + 1);
                }
            }
        }
    }

    /** The dataset's indices in the next epoch's order. */
    @Override
    public Iterator<Long> sample(RandomAccessDataset dataset) {
        int n = Math.toIntExact(dataset.size());
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        synchronized (random) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                long t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return Arrays.stream(order).iterator();
    }
}

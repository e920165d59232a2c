package org.nas4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.nas4j.spec.Spec;

/**
 * The standard NAS augmentation of training images, batch by batch: a random crop of the image
 * padded with zeros, a random horizontal flip, and cutout (a square of zeros at a random centre,
 * clipped at the border), each drawn per image from a seeded random stream so that a run repeats.
 * Validation and test images are never augmented.
 */
public final class Augmentation {
    private final Spec.AugmentSpec spec;
    private final Random random;

    /** Augments as {@code spec} says, drawing from a stream of {@code seed}. */
    public Augmentation(Spec.AugmentSpec spec, long seed) {
        this.spec = spec;
        this.random = new Random(seed);
    }

    /** Starts the draws over from {@code seed}, as {@link Datasets.Splits#restart} does for a new child. */
    void restart(long seed) {
        random.setSeed(seed);
    }

    /** A batch of images (N, C, H, W), augmented; arrays it makes belong to {@code x}'s manager. */
    public NDArray apply(NDArray x) {
        Shape s = x.getShape();
        int n = (int) s.get(0);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        NDManager m = x.getManager();
        NDArray out = x;
        if (spec.cropPadding() > 0) {
            int p = spec.cropPadding();
            NDArray padded = out.pad(new Shape(p, p, p, p), 0); // last axes first: width, then height
            NDList crops = new NDList(n);
            for (int i = 0; i < n; i++) {
                int dy = random.nextInt(2 * p + 1);
                int dx = random.nextInt(2 * p + 1);
                crops.add(padded.get(new NDIndex("{}, :, {}:{}, {}:{}", i, dy, dy + h, dx, dx + w)));
            }
            out = NDArrays.stack(crops);
        }
        if (spec.flip()) {
            float[] flip = new float[n];
            for (int i = 0; i < n; i++) {
                flip[i] = random.nextBoolean() ? 1 : 0;
            }
            // x + flip * (flipped - x): the engine's where does not broadcast the per-image choice.
            NDArray mask = m.create(flip, new Shape(n, 1, 1, 1));
            out = out.flip(3).sub(out).muli(mask).addi(out);
        }
        if (spec.cutout() > 0) {
            float[] keep = new float[n * h * w];
            java.util.Arrays.fill(keep, 1f);
            int half = spec.cutout() / 2;
            for (int i = 0; i < n; i++) {
                int cy = random.nextInt(h);
                int cx = random.nextInt(w);
                for (int y = Math.max(0, cy - half); y < Math.min(h, cy - half + spec.cutout()); y++) {
                    for (int xx = Math.max(0, cx - half); xx < Math.min(w, cx - half + spec.cutout()); xx++) {
                        keep[i * h * w + y * w + xx] = 0f;
                    }
                }
            }
            out = out.mul(m.create(keep, new Shape(n, 1, h, w)));
        }
        return out;
    }
}

package org.nas4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.space.InputException;
import org.nas4j.spec.SampleShape;
import org.nas4j.spec.Spec;
import org.nas4j.spec.SpecLoader;

/** Augmentation of training batches and per-channel normalisation, as a spec asks for them. */
class AugmentationTest {

    private static Spec.DataSpec data(String yaml) {
        SpecLoader.Checked c = SpecLoader.check("a.yaml", ("nas: 1\ninput: [3, 8, 8]\ndata: " + yaml
                + "\nmodel:\n  - {op: flatten}\n  - {op: linear, units: 10}\n").getBytes(StandardCharsets.UTF_8));
        assertTrue(c.ok(), c.errors().toString());
        return c.spec().data();
    }

    @Test
    void eachAugmentationDoesWhatItSaysAndRepeatsWithItsSeed() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Image i holds the column index + 1 everywhere: a flip or a shift shows in the values.
            float[] v = new float[4 * 1 * 8 * 8];
            for (int i = 0; i < v.length; i++) {
                v[i] = i % 8 + 1;
            }
            NDArray x = m.create(v, new Shape(4, 1, 8, 8));
            float[] flipped = new Augmentation(new Spec.AugmentSpec(0, true, 0), 3).apply(x).toFloatArray();
            int flips = 0;
            for (int i = 0; i < 4; i++) {
                float first = flipped[i * 64];
                assertTrue(first == 1 || first == 8, "row starts " + first);
                flips += first == 8 ? 1 : 0;
            }
            assertTrue(flips > 0 && flips < 4, flips + " of 4 flipped");
            float[] cut = new Augmentation(new Spec.AugmentSpec(0, false, 4), 3).apply(x).toFloatArray();
            for (int i = 0; i < 4; i++) {
                int zeros = 0;
                for (int k = 0; k < 64; k++) {
                    zeros += cut[i * 64 + k] == 0 ? 1 : 0;
                }
                assertTrue(zeros > 0 && zeros <= 16, zeros + " zeros in image " + i);
            }
            NDArray cropped = new Augmentation(new Spec.AugmentSpec(2, false, 0), 3).apply(x);
            assertEquals(x.getShape(), cropped.getShape());
            float[] c = cropped.toFloatArray();
            boolean moved = false;
            for (int i = 0; i < 4; i++) {
                // A shift keeps consecutive columns consecutive, or pads with zeros at the border.
                for (int k = 1; k < 8; k++) {
                    float a = c[i * 64 + k - 1];
                    float b = c[i * 64 + k];
                    assertTrue(a == 0 || b == 0 || b == a + 1, "columns " + a + ", " + b);
                }
                moved |= c[i * 64] != 1;
            }
            assertTrue(moved, "no image was shifted");
            Spec.AugmentSpec all = new Spec.AugmentSpec(2, true, 4);
            assertArrayEquals(new Augmentation(all, 9).apply(x).toFloatArray(), new Augmentation(all, 9).apply(x).toFloatArray());
        }
    }

    @Test
    void theSpecNamesAugmentationsAndNormalisationsAndRefusesOthers() {
        Spec.DataSpec d = data("{dataset: synthetic, augment: {random-crop: {padding: 4}, flip: horizontal, cutout: 16}, normalize: auto}");
        assertEquals(new Spec.AugmentSpec(4, true, 16), d.augment());
        assertTrue(d.normalize().auto());
        Spec.DataSpec given = data("{dataset: synthetic, normalize: {mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26]}}");
        assertEquals(List.of(0.49, 0.48, 0.45), given.normalize().mean());
        for (String[] bad : new String[][] {
                {"{dataset: synthetic, augment: {}}", "names no augmentation"},
                {"{dataset: synthetic, augment: {flip: vertical}}", "unknown data.augment.flip 'vertical'"},
                {"{dataset: synthetic, augment: {random-crop: {}}}", "needs a padding"},
                {"{dataset: synthetic, normalize: {mean: [0.5], std: [0.2, 0.3]}}", "1 means but 2 standard deviations"},
                {"{dataset: synthetic, normalize: {mean: [0.5], std: [0]}}", "numbers above 0"},
                {"{dataset: synthetic, normalize: sometimes}", "must be auto or {mean: [...], std: [...]}"}}) {
            SpecLoader.Checked c = SpecLoader.check("a.yaml", ("nas: 1\ninput: [3, 8, 8]\ndata: " + bad[0]
                    + "\nmodel:\n  - {op: flatten}\n  - {op: linear, units: 10}\n").getBytes(StandardCharsets.UTF_8));
            assertTrue(c.errors().stream().anyMatch(e -> e.message().contains(bad[1])), bad[0] + ": " + c.errors());
        }
    }

    @Test
    void autoNormalisesEachChannelOnTheTrainingImagesAndAugmentsOnlyThem(@TempDir Path tmp) throws Exception {
        java.util.Random r = new java.util.Random(2);
        // Red dark, green mid, blue bright, each with its own spread.
        Cifar10Files.write(tmp, 10, 10, (record, k) -> {
            int plane = k / 1024;
            return Math.max(0, Math.min(255, 40 + 80 * plane + (int) (r.nextGaussian() * (10 + 10 * plane))));
        });
        Spec.DataSpec spec = new Spec.DataSpec("cifar10", tmp.toString(), 10, null, 0.1, null, List.of(), "error", List.of(),
                new Spec.NormalizeSpec(true, List.of(), List.of()), new Spec.AugmentSpec(0, true, 0), java.util.Map.of());
        try (NDManager m = NDManager.newBaseManager()) {
            Datasets.Splits s = Datasets.load(spec, SampleShape.of(3, 32, 32), 10, 0.1, 1, m);
            assertTrue(s.note().startsWith("normalize auto: mean [0.15"), s.note());
            double[] sum = new double[3];
            double[] squares = new double[3];
            long n = 0;
            for (Batch b : s.train().getData(m)) {
                try (b) {
                    float[] x = b.getData().head().toFloatArray();
                    for (int k = 0; k < x.length; k++) {
                        int c = (k % 3072) / 1024;
                        sum[c] += x[k];
                        squares[c] += x[k] * x[k];
                    }
                    n += x.length / 3;
                    NDList seen = s.trainingInput(b.getData());
                    assertTrue(seen.head() != b.getData().head(), "training batches are augmented");
                }
            }
            for (int c = 0; c < 3; c++) {
                assertEquals(0, sum[c] / n, 1e-3, "channel " + c + " mean");
                assertEquals(1, Math.sqrt(squares[c] / n), 1e-2, "channel " + c + " std");
            }
            Spec.DataSpec wrong = new Spec.DataSpec("cifar10", tmp.toString(), 10, null, 0.1, null, List.of(), "error", List.of(),
                    new Spec.NormalizeSpec(false, List.of(0.5, 0.5), List.of(0.2, 0.2)), null, java.util.Map.of());
            String err = assertThrows(InputException.class, () -> Datasets.load(wrong, SampleShape.of(3, 32, 32), 10, 0.1, 1, m)).getMessage();
            assertTrue(err.contains("data.normalize gives 2 means and standard deviations, but cifar10 images have 3 channels"), err);
        }
    }
}

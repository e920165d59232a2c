package org.nas4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.nas4j.space.InputException;
import org.nas4j.spec.SampleShape;
import org.nas4j.spec.Spec;

/** Folders of PNG and JPEG images: layouts, colours, sizes, and every way a folder can be wrong. */
class ImageFolderTest extends WithEngine {
    /** An image whose every pixel is one RGB colour. */
    private static void image(Path file, int w, int h, int rgb) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        String name = file.getFileName().toString();
        assertTrue(ImageIO.write(img, name.endsWith(".png") ? "png" : "jpeg", file.toFile()));
    }

    /** Class a: dark grey images; class b: light; n of each, 8x6, named so that the classes interleave. */
    private Path folder(Path dir, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            image(dir.resolve("a").resolve(String.format("%03d-a.png", 2 * i)), 8, 6, 0x202020);
            image(dir.resolve("b").resolve(String.format("%03d-b.png", 2 * i + 1)), 8, 6, 0xe0e0e0);
        }
        return dir;
    }

    private static Spec.DataSpec data(Path dir, List<Integer> resize) {
        return new Spec.DataSpec("image-folder", dir.toString(), 4, null, 0.25, null, List.of(), "error", resize, null, null, java.util.Map.of());
    }

    private static Datasets.Splits load(Spec.DataSpec data, SampleShape input, int classes) throws InputException {
        return Datasets.load(data, input, classes, 0.1, 1, manager);
    }

    /** Per sample of one pass: its first value and its label. */
    private static List<float[]> firstValues(RandomAccessDataset part) throws Exception {
        List<float[]> out = new ArrayList<>();
        for (Batch b : part.getData(manager)) {
            try (b) {
                NDArray x = b.getData().head();
                float[] labels = b.getLabels().head().toFloatArray();
                for (int i = 0; i < labels.length; i++) {
                    out.add(new float[] {x.get(i).toFloatArray()[0], labels[i], x.getShape().get(1)});
                }
            }
        }
        return out;
    }

    @Test
    void classFoldersBecomeLabelsAndPixelsFollowTheirClass() throws Exception {
        Path dir = folder(tmp.resolve("f"), 10);
        Datasets.Splits s = load(data(dir, List.of()), SampleShape.of(1, 6, 8), 2);
        assertEquals(List.of(12, 4, 4), List.of(s.trainSize(), s.validationSize(), s.testSize()));
        for (RandomAccessDataset part : List.of(s.train(), s.validation(), s.test())) {
            for (float[] v : firstValues(part)) {
                // Standardised: class a below the mean, class b above it.
                assertTrue(v[1] == 0 ? v[0] < 0 : v[0] > 0, "label " + v[1] + " value " + v[0]);
                assertEquals(1, v[2]);
            }
        }
        // RGB input: three planes.
        Datasets.Splits rgb = load(data(dir, List.of()), SampleShape.of(3, 6, 8), 2);
        assertEquals(3, firstValues(rgb.train()).get(0)[2]);
    }

    @Test
    void trainAndTestFoldersAreUsedAsTheyAreAndResizeMakesEveryImageFit() throws Exception {
        folder(tmp.resolve("train"), 6);
        folder(tmp.resolve("test"), 2);
        image(tmp.resolve("test/b/big.jpg"), 16, 12, 0xe0e0e0);
        Datasets.Splits s = load(data(tmp, List.of(6, 8)), SampleShape.of(1, 6, 8), 2);
        assertEquals(List.of(9, 3, 5), List.of(s.trainSize(), s.validationSize(), s.testSize()));
        List<float[]> test = firstValues(s.test());
        assertEquals(5, test.size());
        test.forEach(v -> assertTrue(v[1] == 0 ? v[0] < 0 : v[0] > 0));
        // Without resize, the image of another size is named.
        String err = assertThrows(InputException.class, () -> load(data(tmp, List.of()), SampleShape.of(1, 6, 8), 2)).getMessage();
        assertTrue(err.contains(tmp.resolve("test/b/big.jpg") + " is 16x12, but the spec's input is 8x6; set data.resize: [6, 8]"), err);
        String mismatch = assertThrows(InputException.class, () -> load(data(tmp, List.of(12, 16)), SampleShape.of(1, 6, 8), 2)).getMessage();
        assertTrue(mismatch.contains("data.resize [12, 16] does not match the spec's input [1, 6, 8]"), mismatch);
    }

    @Test
    void badFoldersAreRefusedNamingWhatIsWrong() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        Path loose = tmp.resolve("loose");
        image(loose.resolve("x.png"), 8, 6, 0);
        Path hollow = folder(tmp.resolve("hollow"), 2);
        Files.createDirectories(hollow.resolve("c"));
        Files.writeString(hollow.resolve("c/readme.txt"), "not an image");
        Path corrupt = folder(tmp.resolve("corrupt"), 2);
        Files.write(corrupt.resolve("b/002-b.png"), new byte[] {1, 2, 3, 4});
        Path extra = tmp.resolve("extra");
        folder(extra.resolve("train"), 2);
        folder(extra.resolve("test"), 1);
        image(extra.resolve("test/zebra/z.png"), 8, 6, 0);
        Path many = folder(tmp.resolve("many"), 2);
        image(many.resolve("c/c.png"), 8, 6, 0);
        List<Object[]> cases = List.of(
                new Object[] {tmp.resolve("empty"), 2, "has no class folders"},
                new Object[] {loose, 2, "has no class folders (1 images lie in it directly)"},
                new Object[] {hollow, 3, "class folder " + hollow.resolve("c") + " has no PNG or JPEG images"},
                new Object[] {corrupt, 2, corrupt.resolve("b/002-b.png") + ": not a PNG or JPEG image"},
                new Object[] {extra, 3, extra.resolve("test/zebra") + " is a class the training images"},
                new Object[] {many, 2, "has 3 class folders but the model tells apart 2 classes"},
                new Object[] {tmp.resolve("absent"), 2, "does not exist"});
        for (Object[] c : cases) {
            String err = assertThrows(InputException.class, () -> load(data((Path) c[0], List.of()), SampleShape.of(1, 6, 8), (int) c[1]),
                    c[0].toString()).getMessage();
            assertTrue(err.contains((String) c[2]), err);
        }
        String rank = assertThrows(InputException.class, () -> load(data(folder(tmp.resolve("r"), 2), List.of()), SampleShape.of(48), 2))
                .getMessage();
        assertTrue(rank.contains("needs the spec's input to be [1, H, W] (grey) or [3, H, W] (RGB), got [48]"), rank);
    }
}

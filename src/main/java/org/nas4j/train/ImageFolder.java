package org.nas4j.train;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.BatchSampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.nas4j.space.InputException;
import org.nas4j.space.IoReason;
import org.nas4j.spec.SampleShape;
import org.nas4j.spec.Spec;

/**
 * A folder of images, one sub-folder per class (the classes in name order), or train/ and test/
 * sub-folders each laid out so. Images are ordered by file name (then class), which is the order
 * {@code limit} takes them in and the one the validation split picks from; without test/, a seeded
 * {@link Datasets#CSV_TEST_FRACTION} of them is the test data. Every image's header is read
 * before training (its size, that it is an image at all); the pixels are read batch by batch.
 */
final class ImageFolder {
    /** The file name endings read as images. */
    static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");
    /** The most training images decoded to measure the mean and standard deviation (spread evenly: enough to know both to a few parts in a thousand). */
    static final int STATS_SAMPLE = 2_000;

    private ImageFolder() {
    }

    /** A folder's images by class: the class names, and the images in order. */
    private record Listing(List<String> classes, List<ImageFiles.Item> items) {
    }

    /** See {@link Datasets#load}. */
    static Datasets.Splits load(Spec.DataSpec data, SampleShape input, int classes, double fraction, long seed, NDManager manager)
            throws InputException {
        Path dir = Datasets.path(data);
        if (input.rank() != 3 || (input.dim(0) != 1 && input.dim(0) != 3)) {
            throw new InputException("dataset image-folder needs the spec's input to be [1, H, W] (grey) or [3, H, W] (RGB), got " + input);
        }
        int c = input.dim(0);
        int h = input.dim(1);
        int w = input.dim(2);
        List<Integer> resize = data.resize();
        if (!resize.isEmpty() && !resize.equals(List.of(h, w))) {
            throw new InputException("data.resize " + resize + " does not match the spec's input " + input + " (it should be [" + h + ", "
                    + w + "])");
        }
        boolean split = Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("test"));
        Listing train = list(split ? dir.resolve("train") : dir, null);
        Listing test = split ? list(dir.resolve("test"), train.classes()) : null;
        if (train.classes().size() > classes) {
            throw new InputException("dataset image-folder: " + dir + " has " + train.classes().size() + " class folders but the model tells"
                    + " apart " + classes + " class" + (classes == 1 ? "" : "es"));
        }
        List<ImageFiles.Item> all = train.items();
        List<ImageFiles.Item> testItems;
        List<ImageFiles.Item> rest;
        if (split) {
            testItems = test.items();
            rest = all;
        } else {
            if (all.size() < 2) {
                throw new InputException("dataset image-folder: " + dir + " has 1 image; training and test data need at least 2");
            }
            int[][] parts = Datasets.holdOut(all.size(), Datasets.CSV_TEST_FRACTION, Datasets.mix(seed, 6));
            rest = pick(all, parts[0]);
            testItems = pick(all, parts[1]);
        }
        if (data.limit() != null && data.limit() < rest.size()) {
            rest = rest.subList(0, data.limit());
        }
        if (fraction > 0 && rest.size() < 2) {
            throw new InputException("dataset image-folder: " + rest.size() + " training image cannot be split into training and validation data");
        }
        checkHeaders(rest, testItems, resize.isEmpty() ? h : -1, w);
        int[][] v = Datasets.holdOut(rest.size(), fraction, Datasets.mix(seed, 4));
        List<ImageFiles.Item> trainItems = pick(rest, v[0]);
        List<ImageFiles.Item> validationItems = pick(rest, v[1]);
        Normalization norm = stats(trainItems, c, h, w).resolve(data.normalize(), "image-folder");
        ShuffleSampler shuffle = new ShuffleSampler(Datasets.mix(seed, 5));
        ImageFiles trainSet = new ImageFiles.Builder().items(trainItems).shape(c, h, w).standardise(norm)
                .setSampling(new BatchSampler(shuffle, data.batchSize(), false)).build();
        ImageFiles validationSet = new ImageFiles.Builder().items(validationItems).shape(c, h, w).standardise(norm)
                .setSampling(data.batchSize(), false).build();
        ImageFiles testSet = new ImageFiles.Builder().items(testItems).shape(c, h, w).standardise(norm)
                .setSampling(data.batchSize(), false).build();
        return new Datasets.Splits(trainSet, validationSet, testSet, trainItems.size(), validationItems.size(), testItems.size(),
                data.normalize() != null && data.normalize().auto() ? "normalize auto: " + norm.describe() : null, norm, shuffle);
    }

    private static List<ImageFiles.Item> pick(List<ImageFiles.Item> items, int[] rows) {
        List<ImageFiles.Item> out = new ArrayList<>(rows.length);
        for (int r : rows) {
            out.add(items.get(r));
        }
        return out;
    }

    /**
     * The class folders of {@code dir} and their images; {@code known}, when given, are the
     * training classes a test folder's classes must be among.
     */
    private static Listing list(Path dir, List<String> known) throws InputException {
        if (!Files.isDirectory(dir)) {
            throw new InputException("dataset image-folder not found: " + dir + (Files.exists(dir) ? " is not a directory" : " does not exist"));
        }
        List<Path> folders = new ArrayList<>();
        List<Path> loose = new ArrayList<>();
        for (Path p : children(dir)) {
            if (Files.isDirectory(p)) {
                folders.add(p);
            } else if (image(p)) {
                loose.add(p);
            }
        }
        if (folders.isEmpty()) {
            throw new InputException("dataset image-folder: " + dir + " has no class folders" + (loose.isEmpty() ? "" : " (" + loose.size()
                    + " images lie in it directly)") + "; put each class's images in a folder named after the class");
        }
        List<String> classes = known != null ? known : folders.stream().map(p -> p.getFileName().toString()).toList();
        List<ImageFiles.Item> items = new ArrayList<>();
        for (Path folder : folders) {
            String name = folder.getFileName().toString();
            int label = classes.indexOf(name);
            if (label < 0) {
                throw new InputException("dataset image-folder: " + folder + " is a class the training images (" + dir.getParent().resolve("train")
                        + ") do not have");
            }
            int before = items.size();
            for (Path p : children(folder)) {
                if (Files.isRegularFile(p) && image(p)) {
                    items.add(new ImageFiles.Item(p, label));
                }
            }
            if (items.size() == before) {
                throw new InputException("dataset image-folder: class folder " + folder + " has no PNG or JPEG images");
            }
        }
        items.sort(Comparator.comparing((ImageFiles.Item i) -> i.file().getFileName().toString()).thenComparingInt(ImageFiles.Item::label));
        return new Listing(classes, items);
    }

    private static List<Path> children(Path dir) throws InputException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new InputException("cannot read " + dir + ": " + IoReason.of(e));
        }
    }

    private static boolean image(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /**
     * Reads every image's header: a file that is no image stops here, named; with {@code height}
     * above 0, so does the first image of another size than the input's.
     */
    private static void checkHeaders(List<ImageFiles.Item> train, List<ImageFiles.Item> test, int height, int width) throws InputException {
        for (List<ImageFiles.Item> part : List.of(train, test)) {
            for (ImageFiles.Item item : part) {
                int[] size = size(item.file());
                if (height > 0 && (size[0] != width || size[1] != height)) {
                    throw new InputException(String.format(Locale.ROOT, "dataset image-folder: %s is %dx%d, but the spec's input is %dx%d;"
                            + " set data.resize: [%d, %d] to resize every image", item.file(), size[0], size[1], width, height, height, width));
                }
            }
        }
    }

    /** Width and height from the file's header. */
    private static int[] size(Path file) throws InputException {
        try {
            ImageFiles.Decoded d = ImageFiles.read(file, true);
            return new int[] {d.width(), d.height()};
        } catch (IOException e) {
            throw new InputException("dataset image-folder: " + e.getMessage());
        }
    }

    /** Per channel, the sums of the values of up to {@link #STATS_SAMPLE} training images, spread evenly. */
    private static Normalization.Stats stats(List<ImageFiles.Item> items, int c, int h, int w) throws InputException {
        int step = Math.max(1, items.size() / STATS_SAMPLE);
        Normalization.Stats stats = new Normalization.Stats(c);
        int plane = h * w;
        for (int i = 0; i < items.size(); i += step) {
            float[] pixels;
            try {
                pixels = ImageFiles.pixels(items.get(i).file(), c, h, w);
            } catch (IOException e) {
                throw new InputException("dataset image-folder: " + e.getMessage());
            }
            for (int k = 0; k < pixels.length; k++) {
                stats.add(k / plane, pixels[k]);
            }
        }
        return stats;
    }
}

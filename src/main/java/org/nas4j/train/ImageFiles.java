package org.nas4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Image files as a dataset, decoded when a batch asks for them (never all in memory): each to
 * {@code channels} x height x width floats in [0, 1] (grey by luminance, or RGB; resized when
 * its size differs), then standardised with one mean and standard deviation.
 */
final class ImageFiles extends RandomAccessDataset {
    /** One image and its class. */
    record Item(Path file, int label) {
    }

    private final List<Item> items;
    private final int channels;
    private final int height;
    private final int width;
    private final float mean;
    private final float std;

    private ImageFiles(Builder b) {
        super(b);
        this.items = b.items;
        this.channels = b.channels;
        this.height = b.height;
        this.width = b.width;
        this.mean = b.mean;
        this.std = b.std;
    }

    @Override
    public Record get(NDManager manager, long index) throws IOException {
        Item item = items.get(Math.toIntExact(index));
        float[] pixels = pixels(item.file(), channels, height, width);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (pixels[i] - mean) / std;
        }
        NDArray x = manager.create(pixels, new Shape(channels, height, width));
        return new Record(new NDList(x), new NDList(manager.create((float) item.label())));
    }

    @Override
    protected long availableSize() {
        return items.size();
    }

    @Override
    public void prepare(Progress progress) {
        // Nothing to prepare: files are read as batches ask for them.
    }

    /**
     * The pixels of an image file as {@code channels} planes of height x width values in [0, 1],
     * resized (bilinear) when its size differs.
     *
     * @throws IOException naming the file when it cannot be read or is not a PNG or JPEG image
     */
    static float[] pixels(Path file, int channels, int height, int width) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": not a readable PNG or JPEG image (" + e.getMessage() + ")", e);
        }
        if (image == null) {
            throw new IOException(file + ": not a PNG or JPEG image");
        }
        if (image.getWidth() != width || image.getHeight() != height) {
            BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = scaled.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
            g.dispose();
            image = scaled;
        }
        float[] out = new float[channels * height * width];
        int plane = height * width;
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            // Grey images are read straight from their raster: no colour conversion to undo.
            var raster = image.getRaster();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float v = raster.getSample(x, y, 0) / 255f;
                    for (int c = 0; c < channels; c++) {
                        out[c * plane + y * width + x] = v;
                    }
                }
            }
            return out;
        }
        int[] rgb = image.getRGB(0, 0, width, height, null, 0, width);
        for (int i = 0; i < plane; i++) {
            int r = (rgb[i] >> 16) & 0xff;
            int g = (rgb[i] >> 8) & 0xff;
            int b = rgb[i] & 0xff;
            if (channels == 1) {
                out[i] = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
            } else {
                out[i] = r / 255f;
                out[plane + i] = g / 255f;
                out[2 * plane + i] = b / 255f;
            }
        }
        return out;
    }

    /** Builds an {@link ImageFiles}. */
    static final class Builder extends BaseBuilder<Builder> {
        private List<Item> items;
        private int channels;
        private int height;
        private int width;
        private float mean;
        private float std = 1;

        /** The images, in the order of their indices. */
        Builder items(List<Item> list) {
            this.items = List.copyOf(list);
            return this;
        }

        /** The shape every image becomes. */
        Builder shape(int c, int h, int w) {
            this.channels = c;
            this.height = h;
            this.width = w;
            return this;
        }

        /** The standardisation: (x - mean) / std. */
        Builder standardise(float m, float s) {
            this.mean = m;
            this.std = s;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        ImageFiles build() {
            return new ImageFiles(this);
        }
    }
}

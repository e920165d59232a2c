package org.nas4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.translate.Batchifier;
import ai.djl.util.Progress;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Image files as a dataset, decoded when a batch asks for them (never all in memory): each to
 * {@code channels} x height x width floats in [0, 1] (grey by luminance, or RGB; resized when
 * its size differs), then standardised ({@link Normalization}).
 */
final class ImageFiles extends RandomAccessDataset {
    /** One image and its class. */
    record Item(Path file, int label) {
    }

    /** Batches decoded ahead of the one training uses. */
    static final int PREFETCH = 2;

    private final List<Item> items;
    private final int channels;
    private final int height;
    private final int width;
    private final Normalization norm;

    private ImageFiles(Builder b) {
        super(b);
        this.items = b.items;
        this.channels = b.channels;
        this.height = b.height;
        this.width = b.width;
        this.norm = b.norm;
    }

    @Override
    public Record get(NDManager manager, long index) throws IOException {
        Item item = items.get(Math.toIntExact(index));
        float[] pixels = pixels(item.file(), channels, height, width);
        standardise(pixels, pixels, 0);
        NDArray x = manager.create(pixels, new Shape(channels, height, width));
        return new Record(new NDList(x), new NDList(manager.create((float) item.label())));
    }

    /**
     * The batches in the sampler's order, each decoded into one array (not image by image and
     * then stacked), {@link #PREFETCH} batches ahead on a thread of their own while the model
     * trains. An image that cannot be read ends the pass with an {@link UnreadableImage} naming it.
     */
    @Override
    public Iterable<Batch> getData(NDManager manager) {
        return () -> new Iterator<>() {
            private final Iterator<List<Long>> batches = sampler.sample(ImageFiles.this);
            private final ArrayDeque<Future<Batch>> ahead = new ArrayDeque<>();
            private long done;

            @Override
            public boolean hasNext() {
                fill();
                return !ahead.isEmpty();
            }

            @Override
            public Batch next() {
                fill();
                if (ahead.isEmpty()) {
                    throw new java.util.NoSuchElementException();
                }
                try {
                    return ahead.poll().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    ahead.forEach(f -> f.cancel(false));
                    throw e.getCause() instanceof UnreadableImage u ? u : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading images", e);
                }
            }

            private void fill() {
                while (ahead.size() < PREFETCH && batches.hasNext()) {
                    List<Long> indices = batches.next();
                    long progress = done += indices.size();
                    ahead.add(LOADER.submit(() -> batch(manager, indices, progress)));
                }
            }
        };
    }

    /** Writes {@code pixels}, standardised channel by channel, into {@code out} from {@code at}. */
    private void standardise(float[] pixels, float[] out, int at) {
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            float m = norm.mean(c);
            float s = norm.std(c);
            for (int k = c * plane; k < (c + 1) * plane; k++) {
                out[at + k] = (pixels[k] - m) / s;
            }
        }
    }

    /** One batch of images, decoded and standardised into one array. */
    private Batch batch(NDManager manager, List<Long> indices, long progress) {
        int n = indices.size();
        int sample = channels * height * width;
        float[] x = new float[n * sample];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            Item item = items.get(Math.toIntExact(indices.get(i)));
            float[] pixels;
            try {
                pixels = pixels(item.file(), channels, height, width);
            } catch (IOException e) {
                throw new UnreadableImage(e);
            }
            standardise(pixels, x, i * sample);
            y[i] = item.label();
        }
        NDManager batchManager = manager.newSubManager();
        NDList data = new NDList(batchManager.create(x, new Shape(n, channels, height, width)));
        NDList labels = new NDList(batchManager.create(y));
        return new Batch(batchManager, data, labels, n, Batchifier.STACK, Batchifier.STACK, progress, items.size());
    }

    /** An image file that could not be read in the middle of training; its cause names the file. */
    public static final class UnreadableImage extends java.io.UncheckedIOException {
        private static final long serialVersionUID = 1L;

        UnreadableImage(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The thread that decodes images ahead of training; a daemon, so it never keeps a finished command alive. */
    private static final ExecutorService LOADER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nas4j-image-loader");
        t.setDaemon(true);
        return t;
    });

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
        BufferedImage image = read(file, false).image();
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
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY
                && image.getRaster().getDataBuffer() instanceof java.awt.image.DataBufferByte bytes
                && bytes.getData().length == plane) {
            // Grey images are read straight from their bytes: no colour conversion to undo.
            byte[] grey = bytes.getData();
            for (int i = 0; i < plane; i++) {
                float v = (grey[i] & 0xff) / 255f;
                for (int c = 0; c < channels; c++) {
                    out[c * plane + i] = v;
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

    /** What {@link #read} found: the image (null when only the header was read), its width and height. */
    record Decoded(BufferedImage image, int width, int height) {
    }

    /** Per thread, a reader per format: finding one through ImageIO's registry for each file costs more than decoding it. */
    private static final ThreadLocal<java.util.Map<String, ImageReader>> READERS = ThreadLocal.withInitial(java.util.HashMap::new);

    /**
     * Reads an image file's header, and its pixels unless {@code headerOnly}, with the reader its
     * name's ending suggests (PNG or JPEG), else any reader ImageIO has for its bytes.
     *
     * @throws IOException naming the file when it is not an image that can be read
     */
    static Decoded read(Path file, boolean headerOnly) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        String format = name.endsWith(".png") ? "png" : "jpeg";
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new IOException(file + ": cannot be opened");
            }
            ImageReader reader = READERS.get().computeIfAbsent(format, f -> ImageIO.getImageReadersByFormatName(f).next());
            if (!decodes(reader, in)) {
                // Named like one format, holding another (or nothing an image reader knows).
                java.util.Iterator<ImageReader> any = ImageIO.getImageReaders(in);
                if (!any.hasNext()) {
                    throw new IOException(file + ": not a PNG or JPEG image");
                }
                reader = any.next();
            }
            try {
                reader.setInput(in, true, true);
                return new Decoded(headerOnly ? null : reader.read(0), reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.setInput(null);
            }
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IOException(why.startsWith(file.toString()) ? why : file + ": not a readable PNG or JPEG image (" + why + ")", e);
        }
    }

    /** Whether the reader knows the stream's first bytes (a file too short to tell is not an image). */
    private static boolean decodes(ImageReader reader, ImageInputStream in) {
        try {
            return reader.getOriginatingProvider().canDecodeInput(in);
        } catch (IOException e) {
            return false;
        }
    }

    /** Builds an {@link ImageFiles}. */
    static final class Builder extends BaseBuilder<Builder> {
        private List<Item> items;
        private int channels;
        private int height;
        private int width;
        private Normalization norm = new Normalization(new float[] {0}, new float[] {1});

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

        /** The standardisation. */
        Builder standardise(Normalization n) {
            this.norm = n;
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

package org.nas4j.train;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.nas4j.space.InputException;

/**
 * Reads the IDX files of MNIST and its kin: unsigned-byte images (magic 0x00000803) and labels (magic
 * 0x00000801), gzipped or not (told by the gzip magic bytes, not by the file name).
 */
public final class IdxReader {
    /** The magic number of an IDX file of unsigned-byte images: count x rows x columns. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** The magic number of an IDX file of unsigned-byte labels: count. */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int UBYTE = 0x08;
    private static final long MAX_BYTES = Integer.MAX_VALUE - 64;

    private IdxReader() {
    }

    /**
     * The images of one IDX file, row by row, one image after another.
     *
     * @param file   the file they were read from
     * @param count  the number of images
     * @param rows   the height of one image
     * @param cols   the width of one image
     * @param pixels {@code count * rows * cols} unsigned bytes
     */
    public record Images(Path file, int count, int rows, int cols, byte[] pixels) {
    }

    /**
     * The labels of one IDX file.
     *
     * @param file   the file they were read from
     * @param count  the number of labels
     * @param labels {@code count} unsigned bytes
     */
    public record Labels(Path file, int count, byte[] labels) {
        /** The largest label (0 to 255). */
        public int max() {
            int max = 0;
            for (byte b : labels) {
                max = Math.max(max, b & 0xff);
            }
            return max;
        }
    }

    /** Reads an IDX file of unsigned-byte images (count x rows x columns), gzipped or not. */
    public static Images readImages(Path file) throws InputException {
        Raw raw = read(file, IMAGES_MAGIC, "images");
        return new Images(file, raw.dims[0], raw.dims[1], raw.dims[2], raw.data);
    }

    /** Reads an IDX file of unsigned-byte labels, gzipped or not. */
    public static Labels readLabels(Path file) throws InputException {
        Raw raw = read(file, LABELS_MAGIC, "labels");
        return new Labels(file, raw.dims[0], raw.data);
    }

    /** Checks that the images and the labels are as many. */
    public static void checkSameCount(Images images, Labels labels) throws InputException {
        if (images.count() != labels.count()) {
            throw new InputException(String.format(Locale.ROOT, "%s holds %,d images but %s holds %,d labels; they must"
                    + " be as many", images.file(), images.count(), labels.file(), labels.count()));
        }
    }

    /** Whether the file starts with the gzip magic bytes 1f 8b. */
    public static boolean isGzip(Path file) throws InputException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    private record Raw(int[] dims, byte[] data) {
    }

    private static Raw read(Path file, int magic, String what) throws InputException {
        boolean gzip = isGzip(file);
        try (InputStream in = open(file, gzip)) {
            byte[] head = in.readNBytes(4);
            if (head.length < 4) {
                throw new InputException(file + " is too short to be an IDX file of " + what + " ("
                        + head.length + " bytes" + (gzip ? " after gunzip" : "") + ")");
            }
            int found = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
            if (found != magic) {
                throw new InputException(badMagic(file, found, magic, what));
            }
            int rank = magic & 0xff;
            byte[] dimBytes = in.readNBytes(4 * rank);
            if (dimBytes.length < 4 * rank) {
                throw new InputException(file + " is truncated: it ends inside its header");
            }
            int[] dims = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                long d = ((dimBytes[4 * i] & 0xffL) << 24) | ((dimBytes[4 * i + 1] & 0xff) << 16)
                        | ((dimBytes[4 * i + 2] & 0xff) << 8) | (dimBytes[4 * i + 3] & 0xff);
                if (d == 0 || d > Integer.MAX_VALUE) {
                    throw new InputException(file + " is not a usable IDX file of " + what + ": its header gives "
                            + (i == 0 ? "a count" : "a size") + " of " + d);
                }
                dims[i] = (int) d;
                total *= d;
                if (total > MAX_BYTES) {
                    throw new InputException(file + " announces more than 2 GB of " + what + "; nas4j reads IDX files"
                            + " up to 2 GB");
                }
            }
            byte[] data = in.readNBytes((int) total);
            if (data.length < total) {
                throw new InputException(String.format(Locale.ROOT, "%s is truncated: its header announces %s"
                        + " (%,d bytes) but only %,d bytes follow", file, describe(dims, what), total, data.length));
            }
            if (in.read() != -1) {
                throw new InputException(file + " has more bytes than the " + describe(dims, what)
                        + " its header announces; is it damaged?");
            }
            return new Raw(dims, data);
        } catch (EOFException e) {
            throw new InputException(file + " is truncated: the gzip data ends early");
        } catch (ZipException e) {
            throw new InputException(file + " is not valid gzip data (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
    }

    private static InputStream open(Path file, boolean gzip) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return gzip ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static String describe(int[] dims, String what) {
        if (dims.length == 3) {
            return String.format(Locale.ROOT, "%,d images of %dx%d", dims[0], dims[1], dims[2]);
        }
        return String.format(Locale.ROOT, "%,d %s", dims[0], what);
    }

    private static String badMagic(Path file, int found, int expected, String what) {
        String hex = String.format(Locale.ROOT, "0x%08X", found);
        String want = String.format(Locale.ROOT, "0x%08X", expected);
        if (found == IMAGES_MAGIC || found == LABELS_MAGIC) {
            return file + " holds " + (found == IMAGES_MAGIC ? "images" : "labels") + ", not " + what
                    + " (magic number " + hex + "); are the file names swapped?";
        }
        if ((found >>> 16) == 0 && (found & 0xff) != 0 && ((found >> 8) & 0xff) != UBYTE) {
            return file + " is an IDX file of type " + String.format(Locale.ROOT, "0x%02X", (found >> 8) & 0xff)
                    + "; nas4j reads unsigned bytes (type 0x08) only (magic " + hex + ", expected " + want + ")";
        }
        return file + " is not an IDX file of " + what + ": its magic number is " + hex + ", expected " + want;
    }

    private static InputException cannotRead(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new InputException(file + " does not exist");
        }
        if (e instanceof AccessDeniedException) {
            return new InputException(file + " cannot be read: permission denied");
        }
        return new InputException("cannot read " + file + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    }
}

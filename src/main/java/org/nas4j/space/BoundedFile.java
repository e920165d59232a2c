package org.nas4j.space;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a file the user named, refusing what is not a plain file of a sensible size. The size is
 * found by reading, never by trusting the file system: {@code /dev/zero} reports size 0 and never
 * ends, a FIFO blocks until someone writes, and {@code /proc} files report 0 but hold text.
 */
public final class BoundedFile {
    private static final long MIB = 1L << 20;
    private static final long KIB = 1L << 10;

    private BoundedFile() {
    }

    /**
     * The bytes of {@code path}, which may hold at most {@code limit} (at least 0) of them. {@code what} names
     * what the file should be, with its article ("a spec", "an architecture file"), for messages. Every failure is an IOException whose message is one line, {@code FILE: reason}:
     * a {@link NoSuchFileException} when it does not exist, a {@link FileSystemException} when it
     * is a directory, not a regular file (a device, a FIFO, a socket), larger than the limit, or
     * unreadable.
     */
    public static byte[] read(Path path, long limit, String what) throws IOException {
        String file = path.toString();
        // Checked before opening: opening a FIFO blocks until a writer comes, perhaps forever.
        if (Files.isDirectory(path)) {
            throw new FileSystemException(file, null, "is a directory, not " + what);
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(file, null, "no such file");
        }
        if (!Files.isRegularFile(path)) {
            throw new FileSystemException(file, null, "not a regular file; " + what + " must be one");
        }
        byte[] bytes;
        boolean more;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
            more = in.read() >= 0;
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file, null, "no such file");
        } catch (AccessDeniedException e) {
            throw new FileSystemException(file, null, "permission denied");
        } catch (FileSystemException e) {
            throw new FileSystemException(file, null, "cannot read it: " + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()));
        } catch (IOException e) {
            throw new FileSystemException(file, null, "cannot read it: " + e.getMessage());
        }
        if (more) {
            throw new FileSystemException(file, null, "larger than " + size(limit) + "; is it " + what + "?");
        }
        return bytes;
    }

    /** A limit as people write it: "16 MiB", "64 KiB" or "100 bytes". */
    static String size(long bytes) {
        if (bytes >= MIB && bytes % MIB == 0) {
            return bytes / MIB + " MiB";
        }
        if (bytes >= KIB && bytes % KIB == 0) {
            return bytes / KIB + " KiB";
        }
        return String.format(Locale.ROOT, "%,d bytes", bytes);
    }
}

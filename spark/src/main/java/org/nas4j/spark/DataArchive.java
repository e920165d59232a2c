package org.nas4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A dataset's file or folder packed as one zip archive for Spark's archive distribution (Spark
 * ships a local folder only in local mode; an archive it ships to every executor and unpacks
 * there). Entries keep the source's own name as their first part, so the archive unpacks to a
 * folder holding a copy of the source under that name.
 */
final class DataArchive {
    private DataArchive() {
    }

    /** Writes {@code source} (a file, or a folder with everything under it) into the zip file {@code zip}. */
    static void write(Path source, Path zip) throws IOException {
        Path base = source.getParent();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            // Datasets are often compressed already (gzip'd IDX, PNG): the fastest level loses little.
            out.setLevel(Deflater.BEST_SPEED);
            for (Path f : files) {
                out.putNextEntry(new ZipEntry(base.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }
}

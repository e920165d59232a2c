package org.nas4j.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.nas4j.space.InputException;
import org.nas4j.spec.Spec;
import org.nas4j.train.Datasets;

/**
 * The data a search's cluster tasks receive through the cluster's own file distribution
 * ({@code nas search --cluster-files}) rather than from a path every host reads: the file or
 * folder the spec's dataset is read from, up to {@link #MAX_BYTES}. Each task hands its local
 * copy to the trial's worker in the environment variable {@link #ENV}; the worker reads the same
 * data from there ({@link #readingCopy}).
 */
public record ShippedData(Path source, long bytes) {
    /** The most data shipped: each task's host keeps a copy, and the driver sends it to every executor. */
    public static final long MAX_BYTES = 1L << 30;
    /** The environment variable naming a worker's local copy of the shipped data. */
    public static final String ENV = "NAS4J_DATA_COPY";

    /** The data {@code data} is read from, checked to be there and under the limit. */
    public static ShippedData of(Spec.DataSpec data) throws InputException {
        return of(data, MAX_BYTES);
    }

    /** The same, with a limit of {@code maxBytes}. */
    static ShippedData of(Spec.DataSpec data, long maxBytes) throws InputException {
        Datasets.locate(data);
        Path source = Datasets.source(data);
        if (source == null) {
            throw new InputException("--cluster-files ships the files a dataset is read from; dataset " + data.dataset()
                    + " reads no files: leave --cluster-files out");
        }
        long bytes = size(source);
        if (bytes > maxBytes) {
            throw new InputException(String.format(Locale.ROOT, "--cluster-files: %s holds %,d MB, more than the %,d MB it ships to each"
                    + " task's host; put the data on a path every host of the cluster reads instead (docs/cluster.md)", source,
                    bytes >> 20, maxBytes >> 20));
        }
        return new ShippedData(source.toAbsolutePath().normalize(), bytes);
    }

    /** The spec a worker trains with: its data read from the copy that {@code environment}'s {@link #ENV} names, if any. */
    public static Spec readingCopy(Spec spec, Map<String, String> environment) {
        String copy = environment.get(ENV);
        return copy == null || copy.isBlank() ? spec : spec.withData(Datasets.readFrom(spec.data(), Path.of(copy)));
    }

    private static long size(Path source) throws InputException {
        try (Stream<Path> files = Files.walk(source)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            throw new InputException("--cluster-files: cannot read " + source + ": " + e.getMessage());
        }
    }
}

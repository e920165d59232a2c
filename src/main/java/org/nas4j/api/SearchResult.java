package org.nas4j.api;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.nas4j.search.RunDirectory;
import org.nas4j.space.InputException;

/** The trials of a multi-trial run, in the order they finished, and the best of them. */
public final class SearchResult {
    private final List<Trial> trials;

    private SearchResult(List<Trial> trials) {
        this.trials = List.copyOf(trials);
    }

    static SearchResult of(List<org.nas4j.search.Trial> finished) {
        return new SearchResult(finished.stream()
                .map(t -> new Trial(t.id(), t.architecture().asMap(), t.status(), t.score(), t.metrics())).toList());
    }

    /** Reads the trials of a run directory that {@code nas search} or {@link Search} wrote (without locking it: it may be running). */
    public static SearchResult read(Path dir) throws NasException {
        try (RunDirectory run = RunDirectory.read(dir)) {
            return of(run.trials());
        } catch (InputException e) {
            throw new NasException(e.getMessage());
        }
    }

    /** Every finished trial, failed ones included. */
    public List<Trial> trials() {
        return trials;
    }

    /** The trial with the highest score (the first of equals), if any trial gave one. */
    public Optional<Trial> best() {
        return trials.stream().filter(Trial::ok).max(Comparator.comparingDouble(Trial::score).thenComparing(t -> -t.id()));
    }
}

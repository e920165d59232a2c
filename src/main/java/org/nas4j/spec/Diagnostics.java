package org.nas4j.spec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects every error of a spec so that users see all of them at once, in file order. */
public final class Diagnostics {
    private final Set<SpecError> errors = new LinkedHashSet<>();

    /** Records an error; the same error at the same place is kept once. */
    public void error(Pos pos, String message) {
        errors.add(new SpecError(pos, message, null));
    }

    /** Records an error with a hint. */
    public void error(Pos pos, String message, String hint) {
        errors.add(new SpecError(pos, message, hint));
    }

    /** Whether any error was recorded. */
    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** The errors sorted by line and column. */
    public List<SpecError> errors() {
        List<SpecError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparing((SpecError e) -> e.pos().file())
                .thenComparingInt(e -> e.pos().line()).thenComparingInt(e -> e.pos().column()));
        return sorted;
    }
}

package org.nas4j.spec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects every error of a spec so that users see all of them at once, in file order. */
public final class Diagnostics {
    private final Set<SpecError> errors = new LinkedHashSet<>();
    /** The node being read ("node 'conv1'"), which every message recorded meanwhile names first. */
    private String node;

    /** Records an error; the same error at the same place is kept once. */
    public void error(Pos pos, String message) {
        error(pos, message, null);
    }

    /** Records an error with a hint. */
    public void error(Pos pos, String message, String hint) {
        errors.add(new SpecError(pos, node == null ? message : node + ": " + message, hint));
    }

    /**
     * Sets the node whose reading records the next errors (null: none) and returns the previous
     * one, to be restored after it. Readers set it once per node, so that every message names its
     * node without each check repeating it.
     */
    String inNode(String label) {
        String outer = node;
        node = label;
        return outer;
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

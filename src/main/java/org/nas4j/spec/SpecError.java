package org.nas4j.spec;

/** One problem found in a spec, at a position, with an optional hint on how to fix it. */
public record SpecError(Pos pos, String message, String hint) {

    /** The error as users see it: {@code FILE:LINE:COL: message (hint)}. */
    @Override
    public String toString() {
        return pos + ": " + message + (hint == null ? "" : " (" + hint + ")");
    }
}

package org.nas4j.api;

/**
 * One thing wrong with a spec, where it is: file, 1-based line and column, the message and, when
 * there is one, a hint of what to write instead.
 */
public record Problem(String file, int line, int column, String message, String hint) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message + (hint == null ? "" : " (" + hint + ")");
    }
}

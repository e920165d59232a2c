package org.nas4j.api;

/** Input nas4j cannot use (a spec, an architecture, a run directory, an option), with a message for people. */
public final class NasException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An exception with a message saying what is wrong and where. */
    public NasException(String message) {
        super(message);
    }
}

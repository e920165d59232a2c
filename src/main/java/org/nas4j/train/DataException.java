package org.nas4j.train;

/** Data that cannot be loaded: missing, damaged or not fitting the spec; the message says why, for users. */
public final class DataException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An exception with a message for users (no stack trace is kept or shown). */
    public DataException(String message) {
        super(message, null, false, false);
    }
}

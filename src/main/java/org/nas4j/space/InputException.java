package org.nas4j.space;

/**
 * Input a user can fix: a spec, an architecture file, a run directory, data, a table or an
 * option that does not fit. The message says where and what, for users; no stack trace is kept
 * or shown. The more specific kinds ({@link ArchitectureException}, the supernet's compile
 * errors) are InputExceptions too, so a command catches one type.
 */
public class InputException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An exception with a message for users. */
    public InputException(String message) {
        super(message, null, false, false);
    }
}

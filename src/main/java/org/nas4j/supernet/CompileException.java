package org.nas4j.supernet;

/** A spec or architecture that cannot be compiled in the mode asked for; the message says why, for users. */
public final class CompileException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An exception with a message for users. */
    public CompileException(String message) {
        super(message, null, false, false);
    }
}

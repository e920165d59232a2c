package org.nas4j.supernet;

import org.nas4j.space.InputException;

/** A spec or architecture that cannot be compiled in the mode asked for; the message says why, for users. */
public final class CompileException extends InputException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message for users. */
    public CompileException(String message) {
        super(message);
    }
}

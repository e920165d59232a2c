package org.nas4j.spec;

/** Raised by an op that cannot take the shapes or values it is given; the message says why. */
public final class ShapeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An exception with a message for users. */
    public ShapeException(String message) {
        super(message, null, false, false);
    }
}

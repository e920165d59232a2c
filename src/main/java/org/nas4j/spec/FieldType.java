package org.nas4j.spec;

/** The kinds of value an op field takes. */
public enum FieldType {
    /** A whole number. */
    INT,
    /** A real number. */
    FLOAT,
    /** true or false. */
    BOOL,
    /** A whole number or the word {@code same}. */
    INT_OR_SAME;

    /** Whether a value choice may range over this field. */
    public boolean numeric() {
        return this != BOOL;
    }
}

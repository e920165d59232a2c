package org.nas4j.spec;

/** A place in a spec file: file name, 1-based line and column. */
public record Pos(String file, int line, int column) {

    /** The start of a file, for errors that concern the file as a whole. */
    public static Pos start(String file) {
        return new Pos(file, 1, 1);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}

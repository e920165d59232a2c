package org.nas4j.report;

/** Escaping for text placed in SVG and HTML. */
final class Svg {
    private Svg() {
    }

    /** Text with the characters that mean something in XML escaped. */
    static String esc(Object text) {
        return String.valueOf(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

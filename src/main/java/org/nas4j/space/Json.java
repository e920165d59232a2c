package org.nas4j.space;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The project's one Gson configuration, and JSON errors worded for users. */
public final class Json {
    /** One object per line (journals, worker messages). */
    public static final Gson LINE = new GsonBuilder().disableHtmlEscaping().create();

    /** Indented, for files people read (run.json, architecture files). */
    public static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private Json() {
    }

    /**
     * A parser's complaint as one short line: Gson's message without its exception class name,
     * its "See https://..." troubleshooting link and its JSON path.
     */
    public static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() != null ? root.getMessage() : e.getMessage();
        if (m == null) {
            return "malformed JSON";
        }
        m = m.replaceAll("\\s*See https?://\\S+", "").replaceAll("^[\\w.]+(Exception|Error): ", "")
                .replaceAll(" path \\$\\S*", "").trim();
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline).trim();
    }
}

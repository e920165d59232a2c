package org.nas4j.space;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/** The project's one Gson configuration, and JSON errors worded for users. */
public final class Json {
    /** One object per line (journals, worker messages). */
    public static final Gson LINE = new GsonBuilder().disableHtmlEscaping().create();

    /** Indented, for files people read (run.json, architecture files). */
    public static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private Json() {
    }

    /**
     * Parses one JSON value strictly (Gson's own parser is lenient: it reads {@code garbage} as a
     * string); a JsonParseException when the text is not exactly one JSON value.
     */
    public static JsonElement parseStrict(String text) {
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            JsonElement e = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonSyntaxException("more than one JSON value");
            }
            return e;
        } catch (IOException e) {
            throw new JsonSyntaxException(e);
        }
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

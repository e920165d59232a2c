package org.nas4j.space;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses JSON text into Gson's tree, refusing a key written twice in one object (Gson's own
 * parser silently keeps the last one, so a hand-edited file could mean something else than it
 * reads). Syntax errors are one line with the line and column, in words rather than Gson's (whose
 * messages name its classes and a troubleshooting URL). Parsing is iterative: deep nesting cannot
 * overflow the stack.
 */
final class JsonText {
    /** Gson's position text: " at line L column C path P". */
    private static final Pattern AT = Pattern.compile("(.*?) at line (\\d+) column (\\d+)");

    /** JSON that cannot be read, with a one-line message ("line 2, column 5: ..."). */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private JsonText() {
    }

    /**
     * The one JSON value of {@code text}. Gson's lenient syntax is accepted (as its parser did
     * before: comments, unquoted names); numbers keep their exact text as BigDecimal.
     */
    static JsonElement parse(String text) throws Invalid {
        if (text.isBlank()) {
            throw new Invalid("the file is empty");
        }
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.LENIENT);
        try {
            JsonElement root = value(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new Invalid(where(reader) + "not valid JSON: more after the first value");
            }
            return root;
        } catch (IOException | NumberFormatException e) {
            throw new Invalid(describe(e, reader));
        }
    }

    /** Reads one value, containers included, keeping open containers on a stack instead of the call stack. */
    private static JsonElement value(JsonReader reader) throws IOException, Invalid {
        Deque<JsonElement> open = new ArrayDeque<>();
        Deque<Set<String>> keys = new ArrayDeque<>();
        Deque<String> names = new ArrayDeque<>();
        while (true) {
            JsonElement done;
            switch (reader.peek()) {
                case BEGIN_OBJECT -> {
                    reader.beginObject();
                    open.push(new JsonObject());
                    keys.push(new HashSet<>());
                    continue;
                }
                case BEGIN_ARRAY -> {
                    reader.beginArray();
                    open.push(new JsonArray());
                    continue;
                }
                case NAME -> {
                    String name = reader.nextName();
                    if (!keys.peek().add(name)) {
                        throw new Invalid(where(reader, name) + "the key '" + name + "' is written twice");
                    }
                    names.push(name);
                    continue;
                }
                case END_OBJECT -> {
                    reader.endObject();
                    keys.pop();
                    done = open.pop();
                }
                case END_ARRAY -> {
                    reader.endArray();
                    done = open.pop();
                }
                case STRING -> done = new JsonPrimitive(reader.nextString());
                case NUMBER -> done = new JsonPrimitive(new BigDecimal(reader.nextString()));
                case BOOLEAN -> done = new JsonPrimitive(reader.nextBoolean());
                case NULL -> {
                    reader.nextNull();
                    done = JsonNull.INSTANCE;
                }
                default -> throw new Invalid(where(reader) + "not valid JSON: the text ends early");
            }
            if (open.isEmpty()) {
                return done;
            }
            if (open.peek() instanceof JsonArray a) {
                a.add(done);
            } else {
                ((JsonObject) open.peek()).add(names.pop(), done);
            }
        }
    }

    /** "line L, column C: " where the reader stands. */
    private static String where(JsonReader reader) {
        Matcher m = AT.matcher(reader.toString());
        return m.find() ? "line " + m.group(2) + ", column " + m.group(3) + ": " : "";
    }

    /** "line L, column C: " of a name just read: its opening quote, when it was written plainly. */
    private static String where(JsonReader reader, String name) {
        Matcher m = AT.matcher(reader.toString());
        if (!m.find()) {
            return "";
        }
        int column = Math.max(1, Integer.parseInt(m.group(3)) - name.length() - 2);
        return "line " + m.group(2) + ", column " + column + ": ";
    }

    /** A Gson syntax error in our words: its reason and position, without class names or URLs. */
    private static String describe(Exception e, JsonReader reader) {
        if (e instanceof NumberFormatException) {
            return where(reader) + "not valid JSON: a number out of range";
        }
        String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        Matcher m = AT.matcher(first);
        if (!m.find()) {
            return where(reader) + "not valid JSON";
        }
        String reason = m.group(1).trim();
        // Gson suggests its own API for some errors; users need only know the text is wrong there.
        if (reason.contains("JsonReader") || reason.contains("Strictness") || reason.isEmpty()) {
            reason = "malformed JSON";
        }
        reason = Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
        return "line " + m.group(2) + ", column " + m.group(3) + ": not valid JSON: " + reason;
    }
}

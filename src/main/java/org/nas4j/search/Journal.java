package org.nas4j.search;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nas4j.space.Json;

/**
 * One journal of a run (trials.jsonl, proposals.jsonl, epochs.jsonl): one JSON object per line,
 * each with a whole-number id field, appended and forced to disk before the work goes on, so a
 * crash or kill -9 loses at most the line being written. Reading is strict: a line that cannot
 * be read (blank, not a JSON object, no id, an id already seen) is reported with its line number
 * and never dropped; only a torn last line (no newline, not parseable: a crash in the middle of
 * a write) is set aside, its bytes kept in FILE.torn.
 */
public final class Journal implements AutoCloseable {
    private final FileChannel channel;

    private Journal(FileChannel channel) {
        this.channel = channel;
    }

    /** A readable line: its number (from 1), its exact bytes (without the newline) and its object. */
    record Line(int number, byte[] bytes, JsonObject json) { }

    /** An unreadable line: its number, its exact bytes and what is wrong with it. */
    record Bad(int number, byte[] bytes, String problem) { }

    /**
     * What a journal holds: its readable lines in order, the unreadable ones, and a torn last
     * line (null when there is none). {@code unterminated} says the last readable line lacks its
     * newline (a crash between the line and its newline): the next append adds it first.
     */
    record Contents(Path file, List<Line> lines, List<Bad> bad, byte[] torn, boolean unterminated) {
        /** The objects of the readable lines. */
        List<JsonObject> entries() {
            return lines.stream().map(Line::json).toList();
        }

        /** FILE:LINE: problem for the first unreadable line, and how many more there are. */
        String firstProblem() {
            Bad b = bad.get(0);
            return file + ":" + b.number() + ": " + b.problem() + (bad.size() > 1 ? " (and " + (bad.size() - 1) + " more unreadable line"
                    + (bad.size() == 2 ? "" : "s") + ")" : "");
        }
    }

    /** Reads a journal ({@code idField} names each line's id: "id" or "epoch"); an absent file holds nothing. */
    static Contents read(Path file, String idField) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Contents(file, List.of(), List.of(), null, false);
        }
        List<Line> lines = new ArrayList<>();
        List<Bad> bad = new ArrayList<>();
        Map<Long, Integer> seen = new HashMap<>();
        byte[] torn = null;
        boolean unterminated = false;
        int start = 0;
        int number = 0;
        while (start < bytes.length) {
            number++;
            int end = indexOf(bytes, (byte) '\n', start);
            boolean last = end < 0;
            byte[] line = Arrays.copyOfRange(bytes, start, last ? bytes.length : end);
            start = last ? bytes.length : end + 1;
            String problem;
            JsonObject json = null;
            try {
                json = parse(line);
                problem = idProblem(json, idField, seen, number);
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
            if (problem == null) {
                lines.add(new Line(number, line, json));
                unterminated = last;
            } else if (last && json == null) {
                torn = line;
            } else {
                bad.add(new Bad(number, line, problem));
            }
        }
        return new Contents(file, List.copyOf(lines), List.copyOf(bad), torn, unterminated);
    }

    private static JsonObject parse(byte[] line) {
        String text = new String(line, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw new IllegalArgumentException("a blank line");
        }
        JsonElement e;
        try {
            e = Json.parseStrict(text);
        } catch (RuntimeException ex) {
            java.util.regex.Matcher at = java.util.regex.Pattern.compile("column (\\d+)").matcher(String.valueOf(ex.getMessage()));
            throw new IllegalArgumentException("not JSON" + (at.find() ? " (at column " + at.group(1) + ")" : ""));
        }
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return e.getAsJsonObject();
    }

    /** Null when the line's id is a whole number not seen before; else what is wrong. */
    private static String idProblem(JsonObject json, String idField, Map<Long, Integer> seen, int number) {
        JsonElement id = json.get(idField);
        if (id == null || !id.isJsonPrimitive() || !id.getAsJsonPrimitive().isNumber()) {
            return "no whole-number '" + idField + "'";
        }
        double v = id.getAsDouble();
        if (v != Math.rint(v) || v < 1 || v > Integer.MAX_VALUE) {
            return "'" + idField + "' " + id + " is not a whole number from 1 on";
        }
        Integer before = seen.putIfAbsent((long) v, number);
        return before == null ? null : idField + " " + (long) v + " is already on line " + before;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Opens a journal to append to, after {@link #read}: a torn last line is first copied to
     * FILE.torn (forced to disk) and then cut off; a last line without its newline gets one.
     * Nothing else in the file is touched.
     */
    static Journal append(Contents contents) throws IOException {
        Path file = contents.file();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            long size = channel.size();
            if (contents.torn() != null) {
                Path kept = file.resolveSibling(file.getFileName() + ".torn");
                try (FileChannel t = FileChannel.open(kept, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)) {
                    t.write(ByteBuffer.wrap(contents.torn()));
                    t.write(ByteBuffer.wrap(new byte[] {'\n'}));
                    t.force(true);
                }
                size -= contents.torn().length;
                channel.truncate(size);
            }
            channel.position(size);
            if (contents.unterminated()) {
                channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
                channel.force(false);
            }
            return new Journal(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Appends an entry as one line and forces it to disk. */
    public void append(JsonObject entry) throws IOException {
        ByteBuffer line = ByteBuffer.wrap((Json.LINE.toJson(entry) + "\n").getBytes(StandardCharsets.UTF_8));
        while (line.hasRemaining()) {
            channel.write(line);
        }
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

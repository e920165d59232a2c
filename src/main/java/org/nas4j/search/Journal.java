package org.nas4j.search;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * trials.jsonl: one JSON object per finished trial, appended and flushed to disk before the next
 * trial starts, so a crash or kill -9 loses at most the trial in flight. A torn last line (a
 * crash in the middle of a write) is detected when the journal is opened, and dropped.
 */
final class Journal implements AutoCloseable {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final FileChannel channel;
    private final List<JsonObject> entries;
    private final boolean droppedTornLine;

    private Journal(FileChannel channel, List<JsonObject> entries, boolean droppedTornLine) {
        this.channel = channel;
        this.entries = entries;
        this.droppedTornLine = droppedTornLine;
    }

    /** Opens (or creates) a journal, reading what it holds. */
    static Journal open(Path file) throws IOException {
        List<JsonObject> entries = new ArrayList<>();
        boolean torn = false;
        long keep = 0;
        if (Files.exists(file)) {
            byte[] bytes = Files.readAllBytes(file);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int start = 0;
            while (start < text.length()) {
                int end = text.indexOf('\n', start);
                if (end < 0) {
                    torn = true;
                    break;
                }
                try {
                    entries.add(JsonParser.parseString(text.substring(start, end)).getAsJsonObject());
                } catch (RuntimeException e) {
                    torn = true;
                    break;
                }
                start = end + 1;
                keep = text.substring(0, start).getBytes(StandardCharsets.UTF_8).length;
            }
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.truncate(keep);
        channel.position(keep);
        return new Journal(channel, entries, torn);
    }

    /** The entries read when the journal was opened. */
    List<JsonObject> entries() {
        return entries;
    }

    /** Whether a torn last line was found and dropped. */
    boolean droppedTornLine() {
        return droppedTornLine;
    }

    /** Appends an entry and forces it to disk. */
    void append(JsonObject entry) throws IOException {
        channel.write(ByteBuffer.wrap((GSON.toJson(entry) + "\n").getBytes(StandardCharsets.UTF_8)));
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

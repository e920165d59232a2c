package org.nas4j.search;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * {@code nas runs repair} for one journal: every unreadable line (and every line the caller
 * finds wrong) is appended to FILE.rejected, forced to disk, and the journal is replaced in one
 * step by its other lines, byte for byte; a torn last line then goes to FILE.torn as on resume.
 */
final class JournalRepair {
    private JournalRepair() {
    }

    /**
     * Repairs the journal read as {@code c}; {@code problem} says what is wrong with a readable
     * line (null: nothing). Returns what it did, one line each, or nothing when all was readable.
     */
    static List<String> repair(Journal.Contents c, Function<Journal.Line, String> problem) throws IOException {
        List<Journal.Bad> rejected = new ArrayList<>(c.bad());
        List<Journal.Line> kept = new ArrayList<>();
        for (Journal.Line line : c.lines()) {
            String p = problem.apply(line);
            if (p != null) {
                rejected.add(new Journal.Bad(line.number(), line.bytes(), p));
            } else {
                kept.add(line);
            }
        }
        List<String> done = new ArrayList<>();
        Path file = c.file();
        if (!rejected.isEmpty()) {
            Path aside = file.resolveSibling(file.getFileName() + ".rejected");
            try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                for (Journal.Bad b : rejected) {
                    out.write(ByteBuffer.wrap(b.bytes()));
                    out.write(ByteBuffer.wrap(new byte[] {'\n'}));
                }
                out.force(true);
            }
            ByteBuffer text = ByteBuffer.allocate(kept.stream().mapToInt(l -> l.bytes().length + 1).sum()
                    + (c.torn() != null ? c.torn().length : 0));
            kept.forEach(l -> text.put(l.bytes()).put((byte) '\n'));
            if (c.torn() != null) {
                text.put(c.torn());
            }
            AtomicFiles.replace(file, text.array());
            rejected.sort(Comparator.comparingInt(Journal.Bad::number));
            done.add(String.format("%s: %d line%s moved to %s (line %s: %s)", file, rejected.size(), rejected.size() == 1 ? "" : "s",
                    aside.getFileName(), rejected.get(0).number(), rejected.get(0).problem()));
        }
        if (c.torn() != null) {
            // Opening it to append sets the torn line aside, as a resume does.
            Journal.append(new Journal.Contents(file, kept, List.of(), c.torn(), false)).close();
            done.add(file + ": its torn last line moved to " + file.getFileName() + ".torn");
        }
        return done;
    }
}

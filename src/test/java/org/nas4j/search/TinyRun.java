package org.nas4j.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A 27-architecture spec scored from a table it writes beside itself: a whole search takes milliseconds. */
final class TinyRun {
    static final List<String> CANDIDATES = List.of("r", "t", "i");

    private TinyRun() {
    }

    /** The spec's YAML, with {@code extraSearch} added to its search section (e.g. constraints). */
    static String spec(String extraSearch) {
        StringBuilder s = new StringBuilder("""
                nas: 1
                name: tiny
                input: [4]
                data: {dataset: synthetic, batch-size: 8}
                training: {epochs: 1, optimizer: {type: sgd, lr: 0.1}}
                search:
                  evaluator: {type: table, table: table.json, key: "{a}{b}{c}", metric: acc}
                """);
        s.append(extraSearch);
        s.append("model:\n");
        for (String id : List.of("a", "b", "c")) {
            s.append("  - id: ").append(id).append("\n    layer-choice:\n");
            s.append("      r: {op: relu}\n      t: {op: tanh}\n      i: {op: identity}\n");
        }
        s.append("  - {op: linear, units: 2}\n");
        return s.toString();
    }

    /** Writes spec.yaml and a table holding every architecture (or only those {@code keep} accepts) into {@code dir}. */
    static Path write(Path dir, String extraSearch, java.util.function.Predicate<String> keep) throws IOException {
        Files.createDirectories(dir);
        Path spec = dir.resolve("tiny.yaml");
        Files.writeString(spec, spec(extraSearch));
        StringBuilder table = new StringBuilder("{");
        int n = 0;
        for (String a : CANDIDATES) {
            for (String b : CANDIDATES) {
                for (String c : CANDIDATES) {
                    String key = a + b + c;
                    if (keep.test(key)) {
                        table.append(n++ == 0 ? "" : ",").append(String.format(Locale.ROOT, "\"%s\": {\"acc\": %.4f}", key,
                                0.5 + (key.hashCode() % 97) / 200.0));
                    }
                }
            }
        }
        Files.writeString(dir.resolve("table.json"), table.append("}\n").toString());
        return spec;
    }

    /** Writes the spec with a full table. */
    static Path write(Path dir) throws IOException {
        return write(dir, "", k -> true);
    }
}

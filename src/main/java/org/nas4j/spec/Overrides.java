package org.nas4j.spec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies {@code --set PATH=VALUE} overrides to a spec's YAML before it is parsed, so that an
 * overridden value is checked exactly like a written one. PATH is dotted; a number indexes a list
 * ({@code model.0.layer-choice.conv3x3.channels}); missing mappings on the way are created.
 * VALUE is YAML ({@code 2000}, {@code fashion-mnist}, {@code [1, 28, 28]}, {@code {choice: [8, 16]}}).
 */
public final class Overrides {
    private Overrides() {
    }

    /** One {@code PATH=VALUE}; {@link #parse} checks its syntax. */
    public record Override(List<String> path, String value) {
        /** The override as written on the command line, PATH=VALUE. */
        public String text() {
            return String.join(".", path) + "=" + value;
        }

        /** The override as the user wrote it, used as the "file" of its positions. */
        public String source() {
            return "--set " + String.join(".", path);
        }
    }

    /** Parses {@code PATH=VALUE}; throws IllegalArgumentException with a message for users. */
    public static Override parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--set needs PATH=VALUE, e.g. --set data.limit=2000, got '" + text + "'");
        }
        List<String> path = Arrays.asList(text.substring(0, eq).split("\\.", -1));
        if (path.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("--set path '" + text.substring(0, eq) + "' has an empty part");
        }
        return new Override(List.copyOf(path), text.substring(eq + 1));
    }

    /** The tree with every override applied in order; problems go to {@code diag} (then the tree is returned unchanged). */
    public static YNode apply(YNode root, List<Override> overrides, Diagnostics diag) {
        YNode result = root;
        for (Override o : overrides) {
            YNode value = o.value().isBlank()
                    ? new YNode.Scalar("", YNode.ScalarType.NULL, Pos.start(o.source()))
                    : YamlReader.read(o.source(), o.value().getBytes(StandardCharsets.UTF_8), diag);
            if (value == null) {
                continue;
            }
            YNode updated = set(result, o, 0, value, diag);
            if (updated != null) {
                result = updated;
            }
        }
        return result;
    }

    private static YNode set(YNode node, Override o, int depth, YNode value, Diagnostics diag) {
        if (depth == o.path().size()) {
            return value;
        }
        String part = o.path().get(depth);
        String where = String.join(".", o.path().subList(0, depth));
        if (node instanceof YNode.Mapping m) {
            Map<String, YNode.Entry> entries = new LinkedHashMap<>(m.entries());
            YNode.Entry old = entries.get(part);
            YNode child = old != null ? old.value() : new YNode.Mapping(Map.of(), value.pos());
            YNode updated = set(child, o, depth + 1, value, diag);
            if (updated == null) {
                return null;
            }
            entries.put(part, new YNode.Entry(part, old != null ? old.keyPos() : value.pos(), updated));
            return new YNode.Mapping(Collections.unmodifiableMap(entries), m.pos());
        }
        if (node instanceof YNode.Sequence seq) {
            int index;
            try {
                index = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                index = -1;
            }
            if (index < 0 || index >= seq.items().size()) {
                diag.error(Pos.start(o.source()), where + " is a list of " + seq.items().size()
                        + " items; '" + part + "' is not an index in it (0 to " + (seq.items().size() - 1) + ")");
                return null;
            }
            YNode updated = set(seq.items().get(index), o, depth + 1, value, diag);
            if (updated == null) {
                return null;
            }
            List<YNode> items = new ArrayList<>(seq.items());
            items.set(index, updated);
            return new YNode.Sequence(Collections.unmodifiableList(items), seq.pos());
        }
        diag.error(Pos.start(o.source()), (where.isEmpty() ? "the spec" : where) + " is " + node.kindName()
                + ", so it has no field '" + part + "'");
        return null;
    }
}

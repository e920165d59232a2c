package org.nas4j.spec;

import java.util.List;
import java.util.Map;

/**
 * A YAML value with its position. SnakeYAML's composed nodes are turned into these immutable
 * values once, so that the rest of the spec package never sees the YAML library.
 */
public sealed interface YNode permits YNode.Scalar, YNode.Mapping, YNode.Sequence {

    /** Where the value starts. */
    Pos pos();

    /** A short name of the value's kind, for "expected X, got Y" messages. */
    String kindName();

    /** What a scalar resolved to under the YAML 1.2 core schema. */
    enum ScalarType { STRING, INT, FLOAT, BOOL, NULL }

    /** A scalar: its text and the type the YAML 1.2 core schema gives it (quoted text is a string). */
    record Scalar(String text, ScalarType type, Pos pos) implements YNode {
        @Override
        public String kindName() {
            return switch (type) {
                case STRING -> "string '" + text + "'";
                case INT -> "integer " + text;
                case FLOAT -> "number " + text;
                case BOOL -> "boolean " + text;
                case NULL -> "null";
            };
        }
    }

    /** A mapping whose keys are strings; each entry keeps the position of its key. */
    record Mapping(Map<String, Entry> entries, Pos pos) implements YNode {
        @Override
        public String kindName() {
            return "a mapping";
        }

        /** The value under a key, or null. */
        public YNode get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }
    }

    /** A map entry: the key's position and the value. */
    record Entry(String key, Pos keyPos, YNode value) { }

    /** A sequence. */
    record Sequence(List<YNode> items, Pos pos) implements YNode {
        @Override
        public String kindName() {
            return "a list";
        }
    }
}

package org.nas4j.spec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads YAML into positioned {@link YNode}s, safely: nothing is ever constructed from a tag,
 * and the size, the nesting depth and the expansion of aliases are bounded, so a hostile file
 * is an error message, not a hang or a crash. Keys are always strings ({@code 0:} and
 * {@code "0":} are the same key) and duplicate keys are errors.
 */
public final class YamlReader {
    /** Largest spec accepted, in bytes. */
    public static final int MAX_BYTES = 1 << 20;
    /** Deepest nesting of lists and mappings accepted. */
    public static final int MAX_DEPTH = 64;
    /** Most values accepted once aliases are expanded (a "billion laughs" file stops here). */
    public static final int MAX_VALUES = 100_000;

    private static final Set<Tag> CORE_TAGS =
            Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ);

    private final String file;
    private final Diagnostics diag;
    private int values;

    private YamlReader(String file, Diagnostics diag) {
        this.file = file;
        this.diag = diag;
    }

    /** Reads the bytes of a file; returns null (with errors recorded) when it is not usable YAML. */
    public static YNode read(String file, byte[] bytes, Diagnostics diag) {
        return new YamlReader(file, diag).read(bytes);
    }

    private YNode read(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            diag.error(Pos.start(file), "the file is " + bytes.length + " bytes; specs are limited to " + MAX_BYTES + " bytes");
            return null;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            diag.error(Pos.start(file), "the file is not valid UTF-8 text");
            return null;
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file)
                .setSchema(new CoreSchema())
                .setMaxAliasesForCollections(MAX_VALUES) // expansion itself is bounded while converting
                .setAllowRecursiveKeys(false)
                .setCodePointLimit(MAX_BYTES)
                .build();
        try {
            // The composer recurses once per nesting level: check the depth on the flat event
            // stream first, so that a deeply nested file cannot overflow the stack.
            if (!depthWithinLimit(new Parse(settings).parseString(text))) {
                return null;
            }
            Optional<Node> root = new Compose(settings).composeString(text);
            if (root.isEmpty()) {
                diag.error(Pos.start(file), "the spec is empty");
                return null;
            }
            return convert(root.get(), 0);
        } catch (MarkedYamlEngineException e) {
            Pos pos = e.getProblemMark().map(this::pos).orElse(Pos.start(file));
            String problem = e.getProblem() == null ? "" : e.getProblem();
            String context = e.getContext() == null ? "" : e.getContext() + ": ";
            String opened = e.getContextMark().filter(m -> m.getLine() != e.getProblemMark().map(Mark::getLine).orElse(-1))
                    .map(m -> " (the structure was opened at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ")")
                    .orElse("");
            diag.error(pos, "YAML syntax error: " + context + problem.strip() + opened);
            return null;
        } catch (YamlEngineException e) {
            diag.error(Pos.start(file), "YAML error: " + firstLine(e.getMessage()));
            return null;
        } catch (Unreadable e) {
            diag.error(e.pos, e.getMessage());
            return null;
        }
    }

    private boolean depthWithinLimit(Iterable<Event> events) {
        int depth = 0;
        for (Event event : events) {
            switch (event.getEventId()) {
                case SequenceStart, MappingStart -> {
                    depth++;
                    if (depth > MAX_DEPTH) {
                        Pos pos = event.getStartMark().map(this::pos).orElse(Pos.start(file));
                        diag.error(pos, "lists and mappings are nested more than " + MAX_DEPTH + " deep");
                        return false;
                    }
                }
                case SequenceEnd, MappingEnd -> depth--;
                default -> { }
            }
        }
        return true;
    }

    private YNode convert(Node node, int depth) {
        Pos pos = node.getStartMark().map(this::pos).orElse(Pos.start(file));
        if (++values > MAX_VALUES) {
            throw new Unreadable(pos, "the document expands to more than " + MAX_VALUES
                    + " values (through aliases); specs are limited to that");
        }
        if (depth > MAX_DEPTH) {
            // Only reachable through aliases that refer to their own ancestors.
            throw new Unreadable(pos, "an alias makes the document nest more than " + MAX_DEPTH + " deep (does it refer to itself?)");
        }
        Tag tag = node.getTag();
        if (!CORE_TAGS.contains(tag)) {
            String name = tag.getValue().replace(Tag.PREFIX, "!!");
            diag.error(pos, "YAML tag '" + name + "' is not allowed", "specs use plain values; tags never create objects");
        }
        if (node instanceof ScalarNode scalar) {
            return new YNode.Scalar(scalar.getValue(), scalarType(tag), pos);
        }
        if (node instanceof SequenceNode seq) {
            List<YNode> items = new ArrayList<>();
            for (Node item : seq.getValue()) {
                items.add(convert(item, depth + 1));
            }
            return new YNode.Sequence(Collections.unmodifiableList(items), pos);
        }
        MappingNode map = (MappingNode) node;
        Map<String, YNode.Entry> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            Node keyNode = tuple.getKeyNode();
            Pos keyPos = keyNode.getStartMark().map(this::pos).orElse(pos);
            if (!(keyNode instanceof ScalarNode keyScalar)) {
                diag.error(keyPos, "mapping keys must be plain names, not " + (keyNode instanceof SequenceNode ? "lists" : "mappings"));
                continue;
            }
            String key = keyScalar.getValue();
            YNode value = convert(tuple.getValueNode(), depth + 1);
            YNode.Entry previous = entries.get(key);
            if (previous != null) {
                diag.error(keyPos, "duplicate key '" + key + "' (first at line " + previous.keyPos().line()
                        + ", column " + previous.keyPos().column() + ")",
                        key.chars().allMatch(Character::isDigit) ? "keys are text: 0 and \"0\" are the same key" : null);
                continue;
            }
            entries.put(key, new YNode.Entry(key, keyPos, value));
        }
        return new YNode.Mapping(Collections.unmodifiableMap(entries), pos);
    }

    private static YNode.ScalarType scalarType(Tag tag) {
        if (Tag.INT.equals(tag)) {
            return YNode.ScalarType.INT;
        } else if (Tag.FLOAT.equals(tag)) {
            return YNode.ScalarType.FLOAT;
        } else if (Tag.BOOL.equals(tag)) {
            return YNode.ScalarType.BOOL;
        } else if (Tag.NULL.equals(tag)) {
            return YNode.ScalarType.NULL;
        }
        return YNode.ScalarType.STRING;
    }

    private Pos pos(Mark mark) {
        return new Pos(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable document";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Thrown out of the recursive conversion when aliases make the document too large or cyclic. */
    private static final class Unreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Pos pos;

        Unreadable(Pos pos, String message) {
            super(message, null, false, false);
            this.pos = pos;
        }
    }
}

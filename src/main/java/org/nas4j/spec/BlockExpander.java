package org.nas4j.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.nas4j.space.Suggest;

/**
 * Expands block uses and repeats into the nodes they stand for: each use's parameters put into a
 * copy of its block's nodes, which the model reader then reads with ids under the use's id and
 * keys under its scope; a repeat chains copies and, with a depth choice, selects the chosen
 * copy's output. Checks recursion, nesting and how much is copied.
 */
final class BlockExpander {
    /** Deepest nesting of block uses (a block using a block ...). */
    static final int MAX_BLOCK_DEPTH = 64;
    /** Largest repeat depth. */
    static final int MAX_REPEAT_DEPTH = 1_000;
    /**
     * Most YAML values copied while putting parameters into blocks: each use copies its block's
     * nodes, so a large block used very often is work without many nodes to show for it.
     */
    static final int MAX_COPIED_VALUES = 10_000_000;
    private static final List<String> INSTANCE_FIELDS = List.of("id", "block", "input", "inputs", "scope");
    private static final List<String> REPEAT_FIELDS = List.of("id", "repeat", "depth", "input", "inputs", "scope");

    private final ModelReader reader;
    private final Diagnostics diag;
    private final FieldReader fields;
    private final IdResolver ids;
    private final Map<String, ModelReader.BlockDef> blocks;
    /** scope -> the block whose instances use it and where it was first used. */
    private final Map<String, Map.Entry<String, Pos>> scopes = new HashMap<>();
    /** YAML values copied into blocks' nodes so far. */
    private int copied;

    /** Expands the {@code blocks} of a spec for {@code reader}, which reads the expanded nodes. */
    BlockExpander(ModelReader reader, Diagnostics diag, FieldReader fields, IdResolver ids, Map<String, ModelReader.BlockDef> blocks) {
        this.reader = reader;
        this.diag = diag;
        this.fields = fields;
        this.ids = ids;
        this.blocks = blocks;
    }

    /** The block a node uses, checked against recursion; null with an error. */
    private ModelReader.BlockDef blockOf(YNode nameNode, ReadFrame f) {
        if (!(nameNode instanceof YNode.Scalar s) || s.type() != YNode.ScalarType.STRING) {
            diag.error(nameNode.pos(), "a block use must name a block, got " + nameNode.kindName());
            return null;
        }
        ModelReader.BlockDef def = blocks.get(s.text());
        if (def == null) {
            diag.error(s.pos(), "no block is named '" + s.text() + "'", Suggest.hint(s.text(), new TreeSet<>(blocks.keySet())));
            return null;
        }
        if (f.blockStack.contains(def.name())) {
            List<String> chain = new ArrayList<>(f.blockStack.subList(f.blockStack.indexOf(def.name()), f.blockStack.size()));
            chain.add(def.name());
            diag.error(s.pos(), "block '" + def.name() + "' uses itself: " + String.join(" -> ", chain));
            return null;
        }
        if (f.blockStack.size() >= MAX_BLOCK_DEPTH) {
            List<String> chain = f.blockStack;
            diag.error(s.pos(), "blocks nest more than " + MAX_BLOCK_DEPTH + " deep here: " + String.join(" -> ", chain.subList(0, 2))
                    + " -> ... -> " + String.join(" -> ", chain.subList(chain.size() - 2, chain.size())) + " -> " + def.name(),
                    "use blocks side by side rather than inside one another");
            return null;
        }
        return def;
    }

    /** The parameter values of a block use (defaults filled in); null when one is unknown or missing. */
    private Map<String, YNode> arguments(YNode.Mapping m, ModelReader.BlockDef def, List<String> nodeFields) {
        Map<String, YNode> values = new HashMap<>(def.params());
        boolean ok = true;
        for (YNode.Entry e : m.entries().values()) {
            if (nodeFields.contains(e.key())) {
                continue;
            }
            if (!def.params().containsKey(e.key())) {
                List<String> valid = new ArrayList<>(def.params().keySet());
                valid.addAll(nodeFields);
                diag.error(e.keyPos(), "block '" + def.name() + "' has no parameter '" + e.key() + "'", Suggest.hint(e.key(), valid));
                ok = false;
            } else {
                values.put(e.key(), e.value());
            }
        }
        for (Map.Entry<String, YNode> p : def.params().entrySet()) {
            if (p.getValue() == null && values.get(p.getKey()) == null) {
                diag.error(m.pos(), "block '" + def.name() + "' needs the parameter '" + p.getKey() + "'");
                ok = false;
            }
        }
        return ok ? values : null;
    }

    /**
     * A block's node with every {@code $PARAM} replaced by its value; the values copied count
     * against {@link #MAX_COPIED_VALUES}.
     */
    private YNode substitute(YNode node, Map<String, YNode> values, ModelReader.BlockDef def) {
        if (++copied > MAX_COPIED_VALUES) {
            throw new ModelReader.TooLarge(String.format(java.util.Locale.ROOT, "expanding blocks copies more than %,d values of their nodes",
                    MAX_COPIED_VALUES), "a large block used very often: use it fewer times, or make it smaller");
        }
        if (node instanceof YNode.Scalar s) {
            if (s.type() == YNode.ScalarType.STRING && s.text().startsWith("$")) {
                String name = s.text().substring(1);
                if (values.containsKey(name)) {
                    return values.get(name);
                }
                diag.error(s.pos(), "block '" + def.name() + "' has no parameter '" + name + "'",
                        Suggest.hint(name, new TreeSet<>(def.params().keySet())));
            }
            return s;
        }
        if (node instanceof YNode.Sequence seq) {
            return new YNode.Sequence(seq.items().stream().map(i -> substitute(i, values, def)).toList(), seq.pos());
        }
        YNode.Mapping m = (YNode.Mapping) node;
        Map<String, YNode.Entry> entries = new LinkedHashMap<>();
        m.entries().forEach((k, e) -> entries.put(k, new YNode.Entry(k, e.keyPos(), substitute(e.value(), values, def))));
        return new YNode.Mapping(Collections.unmodifiableMap(entries), m.pos());
    }

    private String scope(YNode.Mapping m, String localId, ReadFrame f, ModelReader.BlockDef def) {
        YNode s = m.get("scope");
        if (s == null) {
            return localId;
        }
        String scope = fields.key(s);
        if (scope != null) {
            String full = f.keyScope + scope;
            Map.Entry<String, Pos> first = scopes.putIfAbsent(full, Map.entry(def.name(), s.pos()));
            if (first != null && !first.getKey().equals(def.name())) {
                diag.error(s.pos(), "scope '" + scope + "' is shared with a use of block '" + first.getKey() + "' at line "
                        + first.getValue().line() + ", but this is block '" + def.name() + "'",
                        "instances sharing a scope share every decision, so they must use the same block");
                return null;
            }
        }
        return scope;
    }

    /** Reads a block use into the nodes of its block; false after an error. */
    boolean instance(YNode.Mapping m, ReadFrame f, List<Node> sink, String localId, String globalId) {
        ModelReader.BlockDef def = blockOf(m.get("block"), f);
        if (def == null) {
            return false;
        }
        if (localId == null && !f.inCandidate) {
            diag.error(m.pos(), "a block use needs an id: the ids and keys of its nodes derive from it");
            return false;
        }
        Map<String, YNode> args = arguments(m, def, INSTANCE_FIELDS);
        List<Ref> inputs = m.get("input") == null && m.get("inputs") == null
                ? List.of(new Ref(f.previous, m.pos())) : ids.inputs(m, f, localId, true, null);
        String scope = f.inCandidate ? "" : scope(m, localId, f, def);
        if (args == null || inputs == null || scope == null) {
            return false;
        }
        String name = localId != null ? localId : globalId.substring(globalId.lastIndexOf('/') + 1);
        expand(def, args, inputs, f, f.idPrefix + name + "/", f.inCandidate ? "" : f.keyScope + scope + "/", f.guards, globalId, sink);
        return true;
    }

    private void expand(ModelReader.BlockDef def, Map<String, YNode> args, List<Ref> inputs, ReadFrame f, String idPrefix, String keyScope,
                        List<Node.Guard> guards, String outputId, List<Node> sink) {
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            names.put("in" + i, inputs.get(i).id());
        }
        names.put("in", inputs.get(0).id());
        List<String> stack = new ArrayList<>(f.blockStack);
        stack.add(def.name());
        ReadFrame child = new ReadFrame(idPrefix, keyScope, names, guards, List.copyOf(stack), f.inCandidate, false, outputId,
                def.name(), inputs.get(0).id());
        List<YNode> nodes = new ArrayList<>();
        for (YNode item : def.nodes().items()) {
            // An unknown $PARAM is an error of the node it is written in.
            String outer = diag.inNode(ModelReader.nodeLabel(item, child));
            try {
                nodes.add(substitute(item, args, def));
            } finally {
                diag.inNode(outer);
            }
        }
        reader.readNodes(nodes, child, sink);
    }

    /** Reads a repeat into copies of its block (and a depth select with a depth choice); false after an error. */
    boolean repeat(YNode.Mapping m, ReadFrame f, List<Node> sink, String localId, String globalId) {
        ModelReader.BlockDef def = blockOf(m.get("repeat"), f);
        if (def == null) {
            return false;
        }
        if (localId == null) {
            diag.error(m.pos(), "a repeat needs an id: the ids and keys of its copies derive from it");
            return false;
        }
        Map<String, YNode> args = arguments(m, def, REPEAT_FIELDS);
        List<Ref> inputs = ids.inputs(m, f, localId, false, "a repeat");
        String scope = scope(m, localId, f, def);
        YNode depthNode = m.get("depth");
        if (depthNode == null) {
            diag.error(m.pos(), "a repeat needs a depth: a whole number or {choice: [1, 2, 3]}");
            return false;
        }
        FieldDef depthField = new FieldDef("depth", FieldType.INT, null, true, 1, MAX_REPEAT_DEPTH, false);
        FieldValue depth = fields.fieldValue(depthField, depthNode, localId, f.keyScope, true);
        if (args == null || inputs == null || scope == null || depth == null) {
            return false;
        }
        List<Integer> depths = depth instanceof FieldValue.Choice c
                ? c.values().stream().map(Number::intValue).sorted().toList()
                : List.of((Integer) ((FieldValue.Fixed) depth).value());
        String key = depth instanceof FieldValue.Choice c ? c.key() : null;
        int max = depths.get(depths.size() - 1);
        List<Ref> previous = inputs;
        List<String> outputs = new ArrayList<>();
        for (int k = 0; k < max; k++) {
            String copyOutput = key == null && k == max - 1 ? globalId : f.idPrefix + localId + "/" + k;
            List<Node.Guard> guards = new ArrayList<>(f.guards);
            if (key != null && k + 1 > depths.get(0)) {
                guards.add(new Node.Guard(key, k + 1));
            }
            expand(def, args, previous, f, f.idPrefix + localId + "/" + k + "/", f.keyScope + scope + "/" + k + "/",
                    List.copyOf(guards), copyOutput, sink);
            outputs.add(copyOutput);
            previous = List.of(new Ref(copyOutput, m.pos()));
        }
        if (key != null) {
            List<Ref> chosen = depths.stream().map(d -> new Ref(outputs.get(d - 1), m.pos())).toList();
            reader.emit(sink, new Node.DepthSelectNode(globalId, m.pos(), chosen, key, depths, f.guards));
        }
        return true;
    }
}

package org.nas4j.spec;

import org.nas4j.space.Suggest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the model's nodes, expanding block instances and repeats into one flat list of nodes
 * with unique ids, scoped keys and explicit inputs. Every structural error is recorded; a node
 * that cannot be read becomes an {@link Node.InvalidNode} so that reading and checking go on.
 */
final class ModelReader {
    /** Names a block parameter may not take: they are fields of the node that uses the block. */
    static final List<String> RESERVED_PARAMS = List.of("id", "scope", "inputs", "input", "block", "key", "repeat", "depth");
    static final Pattern ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    /** Most nodes once blocks, repeats and candidates are expanded: a few uses of nested blocks multiply. */
    static final int MAX_NODES = 100_000;
    /** Deepest nesting of block uses (a block using a block ...). */
    static final int MAX_BLOCK_DEPTH = 64;
    /** Largest repeat depth. */
    static final int MAX_REPEAT_DEPTH = 1_000;
    /**
     * Most YAML values copied while putting parameters into blocks: each use copies its block's
     * nodes, so a large block used very often is work without many nodes to show for it.
     */
    static final int MAX_COPIED_VALUES = 10_000_000;
    private static final Pattern BLOCK_INPUT = Pattern.compile("in[0-9]*");
    private static final List<String> KINDS = List.of("op", "layer-choice", "input-choice", "block", "repeat");
    private static final List<String> NODE_FIELDS = List.of("id", "input", "inputs", "key");
    private static final List<String> CHOICE_FIELDS = List.of("id", "input", "inputs", "key", "layer-choice");
    private static final List<String> INPUT_CHOICE_FIELDS = List.of("id", "key", "input-choice");

    /** A block definition: its parameters (a null value means required) and its nodes. */
    record BlockDef(String name, Pos pos, Map<String, YNode> params, YNode.Sequence nodes) { }

    /** Where ids, inputs and keys are resolved while reading one list of nodes. */
    private static final class Frame {
        final String idPrefix;
        final String keyScope;
        final Map<String, String> inputs;
        final List<Node.Guard> guards;
        final List<String> blockStack;
        final boolean inCandidate;
        final boolean candidateSteps;
        final String outputId;
        final String blockName;
        final Map<String, Pos> declared = new HashMap<>();
        final Map<String, String> defined = new HashMap<>();
        String previous;

        Frame(String idPrefix, String keyScope, Map<String, String> inputs, List<Node.Guard> guards, List<String> blockStack,
              boolean inCandidate, boolean candidateSteps, String outputId, String blockName, String previous) {
            this.idPrefix = idPrefix;
            this.keyScope = keyScope;
            this.inputs = inputs;
            this.guards = guards;
            this.blockStack = blockStack;
            this.inCandidate = inCandidate;
            this.candidateSteps = candidateSteps;
            this.outputId = outputId;
            this.blockName = blockName;
            this.previous = previous;
        }
    }

    private final Diagnostics diag;
    private final FieldReader fields;
    private final Map<String, BlockDef> blocks;
    /** scope -> the block whose instances use it and where it was first used. */
    private final Map<String, Map.Entry<String, Pos>> scopes = new HashMap<>();
    private int anonymous;
    /** Nodes made so far (candidates' ops and nodes later dropped after errors included): the work done. */
    private int made;
    /** YAML values copied into blocks' nodes so far. */
    private int copied;
    /** The model's node being read, where a spec that expands too far is reported. */
    private YNode topNode;

    /** Expansion went past a limit: reading stops at once, the error names the model's node that got there. */
    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String hint;

        TooLarge(String message, String hint) {
            super(message, null, false, false);
            this.hint = hint;
        }
    }

    ModelReader(Diagnostics diag, Map<String, BlockDef> blocks) {
        this.diag = diag;
        this.fields = new FieldReader(diag);
        this.blocks = blocks;
    }

    /**
     * Reads the model's list of nodes into a flat list; null when expanding it went past a limit
     * ({@link #MAX_NODES}, {@link #MAX_COPIED_VALUES}): then the error is recorded and nothing
     * more is read.
     */
    List<Node> model(YNode.Sequence seq) {
        Frame top = new Frame("", "", Map.of(Ref.MODEL_INPUT, Ref.MODEL_INPUT), List.of(), List.of(),
                false, false, null, null, Ref.MODEL_INPUT);
        List<Node> nodes = new ArrayList<>();
        declareIds(seq.items(), top);
        try {
            for (int i = 0; i < seq.items().size(); i++) {
                topNode = seq.items().get(i);
                readNode(topNode, top, nodes, null);
            }
        } catch (TooLarge e) {
            String label = nodeLabel(topNode, top);
            diag.error(topNode.pos(), (label == null ? "" : label + ": ") + e.getMessage(), e.hint);
            return null;
        }
        return Collections.unmodifiableList(nodes);
    }

    private void readNodes(List<YNode> items, Frame f, List<Node> sink) {
        if (!f.candidateSteps) {
            // Id errors name their id: no node context, which would be the enclosing block use.
            String outer = diag.inNode(null);
            try {
                declareIds(items, f);
            } finally {
                diag.inNode(outer);
            }
        }
        for (int i = 0; i < items.size(); i++) {
            readNode(items.get(i), f, sink, i == items.size() - 1 ? f.outputId : null);
        }
    }

    /** Adds a node to the model (or a candidate), counting it against {@link #MAX_NODES}. */
    private void emit(List<Node> sink, Node node) {
        if (++made > MAX_NODES) {
            throw new TooLarge(String.format(java.util.Locale.ROOT, "expanding blocks and repeats gives more than %,d nodes", MAX_NODES),
                    "every use of a block copies its nodes, so blocks that use others several times multiply them at each level");
        }
        sink.add(node);
    }

    /**
     * How messages name a node: "node 'ID'" ("node 'ID' in block 'B'" inside a block), or null
     * for a node without an id.
     */
    private static String nodeLabel(YNode item, Frame f) {
        if (item instanceof YNode.Mapping m && m.get("id") instanceof YNode.Scalar s && s.type() != YNode.ScalarType.NULL) {
            return "node '" + s.text() + "'" + (f.blockName == null ? "" : " in block '" + f.blockName + "'");
        }
        return null;
    }

    private void declareIds(List<YNode> items, Frame f) {
        for (YNode item : items) {
            if (!(item instanceof YNode.Mapping m) || !(m.get("id") instanceof YNode.Scalar s) || s.type() == YNode.ScalarType.NULL) {
                continue;
            }
            String id = s.text();
            if (!ID.matcher(id).matches()) {
                diag.error(s.pos(), "id '" + id + "' is not a valid name", "use letters, digits, '_' and '-', starting with a letter or '_'");
            } else if (id.equals(Ref.MODEL_INPUT)) {
                diag.error(s.pos(), "id 'input' is reserved: it names the model's input");
            } else if (f.blockName != null && BLOCK_INPUT.matcher(id).matches()) {
                diag.error(s.pos(), "id '" + id + "' is reserved inside a block: in, in0, in1, ... name the block's inputs");
            } else if (f.declared.containsKey(id)) {
                Pos first = f.declared.get(id);
                diag.error(s.pos(), "duplicate id '" + id + "' (first at line " + first.line() + ", column " + first.column() + ")");
            } else {
                f.declared.put(id, s.pos());
            }
        }
    }

    /** The id of a node as written, when it is valid and the first of its name; else null. */
    private String localId(YNode.Mapping m, Frame f) {
        YNode idNode = m.get("id");
        if (idNode == null) {
            return null;
        }
        if (!(idNode instanceof YNode.Scalar s) || s.type() == YNode.ScalarType.NULL) {
            diag.error(idNode.pos(), "id must be a name, got " + idNode.kindName());
            return null;
        }
        Pos declared = f.declared.get(s.text());
        return declared != null && declared.equals(s.pos()) ? s.text() : null;
    }

    /** Reads one node; its errors name it. A candidate step has no id: its errors name the choice node. */
    private void readNode(YNode item, Frame f, List<Node> sink, String forcedId) {
        if (f.candidateSteps) {
            readNodeAs(item, f, sink, forcedId);
            return;
        }
        String outer = diag.inNode(nodeLabel(item, f));
        try {
            readNodeAs(item, f, sink, forcedId);
        } finally {
            diag.inNode(outer);
        }
    }

    private void readNodeAs(YNode item, Frame f, List<Node> sink, String forcedId) {
        String generated = forcedId != null ? forcedId : f.idPrefix + "#" + (++anonymous);
        YNode.Mapping m = item instanceof YNode.Mapping map ? map : null;
        List<String> kinds = m == null ? List.of() : KINDS.stream().filter(k -> m.get(k) != null).toList();
        if (m == null) {
            diag.error(item.pos(), (f.candidateSteps ? "a candidate step" : "a model node")
                    + " must be a mapping, got " + item.kindName());
        } else if (kinds.size() != 1) {
            if (kinds.isEmpty()) {
                reportUnknown(m, KINDS, "a node");
            }
            diag.error(m.pos(), kinds.isEmpty() ? "a node needs one of op, layer-choice, input-choice, block or repeat"
                    : "a node has exactly one of op, layer-choice, input-choice, block or repeat, got " + String.join(" and ", kinds));
        }
        if (m == null || kinds.size() != 1) {
            emitInvalid(sink, f, null, generated, item.pos());
            return;
        }
        String localId = localId(m, f);
        String globalId = forcedId != null ? forcedId : localId != null ? f.idPrefix + localId : generated;
        String kind = kinds.get(0);
        if (f.inCandidate && (kind.equals("layer-choice") || kind.equals("input-choice") || kind.equals("repeat"))) {
            diag.error(m.pos(), "a " + (kind.equals("repeat") ? "repeat" : "choice") + " inside a layer-choice candidate is not allowed in spec version 1",
                    "flatten it into the outer choice's candidates");
            emitInvalid(sink, f, localId, globalId, m.pos());
            return;
        }
        if (f.candidateSteps) {
            for (String k : List.of("id", "input", "inputs", "key", "scope")) {
                if (m.get(k) != null) {
                    diag.error(m.entries().get(k).keyPos(), "'" + k + "' is not allowed on a layer-choice candidate",
                            "a candidate reads the choice node's input");
                    emitInvalid(sink, f, localId, globalId, m.pos());
                    return;
                }
            }
        }
        int before = sink.size();
        boolean ok = switch (kind) {
            case "op" -> opNode(m, f, sink, localId, globalId);
            case "layer-choice" -> layerChoice(m, f, sink, localId, globalId);
            case "input-choice" -> inputChoice(m, f, sink, localId, globalId);
            case "block" -> instance(m, f, sink, localId, globalId);
            default -> repeat(m, f, sink, localId, globalId);
        };
        if (!ok) {
            sink.subList(before, sink.size()).clear();
            emitInvalid(sink, f, localId, globalId, m.pos());
            return;
        }
        define(f, localId, globalId);
    }

    private void define(Frame f, String localId, String globalId) {
        if (localId != null) {
            f.defined.put(localId, globalId);
        }
        f.previous = globalId;
    }

    private void emitInvalid(List<Node> sink, Frame f, String localId, String globalId, Pos pos) {
        emit(sink, new Node.InvalidNode(globalId, pos));
        define(f, localId, globalId);
    }

    private void reportUnknown(YNode.Mapping m, List<String> allowed, String what) {
        for (YNode.Entry e : m.entries().values()) {
            if (!allowed.contains(e.key())) {
                diag.error(e.keyPos(), "unknown field '" + e.key() + "' in " + what, Suggest.hint(e.key(), allowed));
            }
        }
    }

    // ---- inputs ----

    /** The node's inputs as global refs: the named ones, or the previous node. Null after an error. */
    private List<Ref> inputs(YNode.Mapping m, Frame f, String localId, boolean merge, String what) {
        YNode one = m.get("input");
        YNode many = m.get("inputs");
        if (one != null && many != null) {
            diag.error(m.entries().get("inputs").keyPos(), "give either 'input' or 'inputs', not both");
            return null;
        }
        if (one == null && many == null) {
            if (merge) {
                diag.error(m.pos(), what + " merges named inputs: give inputs: [a, b]");
                return null;
            }
            return List.of(new Ref(f.previous, m.pos()));
        }
        List<YNode> items = one != null ? List.of(one) : many instanceof YNode.Sequence seq ? seq.items() : null;
        if (items == null || items.isEmpty()) {
            diag.error(many.pos(), "inputs must be a non-empty list of node ids, got " + describe(many));
            return null;
        }
        if (!merge && items.size() > 1 && what != null) {
            diag.error(many.pos(), what + " takes one input, got " + items.size(), "merge several inputs with add, concat or mean");
            return null;
        }
        return refs(items, f, localId, "an input", what == null);
    }

    /** Resolves ids; {@code repeatsAllowed} lets a block use read one node twice (DARTS's first cell). */
    private List<Ref> refs(List<YNode> items, Frame f, String localId, String what, boolean repeatsAllowed) {
        List<Ref> refs = new ArrayList<>();
        boolean ok = true;
        for (YNode item : items) {
            if (!(item instanceof YNode.Scalar s) || s.type() == YNode.ScalarType.NULL) {
                diag.error(item.pos(), what + " must be a node id, got " + item.kindName());
                ok = false;
                continue;
            }
            String global = resolve(s.text(), s.pos(), f, localId);
            if (global == null) {
                ok = false;
            } else if (!repeatsAllowed && refs.stream().anyMatch(r -> r.id().equals(global))) {
                diag.error(s.pos(), "'" + s.text() + "' is listed twice");
                ok = false;
            } else {
                refs.add(new Ref(global, s.pos()));
            }
        }
        return ok ? Collections.unmodifiableList(refs) : null;
    }

    /** The global id a name refers to from inside a frame, or null with an error. */
    private String resolve(String name, Pos pos, Frame f, String localId) {
        if (f.inputs.containsKey(name)) {
            return f.inputs.get(name);
        }
        if (f.defined.containsKey(name)) {
            return f.defined.get(name);
        }
        if (name.equals(localId)) {
            diag.error(pos, "a node cannot read itself ('" + name + "')");
        } else if (f.declared.containsKey(name)) {
            diag.error(pos, "'" + name + "' is defined later (line " + f.declared.get(name).line() + "); a node can only read earlier nodes");
        } else if (f.blockName != null && BLOCK_INPUT.matcher(name).matches()) {
            diag.error(pos, "block '" + f.blockName + "' reads " + name + ", but this use of it gives "
                    + (f.inputs.size() - 1) + " input" + (f.inputs.size() == 2 ? "" : "s"));
        } else {
            List<String> known = new ArrayList<>(new TreeSet<>(f.inputs.keySet()));
            known.addAll(new TreeSet<>(f.defined.keySet()));
            diag.error(pos, "no node has id '" + name + "'" + (f.blockName != null ? " in block '" + f.blockName + "'" : ""),
                    Suggest.hint(name, known));
        }
        return null;
    }

    private static String describe(YNode node) {
        return node instanceof YNode.Sequence s ? "a list of " + s.items().size() : node.kindName();
    }

    // ---- node kinds ----

    private boolean opNode(YNode.Mapping m, Frame f, List<Node> sink, String localId, String globalId) {
        if (m.get("key") != null) {
            diag.error(m.entries().get("key").keyPos(), "'key' names the decision of a layer-choice or input-choice",
                    "for a value choice write {choice: [...], key: NAME}");
            return false;
        }
        OpDef def = opDef(m.get("op"));
        if (def == null) {
            return false;
        }
        if (f.candidateSteps && def.merge()) {
            diag.error(m.get("op").pos(), def.specName() + " merges named inputs and cannot be a candidate step",
                    "put it in a block and use the block as the candidate");
            return false;
        }
        List<Ref> inputs = inputs(m, f, localId, def.merge(), def.specName());
        OpUse use = fields.opUse(m, def, NODE_FIELDS, localId, f.keyScope, !f.inCandidate);
        if (inputs == null || use == null) {
            return false;
        }
        emit(sink, new Node.OpNode(globalId, m.pos(), inputs, use, f.guards));
        return true;
    }

    private OpDef opDef(YNode opNode) {
        if (!(opNode instanceof YNode.Scalar s) || s.type() != YNode.ScalarType.STRING) {
            diag.error(opNode.pos(), "op must be an op name, got " + opNode.kindName());
            return null;
        }
        OpDef def = OpDef.named(s.text());
        if (def == null) {
            diag.error(s.pos(), "unknown op '" + s.text() + "'", Suggest.hint(s.text(), OpDef.names()));
        }
        return def;
    }

    private String decisionKey(YNode.Mapping m, Frame f, String localId, String kind) {
        if (m.get("key") != null) {
            String k = fields.key(m.get("key"));
            return k == null ? null : f.keyScope + k;
        }
        if (localId == null) {
            diag.error(m.pos(), (kind.startsWith("i") ? "an " : "a ") + kind + " node needs an id: its decision key derives from it");
            return null;
        }
        return f.keyScope + localId;
    }

    private boolean layerChoice(YNode.Mapping m, Frame f, List<Node> sink, String localId, String globalId) {
        reportUnknown(m, CHOICE_FIELDS, "a layer-choice node");
        String key = decisionKey(m, f, localId, "layer-choice");
        List<Ref> inputs = inputs(m, f, localId, false, "a layer choice");
        YNode choices = m.get("layer-choice");
        Map<String, Node.Candidate> candidates = new LinkedHashMap<>();
        boolean ok = true;
        if (choices instanceof YNode.Mapping cm && !cm.entries().isEmpty()) {
            for (YNode.Entry e : cm.entries().values()) {
                Node.Candidate c = candidate(e.key(), e.keyPos(), e.value(), f);
                ok &= c != null;
                if (c != null) {
                    candidates.put(e.key(), c);
                }
            }
        } else if (choices instanceof YNode.Sequence seq && !seq.items().isEmpty()) {
            for (int i = 0; i < seq.items().size(); i++) {
                Node.Candidate c = candidate(Integer.toString(i), seq.items().get(i).pos(), seq.items().get(i), f);
                ok &= c != null;
                if (c != null) {
                    candidates.put(c.name(), c);
                }
            }
        } else {
            diag.error(choices.pos(), "layer-choice needs at least one candidate, as a mapping (name: op) or a list");
            ok = false;
        }
        if (!ok || key == null || inputs == null) {
            return false;
        }
        emit(sink, new Node.LayerChoiceNode(globalId, m.pos(), inputs, key, Collections.unmodifiableMap(candidates), f.guards));
        return true;
    }

    /** A candidate: an op, a block use, or a list of them, read as a small fixed graph. */
    private Node.Candidate candidate(String name, Pos pos, YNode value, Frame f) {
        List<YNode> steps = value instanceof YNode.Sequence seq ? seq.items() : List.of(value);
        if (steps.isEmpty()) {
            diag.error(value.pos(), "candidate '" + name + "' is an empty list", "write {op: identity} for a candidate that does nothing");
            return null;
        }
        for (YNode step : steps) {
            if (step instanceof YNode.Mapping sm && KINDS.stream().noneMatch(k -> sm.get(k) != null)) {
                diag.error(step.pos(), "candidate '" + name + "' must be an op ({op: ...}), a block use ({block: ...}) or a list of them, got a mapping without op");
                return null;
            }
        }
        Frame cf = new Frame(f.idPrefix + name + "/", "", Map.of(Ref.MODEL_INPUT, Ref.MODEL_INPUT), List.of(), f.blockStack,
                true, true, null, null, Ref.MODEL_INPUT);
        List<Node> nodes = new ArrayList<>();
        readNodes(steps, cf, nodes);
        List<Node.OpNode> ops = new ArrayList<>();
        for (Node n : nodes) {
            if (!(n instanceof Node.OpNode op)) {
                return null;
            }
            ops.add(op);
        }
        return new Node.Candidate(name, pos, Collections.unmodifiableList(ops));
    }

    private boolean inputChoice(YNode.Mapping m, Frame f, List<Node> sink, String localId, String globalId) {
        for (String k : List.of("input", "inputs")) {
            if (m.get(k) != null) {
                diag.error(m.entries().get(k).keyPos(), "an input-choice reads the nodes of its 'from', not '" + k + "'");
                return false;
            }
        }
        reportUnknown(m, INPUT_CHOICE_FIELDS, "an input-choice node");
        String key = decisionKey(m, f, localId, "input-choice");
        YNode.Mapping cm = MapReader.expectMapping(m.get("input-choice"), diag, "input-choice");
        if (cm == null) {
            return false;
        }
        MapReader r = new MapReader(cm, diag, "input-choice", List.of("from", "n-chosen", "reduction"));
        YNode from = r.node("from");
        if (!(from instanceof YNode.Sequence seq) || seq.items().isEmpty()) {
            diag.error(from == null ? cm.pos() : from.pos(), "input-choice needs from: [ids...], a non-empty list of earlier nodes");
            return false;
        }
        List<Ref> refs = refs(seq.items(), f, localId, "a 'from' entry", false);
        if (refs == null) {
            return false;
        }
        Integer nChosen = null;
        YNode n = r.node("n-chosen");
        boolean ok = true;
        if (n != null && !(n instanceof YNode.Scalar s && s.text().equals("any") && s.type() == YNode.ScalarType.STRING)) {
            Long v = MapReader.integerValue(n, "n-chosen", diag);
            if (v == null) {
                ok = false;
            } else if (v < 1 || v > refs.size()) {
                diag.error(n.pos(), "n-chosen must be between 1 and " + refs.size() + " (the number of 'from' nodes) or 'any', got " + v);
                ok = false;
            } else {
                nChosen = v.intValue();
            }
        }
        String red = r.oneOf("reduction", List.of("sum", "mean", "concat"), "sum");
        Node.Reduction reduction = Node.Reduction.valueOf(red.toUpperCase(java.util.Locale.ROOT));
        if (reduction == Node.Reduction.CONCAT && nChosen == null && ok) {
            diag.error(r.node("reduction").pos(), "reduction concat needs a fixed n-chosen: the output width depends on it");
            ok = false;
        }
        if (!ok || key == null) {
            return false;
        }
        List<String> names = seq.items().stream().map(i -> ((YNode.Scalar) i).text()).map(name -> name.equals("in") ? "in0" : name).toList();
        emit(sink, new Node.InputChoiceNode(globalId, m.pos(), refs, names, key, nChosen, reduction, f.guards));
        return true;
    }

    // ---- blocks and repeats ----

    /** The block a node uses, checked against recursion; null with an error. */
    private BlockDef blockOf(YNode nameNode, Frame f) {
        if (!(nameNode instanceof YNode.Scalar s) || s.type() != YNode.ScalarType.STRING) {
            diag.error(nameNode.pos(), "a block use must name a block, got " + nameNode.kindName());
            return null;
        }
        BlockDef def = blocks.get(s.text());
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
    private Map<String, YNode> arguments(YNode.Mapping m, BlockDef def, List<String> nodeFields) {
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
    private YNode substitute(YNode node, Map<String, YNode> values, BlockDef def) {
        if (++copied > MAX_COPIED_VALUES) {
            throw new TooLarge(String.format(java.util.Locale.ROOT, "expanding blocks copies more than %,d values of their nodes",
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

    private String scope(YNode.Mapping m, String localId, Frame f, BlockDef def) {
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

    private static final List<String> INSTANCE_FIELDS = List.of("id", "block", "input", "inputs", "scope");

    private boolean instance(YNode.Mapping m, Frame f, List<Node> sink, String localId, String globalId) {
        BlockDef def = blockOf(m.get("block"), f);
        if (def == null) {
            return false;
        }
        if (localId == null && !f.inCandidate) {
            diag.error(m.pos(), "a block use needs an id: the ids and keys of its nodes derive from it");
            return false;
        }
        Map<String, YNode> args = arguments(m, def, INSTANCE_FIELDS);
        List<Ref> inputs = m.get("input") == null && m.get("inputs") == null
                ? List.of(new Ref(f.previous, m.pos())) : inputs(m, f, localId, true, null);
        String scope = f.inCandidate ? "" : scope(m, localId, f, def);
        if (args == null || inputs == null || scope == null) {
            return false;
        }
        String name = localId != null ? localId : globalId.substring(globalId.lastIndexOf('/') + 1);
        expand(def, args, inputs, f, f.idPrefix + name + "/", f.inCandidate ? "" : f.keyScope + scope + "/", f.guards, globalId, sink);
        return true;
    }

    private void expand(BlockDef def, Map<String, YNode> args, List<Ref> inputs, Frame f, String idPrefix, String keyScope,
                        List<Node.Guard> guards, String outputId, List<Node> sink) {
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            names.put("in" + i, inputs.get(i).id());
        }
        names.put("in", inputs.get(0).id());
        List<String> stack = new ArrayList<>(f.blockStack);
        stack.add(def.name());
        Frame child = new Frame(idPrefix, keyScope, names, guards, List.copyOf(stack), f.inCandidate, false, outputId,
                def.name(), inputs.get(0).id());
        List<YNode> nodes = new ArrayList<>();
        for (YNode item : def.nodes().items()) {
            // An unknown $PARAM is an error of the node it is written in.
            String outer = diag.inNode(nodeLabel(item, child));
            try {
                nodes.add(substitute(item, args, def));
            } finally {
                diag.inNode(outer);
            }
        }
        readNodes(nodes, child, sink);
    }

    private static final List<String> REPEAT_FIELDS = List.of("id", "repeat", "depth", "input", "inputs", "scope");

    private boolean repeat(YNode.Mapping m, Frame f, List<Node> sink, String localId, String globalId) {
        BlockDef def = blockOf(m.get("repeat"), f);
        if (def == null) {
            return false;
        }
        if (localId == null) {
            diag.error(m.pos(), "a repeat needs an id: the ids and keys of its copies derive from it");
            return false;
        }
        Map<String, YNode> args = arguments(m, def, REPEAT_FIELDS);
        List<Ref> inputs = inputs(m, f, localId, false, "a repeat");
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
            emit(sink, new Node.DepthSelectNode(globalId, m.pos(), chosen, key, depths, f.guards));
        }
        return true;
    }
}

package org.nas4j.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.nas4j.space.Suggest;

/**
 * Reads the model's nodes, expanding block instances and repeats into one flat list of nodes
 * with unique ids, scoped keys and explicit inputs. Every structural error is recorded; a node
 * that cannot be read becomes an {@link Node.InvalidNode} so that reading and checking go on.
 * Here each kind of node is read (op, layer choice and its candidates, input choice);
 * {@link BlockExpander} expands block uses and repeats, {@link IdResolver} resolves ids.
 */
final class ModelReader {
    /** Names a block parameter may not take: they are fields of the node that uses the block. */
    static final List<String> RESERVED_PARAMS = List.of("id", "scope", "inputs", "input", "block", "key", "repeat", "depth");
    /** What an id, a block name or a block parameter's name may look like. */
    static final Pattern ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    /** Most nodes once blocks, repeats and candidates are expanded: a few uses of nested blocks multiply. */
    static final int MAX_NODES = 100_000;
    private static final List<String> KINDS = List.of("op", "layer-choice", "input-choice", "block", "repeat");
    private static final List<String> NODE_FIELDS = List.of("id", "input", "inputs", "key");
    private static final List<String> CHOICE_FIELDS = List.of("id", "input", "inputs", "key", "layer-choice");
    private static final List<String> INPUT_CHOICE_FIELDS = List.of("id", "key", "input-choice");

    /** A block definition: its parameters (a null value means required) and its nodes. */
    record BlockDef(String name, Pos pos, Map<String, YNode> params, YNode.Sequence nodes) { }

    private final Diagnostics diag;
    private final FieldReader fields;
    private final IdResolver ids;
    private final BlockExpander expander;
    private int anonymous;
    /** Nodes made so far (candidates' ops and nodes later dropped after errors included): the work done. */
    private int made;
    /** The model's node being read, where a spec that expands too far is reported. */
    private YNode topNode;

    /** Expansion went past a limit: reading stops at once, the error names the model's node that got there. */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String hint;

        TooLarge(String message, String hint) {
            super(message, null, false, false);
            this.hint = hint;
        }
    }

    /** A reader recording its errors in {@code diag}, for a spec with these {@code blocks}. */
    ModelReader(Diagnostics diag, Map<String, BlockDef> blocks) {
        this.diag = diag;
        this.fields = new FieldReader(diag);
        this.ids = new IdResolver(diag);
        this.expander = new BlockExpander(this, diag, fields, ids, blocks);
    }

    /**
     * Reads the model's list of nodes into a flat list; null when expanding it went past a limit
     * ({@link #MAX_NODES}, {@link BlockExpander#MAX_COPIED_VALUES}): then the error is recorded
     * and nothing more is read.
     */
    List<Node> model(YNode.Sequence seq) {
        ReadFrame top = new ReadFrame("", "", Map.of(Ref.MODEL_INPUT, Ref.MODEL_INPUT), List.of(), List.of(),
                false, false, null, null, Ref.MODEL_INPUT);
        List<Node> nodes = new ArrayList<>();
        ids.declare(seq.items(), top);
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

    /** Reads a list of nodes in a frame into {@code sink}, the last one named {@code f.outputId} when that is set. */
    void readNodes(List<YNode> items, ReadFrame f, List<Node> sink) {
        if (!f.candidateSteps) {
            // Id errors name their id: no node context, which would be the enclosing block use.
            String outer = diag.inNode(null);
            try {
                ids.declare(items, f);
            } finally {
                diag.inNode(outer);
            }
        }
        for (int i = 0; i < items.size(); i++) {
            readNode(items.get(i), f, sink, i == items.size() - 1 ? f.outputId : null);
        }
    }

    /** Adds a node to the model (or a candidate), counting it against {@link #MAX_NODES}. */
    void emit(List<Node> sink, Node node) {
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
    static String nodeLabel(YNode item, ReadFrame f) {
        if (item instanceof YNode.Mapping m && m.get("id") instanceof YNode.Scalar s && s.type() != YNode.ScalarType.NULL) {
            return "node '" + s.text() + "'" + (f.blockName == null ? "" : " in block '" + f.blockName + "'");
        }
        return null;
    }

    /** Reads one node; its errors name it. A candidate step has no id: its errors name the choice node. */
    private void readNode(YNode item, ReadFrame f, List<Node> sink, String forcedId) {
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

    private void readNodeAs(YNode item, ReadFrame f, List<Node> sink, String forcedId) {
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
        String localId = ids.local(m, f);
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
            case "block" -> expander.instance(m, f, sink, localId, globalId);
            default -> expander.repeat(m, f, sink, localId, globalId);
        };
        if (!ok) {
            sink.subList(before, sink.size()).clear();
            emitInvalid(sink, f, localId, globalId, m.pos());
            return;
        }
        define(f, localId, globalId);
    }

    private void define(ReadFrame f, String localId, String globalId) {
        if (localId != null) {
            f.defined.put(localId, globalId);
        }
        f.previous = globalId;
    }

    private void emitInvalid(List<Node> sink, ReadFrame f, String localId, String globalId, Pos pos) {
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

    // ---- node kinds ----

    private boolean opNode(YNode.Mapping m, ReadFrame f, List<Node> sink, String localId, String globalId) {
        if (m.get("key") != null) {
            diag.error(m.entries().get("key").keyPos(), "'key' names the decision of a layer-choice or input-choice",
                    "for a value choice write {choice: [...], key: NAME}");
            return false;
        }
        Op def = opDef(m.get("op"));
        if (def == null) {
            return false;
        }
        if (f.candidateSteps && def.merge()) {
            diag.error(m.get("op").pos(), def.specName() + " merges named inputs and cannot be a candidate step",
                    "put it in a block and use the block as the candidate");
            return false;
        }
        List<Ref> inputs = ids.inputs(m, f, localId, def.merge(), def.specName());
        OpUse use = fields.opUse(m, def, NODE_FIELDS, localId, f.keyScope, !f.inCandidate);
        if (inputs == null || use == null) {
            return false;
        }
        emit(sink, new Node.OpNode(globalId, m.pos(), inputs, use, f.guards));
        return true;
    }

    private Op opDef(YNode opNode) {
        if (!(opNode instanceof YNode.Scalar s) || s.type() != YNode.ScalarType.STRING) {
            diag.error(opNode.pos(), "op must be an op name, got " + opNode.kindName());
            return null;
        }
        Op def = OpDef.named(s.text());
        if (def == null) {
            def = Extensions.ops().get(s.text());
        }
        if (def == null) {
            List<String> known = new ArrayList<>(OpDef.names());
            known.addAll(Extensions.ops().keySet());
            diag.error(s.pos(), "unknown op '" + s.text() + "'", Suggest.hint(s.text(), known));
        }
        return def;
    }

    private String decisionKey(YNode.Mapping m, ReadFrame f, String localId, String kind) {
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

    private boolean layerChoice(YNode.Mapping m, ReadFrame f, List<Node> sink, String localId, String globalId) {
        reportUnknown(m, CHOICE_FIELDS, "a layer-choice node");
        String key = decisionKey(m, f, localId, "layer-choice");
        List<Ref> inputs = ids.inputs(m, f, localId, false, "a layer choice");
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
    private Node.Candidate candidate(String name, Pos pos, YNode value, ReadFrame f) {
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
        ReadFrame cf = new ReadFrame(f.idPrefix + name + "/", "", Map.of(Ref.MODEL_INPUT, Ref.MODEL_INPUT), List.of(), f.blockStack,
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

    private boolean inputChoice(YNode.Mapping m, ReadFrame f, List<Node> sink, String localId, String globalId) {
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
        List<Ref> refs = ids.refs(seq.items(), f, localId, "a 'from' entry", false);
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
}

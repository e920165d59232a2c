package org.nas4j.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a YAML tree into a typed {@link Spec}, recording every structural error: unknown or
 * missing fields, wrong types, values out of range, bad ids and references. Reading goes on
 * after an error so that users see them all at once.
 */
public final class SpecParser {
    /** The only spec format version this nas4j reads. */
    public static final int FORMAT_VERSION = 1;

    private static final List<String> TOP_FIELDS = List.of("nas", "name", "input", "data", "training", "search", "model");
    private static final List<String> NODE_FIELDS = List.of("id", "input", "inputs", "key", "op", "layer-choice", "input-choice");
    private static final List<String> NODE_KINDS = List.of("op", "layer-choice", "input-choice");
    private static final Pattern ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./-]*");

    private final String file;
    private final Diagnostics diag;
    /** Ids of the model's nodes: id -> index of its node. */
    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<String, Pos> idPos = new HashMap<>();
    private boolean modelSound = true;

    private SpecParser(String file, Diagnostics diag) {
        this.file = file;
        this.diag = diag;
    }

    /** The outcome: the spec (null when the file is unusable) and whether its model may be shape-checked. */
    public record Result(Spec spec, boolean modelSound) { }

    /** Parses a YAML tree; errors go to {@code diag}. */
    public static Result parse(String file, YNode root, Diagnostics diag) {
        SpecParser p = new SpecParser(file, diag);
        Spec spec = p.spec(root);
        return new Result(spec, spec != null && p.modelSound);
    }

    private Spec spec(YNode root) {
        YNode.Mapping top = MapReader.expectMapping(root, diag, "a spec");
        if (top == null) {
            return null;
        }
        MapReader r = new MapReader(top, diag, "", TOP_FIELDS);
        if (!r.has("nas")) {
            diag.error(top.pos(), "missing 'nas: " + FORMAT_VERSION + "' (the spec format version)");
        } else {
            Integer version = r.integer("nas", 1, null);
            if (version != null && version != FORMAT_VERSION) {
                diag.error(r.node("nas").pos(), "spec format version " + version + " is not supported; this nas4j reads version " + FORMAT_VERSION);
            }
        }
        String name = r.string("name", baseName(file));
        Shape input = inputShape(r.node("input"), top.pos());
        Spec.DataSpec data = data(r.node("data"), top.pos());
        Spec.TrainingSpec training = training(r.mapping("training"));
        Spec.SearchSpec search = search(r.mapping("search"));
        List<Node> model = model(r.node("model"), top.pos());
        return new Spec(file, name, input, data, training, search, model);
    }

    private static String baseName(String file) {
        String base = java.nio.file.Path.of(file).getFileName().toString();
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }

    private Shape inputShape(YNode node, Pos topPos) {
        if (node == null) {
            diag.error(topPos, "missing 'input': the shape of one sample, e.g. input: [1, 28, 28]");
            modelSound = false;
            return null;
        }
        if (!(node instanceof YNode.Sequence seq) || (seq.items().size() != 1 && seq.items().size() != 3)) {
            diag.error(node.pos(), "input must be [features] or [channels, height, width], got " + describe(node));
            modelSound = false;
            return null;
        }
        List<Integer> dims = new ArrayList<>();
        for (YNode item : seq.items()) {
            Long v = MapReader.integerValue(item, "an input dimension", diag);
            if (v == null || v < 1 || v > 1_000_000) {
                if (v != null) {
                    diag.error(item.pos(), "an input dimension must be between 1 and 1000000, got " + v);
                }
                modelSound = false;
                return null;
            }
            dims.add(v.intValue());
        }
        return new Shape(Collections.unmodifiableList(dims));
    }

    private static String describe(YNode node) {
        return node instanceof YNode.Sequence s ? "a list of " + s.items().size() : node.kindName();
    }

    private Spec.DataSpec data(YNode node, Pos topPos) {
        if (node == null) {
            diag.error(topPos, "missing 'data', e.g. data: {dataset: mnist, batch-size: 64}");
            return null;
        }
        YNode.Mapping m = MapReader.expectMapping(node, diag, "data");
        if (m == null) {
            return null;
        }
        MapReader r = new MapReader(m, diag, "data", List.of("dataset", "path", "batch-size", "limit", "validation"));
        if (!r.has("dataset")) {
            diag.error(m.pos(), "data needs a dataset", "one of " + String.join(", ", Spec.DataSpec.DATASETS));
        }
        String dataset = r.oneOf("dataset", Spec.DataSpec.DATASETS, null);
        String path = r.string("path", null);
        if ("idx".equals(dataset) && path == null) {
            diag.error(m.pos(), "dataset idx needs a path: the directory of its IDX files");
        }
        return new Spec.DataSpec(dataset, path, r.integer("batch-size", 1, 64), r.integer("limit", 1, null),
                r.number("validation", 0, false, 0.99, null));
    }

    private Spec.TrainingSpec training(YNode.Mapping m) {
        if (m == null) {
            return new Spec.TrainingSpec(1, new Spec.OptimizerSpec("adam", 0.001, null, null, null));
        }
        MapReader r = new MapReader(m, diag, "training", List.of("epochs", "optimizer"));
        int epochs = r.integer("epochs", 1, 1);
        YNode.Mapping om = r.mapping("optimizer");
        if (om == null) {
            return new Spec.TrainingSpec(epochs, new Spec.OptimizerSpec("adam", 0.001, null, null, null));
        }
        MapReader o = new MapReader(om, diag, "training.optimizer", List.of("type", "lr", "momentum", "nesterov", "weight-decay"));
        String type = o.oneOf("type", Spec.OptimizerSpec.TYPES, "adam");
        return new Spec.TrainingSpec(epochs, new Spec.OptimizerSpec(type, o.number("lr", 0, false, 10, 0.001),
                o.number("momentum", 0, true, 0.999, null), o.bool("nesterov", null),
                o.number("weight-decay", 0, true, 1, null)));
    }

    private Spec.SearchSpec search(YNode.Mapping m) {
        if (m == null) {
            return new Spec.SearchSpec(null, null, null, null, null, null, null, Map.of());
        }
        MapReader r = new MapReader(m, diag, "search", List.of("strategy", "trials", "epochs", "trial", "constraints", "options"));
        String strategy = r.oneOf("strategy", Spec.SearchSpec.STRATEGIES, null);
        Integer trials = r.integer("trials", 1, null);
        Integer epochs = r.integer("epochs", 1, null);
        Integer trialEpochs = null;
        Integer trialLimit = null;
        YNode.Mapping tm = r.mapping("trial");
        if (tm != null) {
            MapReader t = new MapReader(tm, diag, "search.trial", List.of("epochs", "limit"));
            trialEpochs = t.integer("epochs", 1, null);
            trialLimit = t.integer("limit", 1, null);
        }
        Long maxParams = null;
        Long maxFlops = null;
        YNode.Mapping cm = r.mapping("constraints");
        if (cm != null) {
            MapReader c = new MapReader(cm, diag, "search.constraints", List.of("max-params", "max-flops"));
            maxParams = c.longInteger("max-params", 1);
            maxFlops = c.longInteger("max-flops", 1);
        }
        Map<String, String> options = new LinkedHashMap<>();
        YNode.Mapping opts = r.mapping("options");
        if (opts != null) {
            for (YNode.Entry e : opts.entries().values()) {
                if (e.value() instanceof YNode.Scalar s && s.type() != YNode.ScalarType.NULL) {
                    options.put(e.key(), s.text());
                } else {
                    diag.error(e.value().pos(), "search.options." + e.key() + " must be a single value, got " + e.value().kindName());
                }
            }
        }
        return new Spec.SearchSpec(strategy, trials, epochs, trialEpochs, trialLimit, maxParams, maxFlops,
                Collections.unmodifiableMap(options));
    }

    // ---- the model ----

    private List<Node> model(YNode node, Pos topPos) {
        if (node == null) {
            diag.error(topPos, "missing 'model': the list of nodes");
            modelSound = false;
            return List.of();
        }
        if (!(node instanceof YNode.Sequence seq) || seq.items().isEmpty()) {
            diag.error(node.pos(), "model must be a non-empty list of nodes, got " + describe(node));
            modelSound = false;
            return List.of();
        }
        collectIds(seq.items());
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            YNode item = seq.items().get(i);
            Node n = node(item, i);
            if (n == null) {
                int index = i;
                String id = ids.entrySet().stream().filter(e -> e.getValue() == index).map(Map.Entry::getKey)
                        .findFirst().orElse(null);
                n = new Node.InvalidNode(id, item.pos());
            }
            nodes.add(n);
        }
        return Collections.unmodifiableList(nodes);
    }

    private void collectIds(List<YNode> items) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof YNode.Mapping m && m.get("id") instanceof YNode.Scalar s
                    && s.type() != YNode.ScalarType.NULL) {
                String id = s.text();
                if (!ID.matcher(id).matches()) {
                    diag.error(s.pos(), "id '" + id + "' is not a valid name", "use letters, digits, '_' and '-', starting with a letter or '_'");
                } else if (id.equals(Ref.MODEL_INPUT)) {
                    diag.error(s.pos(), "id 'input' is reserved: it names the model's input");
                } else if (ids.containsKey(id)) {
                    Pos first = idPos.get(id);
                    diag.error(s.pos(), "duplicate id '" + id + "' (first at line " + first.line() + ", column " + first.column() + ")");
                } else {
                    ids.put(id, i);
                    idPos.put(id, s.pos());
                }
            }
        }
    }

    private Node node(YNode item, int index) {
        YNode.Mapping m = MapReader.expectMapping(item, diag, "a model node");
        if (m == null) {
            return null;
        }
        List<String> kinds = NODE_KINDS.stream().filter(k -> m.get(k) != null).toList();
        if (kinds.size() != 1) {
            if (kinds.isEmpty()) {
                reportUnknownFields(m, NODE_FIELDS);
            }
            diag.error(m.pos(), kinds.isEmpty() ? "a node needs one of op, layer-choice or input-choice"
                    : "a node has exactly one of op, layer-choice or input-choice, got " + String.join(" and ", kinds));
            return null;
        }
        String id = null;
        if (m.get("id") != null) {
            if (!(m.get("id") instanceof YNode.Scalar s) || s.type() == YNode.ScalarType.NULL) {
                diag.error(m.get("id").pos(), "id must be a name, got " + m.get("id").kindName());
                return null;
            }
            id = s.text();
            if (!ids.containsKey(id) || ids.get(id) != index) {
                return null; // an invalid or duplicate id, reported by collectIds
            }
        }
        return switch (kinds.get(0)) {
            case "op" -> opNode(m, id, index);
            case "layer-choice" -> layerChoiceNode(m, id, index);
            default -> inputChoiceNode(m, id, index);
        };
    }

    private void reportUnknownFields(YNode.Mapping m, List<String> allowed) {
        for (YNode.Entry e : m.entries().values()) {
            if (!allowed.contains(e.key())) {
                diag.error(e.keyPos(), "unknown field '" + e.key() + "' in a node", Suggest.hint(e.key(), allowed));
            }
        }
    }

    private Node opNode(YNode.Mapping m, String id, int index) {
        if (m.get("key") != null) {
            diag.error(m.entries().get("key").keyPos(), "'key' names the decision of a layer-choice or input-choice",
                    "for a value choice write {choice: [...], key: NAME}");
        }
        OpDef def = opDef(m.get("op"));
        if (def == null) {
            return null;
        }
        List<Ref> inputs = inputs(m, index, def);
        OpUse use = opUse(m, def, id, true);
        if (inputs == null || use == null) {
            return null;
        }
        return new Node.OpNode(id, m.pos(), inputs, use);
    }

    private OpDef opDef(YNode opNode) {
        if (!(opNode instanceof YNode.Scalar s) || s.type() != YNode.ScalarType.STRING) {
            diag.error(opNode.pos(), "op must be an op name, got " + opNode.kindName());
            return null;
        }
        OpDef def = Ops.get(s.text());
        if (def == null) {
            diag.error(s.pos(), "unknown op '" + s.text() + "'", Suggest.hint(s.text(), Ops.names()));
        }
        return def;
    }

    /** The node's inputs: named ones, or the previous node (the model's input for the first node). */
    private List<Ref> inputs(YNode.Mapping m, int index, OpDef def) {
        YNode one = m.get("input");
        YNode many = m.get("inputs");
        if (one != null && many != null) {
            diag.error(m.entries().get("inputs").keyPos(), "give either 'input' or 'inputs', not both");
            return null;
        }
        boolean merge = def != null && def.merge();
        if (one == null && many == null) {
            if (merge) {
                diag.error(m.pos(), def.name() + " merges named inputs: give inputs: [a, b]");
                return null;
            }
            return List.of();
        }
        List<YNode> items = one != null ? List.of(one)
                : many instanceof YNode.Sequence seq ? seq.items() : null;
        if (items == null || items.isEmpty()) {
            diag.error(many.pos(), "inputs must be a non-empty list of node ids, got " + describe(many));
            return null;
        }
        if (!merge && items.size() > 1) {
            diag.error(many.pos(), (def == null ? "this node" : def.name()) + " takes one input, got " + items.size(),
                    "merge several inputs with add, concat or mean");
            return null;
        }
        return refs(items, index, "an input");
    }

    private List<Ref> refs(List<YNode> items, int index, String what) {
        List<Ref> refs = new ArrayList<>();
        boolean ok = true;
        for (YNode item : items) {
            if (!(item instanceof YNode.Scalar s) || s.type() == YNode.ScalarType.NULL) {
                diag.error(item.pos(), what + " must be a node id, got " + item.kindName());
                ok = false;
                continue;
            }
            String target = s.text();
            Integer at = ids.get(target);
            if (target.equals(Ref.MODEL_INPUT)) {
                refs.add(new Ref(target, s.pos()));
            } else if (at == null) {
                List<String> known = new ArrayList<>(List.of(Ref.MODEL_INPUT));
                ids.forEach((k, v) -> {
                    if (v < index) {
                        known.add(k);
                    }
                });
                diag.error(s.pos(), "no node has id '" + target + "'", Suggest.hint(target, known));
                ok = false;
            } else if (at == index) {
                diag.error(s.pos(), "a node cannot read itself ('" + target + "')");
                ok = false;
            } else if (at > index) {
                diag.error(s.pos(), "'" + target + "' is defined later (line " + idPos.get(target).line()
                        + "); a node can only read earlier nodes");
                ok = false;
            } else if (refs.stream().anyMatch(r -> r.id().equals(target))) {
                diag.error(s.pos(), "'" + target + "' is listed twice");
                ok = false;
            } else {
                refs.add(new Ref(target, s.pos()));
            }
        }
        return ok ? Collections.unmodifiableList(refs) : null;
    }

    /**
     * Reads an op's fields from a mapping; {@code node} fields are allowed beside them when the
     * op is a node of its own, not a candidate.
     */
    private OpUse opUse(YNode.Mapping m, OpDef def, String id, boolean isNode) {
        Map<String, FieldValue> fields = new LinkedHashMap<>();
        boolean ok = true;
        for (YNode.Entry e : m.entries().values()) {
            String k = e.key();
            if (k.equals("op") || (isNode && NODE_FIELDS.contains(k))) {
                continue;
            }
            if (!isNode && Set.of("id", "input", "inputs", "key").contains(k)) {
                diag.error(e.keyPos(), "'" + k + "' is not allowed inside a layer-choice candidate",
                        "a candidate reads the choice node's input");
                ok = false;
                continue;
            }
            FieldDef f = def.field(k).orElse(null);
            if (f == null) {
                List<String> valid = new ArrayList<>(def.fields().stream().map(FieldDef::name).toList());
                if (isNode) {
                    valid.addAll(NODE_FIELDS);
                }
                diag.error(e.keyPos(), "unknown field '" + k + "' for op " + def.name(),
                        valid.isEmpty() ? def.name() + " has no fields" : Suggest.hint(k, valid));
                ok = false;
                continue;
            }
            FieldValue v = fieldValue(f, e.value(), id, isNode);
            if (v == null) {
                ok = false;
            } else {
                fields.put(k, v);
            }
        }
        for (FieldDef f : def.fields()) {
            if (f.required() && !fields.containsKey(f.name()) && m.get(f.name()) == null) {
                diag.error(m.pos(), def.name() + " needs '" + f.name() + "'");
                ok = false;
            }
        }
        return ok ? new OpUse(def, Collections.unmodifiableMap(fields), m.pos()) : null;
    }

    private FieldValue fieldValue(FieldDef f, YNode value, String id, boolean choiceAllowed) {
        if (value instanceof YNode.Mapping cm) {
            return valueChoice(f, cm, id, choiceAllowed);
        }
        Object v = fixedValue(f, value, f.name());
        return v == null ? null : new FieldValue.Fixed(v, value.pos());
    }

    private Object fixedValue(FieldDef f, YNode value, String what) {
        if (value instanceof YNode.Scalar s) {
            switch (f.type()) {
                case BOOL -> {
                    if (s.type() == YNode.ScalarType.BOOL) {
                        return Boolean.parseBoolean(s.text().toLowerCase(java.util.Locale.ROOT));
                    }
                }
                case INT, INT_OR_SAME -> {
                    if (f.type() == FieldType.INT_OR_SAME && s.type() == YNode.ScalarType.STRING && s.text().equals("same")) {
                        return "same";
                    }
                    if (s.type() == YNode.ScalarType.INT) {
                        Long v = MapReader.integerValue(s, what, diag);
                        return v == null ? null : inRange(f, s, v, v.intValue());
                    }
                }
                case FLOAT -> {
                    if (s.type() == YNode.ScalarType.INT || s.type() == YNode.ScalarType.FLOAT) {
                        Double v = MapReader.numberValue(s, what, diag);
                        return v == null ? null : inRange(f, s, v, v);
                    }
                }
                default -> throw new IllegalStateException(f.type().name());
            }
        }
        String expected = switch (f.type()) {
            case BOOL -> "true or false";
            case INT -> "a whole number";
            case INT_OR_SAME -> "a whole number or 'same'";
            case FLOAT -> "a number";
        };
        diag.error(value.pos(), what + " must be " + expected + ", got " + value.kindName());
        return null;
    }

    private Object inRange(FieldDef f, YNode at, double v, Object value) {
        if (v > Integer.MAX_VALUE && f.type() != FieldType.FLOAT) {
            diag.error(at.pos(), f.name() + " is too large: " + (long) v);
            return null;
        }
        String problem = f.rangeProblem(v);
        if (problem != null) {
            diag.error(at.pos(), problem);
            return null;
        }
        return value;
    }

    private FieldValue valueChoice(FieldDef f, YNode.Mapping cm, String id, boolean choiceAllowed) {
        if (!choiceAllowed) {
            diag.error(cm.pos(), "a value choice inside a layer-choice candidate is not allowed in spec version 1",
                    "make one candidate per value");
            return null;
        }
        if (!f.type().numeric()) {
            diag.error(cm.pos(), f.name() + " takes true or false; only numeric fields take a value choice");
            return null;
        }
        MapReader r = new MapReader(cm, diag, "a value choice", List.of("choice", "key"));
        YNode list = r.node("choice");
        if (!(list instanceof YNode.Sequence seq) || seq.items().isEmpty()) {
            diag.error(list == null ? cm.pos() : list.pos(), "a value choice needs choice: [v1, v2, ...] with at least one value");
            return null;
        }
        FieldDef numeric = f.type() == FieldType.INT_OR_SAME
                ? new FieldDef(f.name(), FieldType.INT, 0, false, f.min(), f.max(), f.maxExclusive()) : f;
        List<Number> values = new ArrayList<>();
        boolean ok = true;
        for (YNode item : seq.items()) {
            Object v = fixedValue(numeric, item, "a value of " + f.name());
            if (v == null) {
                ok = false;
            } else if (values.contains(v)) {
                diag.error(item.pos(), "value " + v + " is listed twice");
                ok = false;
            } else {
                values.add((Number) v);
            }
        }
        String key = r.has("key") ? key(r.node("key")) : (id == null ? null : id + "." + f.name());
        if (key == null) {
            if (!r.has("key")) {
                diag.error(cm.pos(), "a value choice needs its node to have an id (its key is ID." + f.name() + ") or a key: NAME");
            }
            return null;
        }
        return ok ? new FieldValue.Choice(Collections.unmodifiableList(values), key, cm.pos()) : null;
    }

    private String key(YNode node) {
        if (node instanceof YNode.Scalar s && s.type() != YNode.ScalarType.NULL && KEY.matcher(s.text()).matches()) {
            return s.text();
        }
        diag.error(node.pos(), "a key must be a name of letters, digits, '_', '.', '/' and '-', got " + node.kindName());
        return null;
    }

    private String decisionKey(YNode.Mapping m, String id, String kind) {
        if (m.get("key") != null) {
            return key(m.get("key"));
        }
        if (id == null) {
            diag.error(m.pos(), (kind.startsWith("i") ? "an " : "a ") + kind + " node needs an id: its decision key derives from it");
        }
        return id;
    }

    private Node layerChoiceNode(YNode.Mapping m, String id, int index) {
        reportUnknownFields(m, List.of("id", "input", "inputs", "key", "layer-choice"));
        String key = decisionKey(m, id, "layer-choice");
        List<Ref> inputs = inputs(m, index, null);
        YNode choices = m.get("layer-choice");
        Map<String, Node.Candidate> candidates = new LinkedHashMap<>();
        boolean ok = true;
        if (choices instanceof YNode.Mapping cm && !cm.entries().isEmpty()) {
            for (YNode.Entry e : cm.entries().values()) {
                Node.Candidate c = candidate(e.key(), e.keyPos(), e.value());
                ok &= c != null;
                if (c != null) {
                    candidates.put(e.key(), c);
                }
            }
        } else if (choices instanceof YNode.Sequence seq && !seq.items().isEmpty()) {
            for (int i = 0; i < seq.items().size(); i++) {
                YNode item = seq.items().get(i);
                Node.Candidate c = candidate(Integer.toString(i), item.pos(), item);
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
            return null;
        }
        return new Node.LayerChoiceNode(id, m.pos(), inputs, key, Collections.unmodifiableMap(candidates));
    }

    private Node.Candidate candidate(String name, Pos pos, YNode value) {
        List<YNode> items = value instanceof YNode.Sequence seq ? seq.items() : List.of(value);
        if (items.isEmpty()) {
            diag.error(value.pos(), "candidate '" + name + "' is an empty list", "write {op: identity} for a candidate that does nothing");
            return null;
        }
        List<OpUse> ops = new ArrayList<>();
        for (YNode item : items) {
            if (item instanceof YNode.Mapping im && (im.get("layer-choice") != null || im.get("input-choice") != null)) {
                diag.error(im.pos(), "a choice inside a layer-choice candidate is not allowed in spec version 1",
                        "flatten it into the outer choice's candidates");
                return null;
            }
            if (!(item instanceof YNode.Mapping im) || im.get("op") == null) {
                diag.error(item.pos(), "candidate '" + name + "' must be an op ({op: ...}) or a list of ops, got "
                        + (item instanceof YNode.Mapping ? "a mapping without op" : item.kindName()));
                return null;
            }
            OpDef def = opDef(im.get("op"));
            if (def == null) {
                return null;
            }
            if (def.merge()) {
                diag.error(im.get("op").pos(), def.name() + " merges named inputs and cannot be a candidate");
                return null;
            }
            OpUse use = opUse(im, def, null, false);
            if (use == null) {
                return null;
            }
            ops.add(use);
        }
        return new Node.Candidate(name, pos, Collections.unmodifiableList(ops));
    }

    private Node inputChoiceNode(YNode.Mapping m, String id, int index) {
        reportUnknownFields(m, List.of("id", "key", "input-choice", "input", "inputs"));
        for (String k : List.of("input", "inputs")) {
            if (m.get(k) != null) {
                diag.error(m.entries().get(k).keyPos(), "an input-choice reads the nodes of its 'from', not '" + k + "'");
                return null;
            }
        }
        String key = decisionKey(m, id, "input-choice");
        YNode.Mapping cm = MapReader.expectMapping(m.get("input-choice"), diag, "input-choice");
        if (cm == null) {
            return null;
        }
        MapReader r = new MapReader(cm, diag, "input-choice", List.of("from", "n-chosen", "reduction"));
        YNode from = r.node("from");
        if (!(from instanceof YNode.Sequence seq) || seq.items().isEmpty()) {
            diag.error(from == null ? cm.pos() : from.pos(), "input-choice needs from: [ids...], a non-empty list of earlier nodes");
            return null;
        }
        List<Ref> refs = refs(seq.items(), index, "a 'from' entry");
        if (refs == null) {
            return null;
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
            return null;
        }
        return new Node.InputChoiceNode(id, m.pos(), refs, key, nChosen, reduction);
    }
}

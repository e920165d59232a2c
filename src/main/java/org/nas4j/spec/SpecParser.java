package org.nas4j.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a YAML tree into a typed {@link Spec}, recording every structural error: unknown or
 * missing fields, wrong types, values out of range, bad ids and references. Reading goes on
 * after an error so that users see them all at once.
 */
public final class SpecParser {
    /** The only spec format version this nas4j reads. */
    public static final int FORMAT_VERSION = 1;

    /** A spec's name: letters, digits, '-', '_' and '.', not starting with a dot (never "." or ".."). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    /** Longest name: with a time stamp it must stay a valid file name (255 bytes). */
    static final int MAX_NAME_LENGTH = 100;
    private static final List<String> TOP_FIELDS = List.of("nas", "name", "input", "data", "training", "search", "blocks", "model");

    private final String file;
    private final Diagnostics diag;
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
        String name = name(r);
        SampleShape input = inputShape(r.node("input"), top.pos());
        Spec.DataSpec data = new DataReader(diag).data(r.node("data"), top.pos());
        Spec.TrainingSpec training = training(r.mapping("training"));
        Spec.SearchSpec search = search(r.mapping("search"));
        List<Node> model = model(r.node("model"), top.pos(), blocks(r.mapping("blocks")));
        return new Spec(file, name, input, data, training, search, model);
    }

    /** The spec's name, checked: it becomes part of a directory's name under runs/ and models/. */
    private String name(MapReader r) {
        String written = r.string("name", null);
        if (written == null) {
            return defaultName(file);
        }
        if (!NAME.matcher(written).matches() || written.length() > MAX_NAME_LENGTH) {
            diag.error(r.node("name").pos(), "name '" + shown(written) + "' is not a valid name: it names the directories of runs and models",
                    "use up to " + MAX_NAME_LENGTH + " letters, digits, '-', '_' and '.', not starting with '.'");
            return defaultName(file);
        }
        return written;
    }

    /**
     * The file's base name without its extension, made a valid name: other characters become
     * '-' and leading dots go (a file {@code .x.yaml} would name a hidden directory), "spec" when
     * nothing is left.
     */
    private static String defaultName(String file) {
        java.nio.file.Path base = java.nio.file.Path.of(file).getFileName();
        String name = base == null ? "" : base.toString();
        int dot = name.lastIndexOf('.');
        name = dot > 0 ? name.substring(0, dot) : name;
        name = name.replaceAll("[^A-Za-z0-9._-]", "-").replaceFirst("^\\.+", "");
        name = name.length() > MAX_NAME_LENGTH ? name.substring(0, MAX_NAME_LENGTH) : name;
        return name.isEmpty() ? "spec" : name;
    }

    /** A value as it may appear in a one-line message: control characters replaced, long ones cut. */
    private static String shown(String value) {
        String oneLine = value.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() > 40 ? oneLine.substring(0, 40) + "..." : oneLine;
    }

    private SampleShape inputShape(YNode node, Pos topPos) {
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
        SampleShape shape = new SampleShape(Collections.unmodifiableList(dims));
        if (shape.size() > ShapeChecker.MAX_ELEMENTS) {
            diag.error(node.pos(), String.format(java.util.Locale.ROOT, "input %s has %,d values, more than the %,d a tensor may hold",
                    shape, shape.size(), ShapeChecker.MAX_ELEMENTS));
            modelSound = false;
            return null;
        }
        return shape;
    }

    /** How a node is named in messages: "a list of N", or its kind. */
    static String describe(YNode node) {
        return node instanceof YNode.Sequence s ? "a list of " + s.items().size() : node.kindName();
    }

    private Spec.TrainingSpec training(YNode.Mapping m) {
        Spec.TrainingSpec d = Spec.TrainingSpec.defaults();
        if (m == null) {
            return d;
        }
        MapReader r = new MapReader(m, diag, "training", List.of("epochs", "optimizer", "loss", "schedule", "grad-clip", "device"));
        int epochs = r.integer("epochs", 1, 1);
        Spec.OptimizerSpec optimizer = d.optimizer();
        YNode.Mapping om = r.mapping("optimizer");
        if (om != null) {
            MapReader o = new MapReader(om, diag, "training.optimizer", List.of("type", "lr", "momentum", "nesterov", "weight-decay"));
            String type = o.oneOf("type", Spec.OptimizerSpec.TYPES, "adam");
            optimizer = new Spec.OptimizerSpec(type, o.number("lr", 0, false, 10, 0.001),
                    o.number("momentum", 0, true, 0.999, null), o.bool("nesterov", null),
                    o.number("weight-decay", 0, true, 1, null));
        }
        Spec.ScheduleSpec schedule = d.schedule();
        YNode.Mapping sm = r.mapping("schedule");
        if (sm != null) {
            MapReader sr = new MapReader(sm, diag, "training.schedule", List.of("type", "min-lr", "step-epochs", "gamma"));
            schedule = new Spec.ScheduleSpec(sr.oneOf("type", Spec.ScheduleSpec.TYPES, "constant"),
                    sr.number("min-lr", 0, true, 10, 0.0), sr.integer("step-epochs", 1, 1), sr.number("gamma", 0, false, 1, 0.1));
        }
        return new Spec.TrainingSpec(epochs, optimizer, r.oneOf("loss", Spec.TrainingSpec.LOSSES, "cross-entropy"), schedule,
                r.number("grad-clip", 0, false, Double.MAX_VALUE, null), device(r));
    }

    /** training.device: cpu, gpu or gpu:N (whether such a GPU exists is the engine's to say, when training starts). */
    private String device(MapReader r) {
        String d = r.string("device", null);
        if (d != null && !Spec.TrainingSpec.DEVICE.matcher(d).matches()) {
            diag.error(r.node("device").pos(), "training.device must be cpu, gpu or gpu:N, got '" + d + "'");
            return null;
        }
        return d;
    }

    private Spec.SearchSpec search(YNode.Mapping m) {
        if (m == null) {
            return new Spec.SearchSpec(null, null, null, null, null, null, null, Map.of(), null, List.of(), Spec.LatencySpec.DEFAULT, null,
                    1);
        }
        MapReader r = new MapReader(m, diag, "search",
                List.of("strategy", "trials", "epochs", "trial", "constraints", "options", "evaluator", "objectives", "latency",
                        "early-stop", "report-every"));
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
                Collections.unmodifiableMap(options), evaluator(r.mapping("evaluator")),
                r.has("objectives") ? objectives(r.node("objectives")) : List.of(), latency(r.mapping("latency")),
                r.has("early-stop") ? earlyStop(r.node("early-stop")) : null, reportsPerEpoch(r));
    }

    /** search.report-every: a fraction 1/n of an epoch (1, 0.5, 0.25, ...), as n reports per epoch; 1 when absent. */
    private int reportsPerEpoch(MapReader r) {
        Double every = r.number("report-every", 0, false, 1, null);
        if (every == null) {
            return 1;
        }
        long n = Math.round(1 / every);
        if (Math.abs(1 / every - n) > 1e-6 * n || n > 100) {
            diag.error(r.node("report-every").pos(), "search.report-every must be 1/n of an epoch for n up to 100 (1, 0.5, 0.25, 0.2, 0.1, ...),"
                    + " got " + MapReader.fmt(every));
            return 1;
        }
        return (int) n;
    }

    /** search.early-stop: none, median, or {rule: median, warmup: E, min-trials: K}; null: no stopping. */
    private Spec.EarlyStopSpec earlyStop(YNode node) {
        String hint = "none, median, or {rule: median, warmup: 1, min-trials: 3}";
        if (node instanceof YNode.Scalar s && (s.text().equals("median") || s.text().equals("none"))) {
            return s.text().equals("median") ? new Spec.EarlyStopSpec(1, 3) : null;
        }
        if (!(node instanceof YNode.Mapping m)) {
            diag.error(node.pos(), "search.early-stop must be " + hint + ", got " + describe(node));
            return null;
        }
        MapReader r = new MapReader(m, diag, "search.early-stop", List.of("rule", "warmup", "min-trials"));
        if (!"median".equals(r.oneOf("rule", List.of("median"), null))) {
            diag.error(m.pos(), "search.early-stop needs a rule: median");
            return null;
        }
        return new Spec.EarlyStopSpec(r.integer("warmup", 0, 1), r.integer("min-trials", 1, 3));
    }

    /** search.latency: {predict: measure | table, batch: N}. */
    private Spec.LatencySpec latency(YNode.Mapping m) {
        if (m == null) {
            return Spec.LatencySpec.DEFAULT;
        }
        MapReader r = new MapReader(m, diag, "search.latency", List.of("predict", "batch"));
        boolean table = "table".equals(r.oneOf("predict", List.of("measure", "table"), "measure"));
        return new Spec.LatencySpec(table, r.integer("batch", 1, 1));
    }

    /** [{metric: NAME, goal: max | min}, ...], each metric once. */
    private List<Spec.ObjectiveSpec> objectives(YNode node) {
        if (!(node instanceof YNode.Sequence seq) || seq.items().isEmpty()) {
            diag.error(node.pos(), "search.objectives must be a non-empty list of {metric: NAME, goal: max or min}, got " + describe(node));
            return List.of();
        }
        List<Spec.ObjectiveSpec> out = new java.util.ArrayList<>();
        for (YNode item : seq.items()) {
            YNode.Mapping m = MapReader.expectMapping(item, diag, "search.objectives entry");
            if (m == null) {
                continue;
            }
            MapReader r = new MapReader(m, diag, "search.objectives", List.of("metric", "goal"));
            String metric = r.string("metric", null);
            String goal = r.oneOf("goal", List.of("max", "min"), null);
            if (metric == null || goal == null) {
                diag.error(m.pos(), "an objective needs a metric and a goal, e.g. {metric: params, goal: min}");
                continue;
            }
            if (out.stream().anyMatch(o -> o.metric().equals(metric))) {
                diag.error(m.pos(), "search.objectives names " + metric + " twice");
                continue;
            }
            out.add(new Spec.ObjectiveSpec(metric, goal.equals("max"), m.pos()));
        }
        return List.copyOf(out);
    }

    private Spec.EvaluatorSpec evaluator(YNode.Mapping m) {
        if (m == null) {
            return null;
        }
        YNode.Entry named = m.entries().get("type");
        Extensions.Kind plugin = named != null && named.value() instanceof YNode.Scalar s ? Extensions.evaluators().get(s.text()) : null;
        List<String> fields = new ArrayList<>(List.of("type", "table", "key", "metric"));
        if (plugin != null) {
            fields.addAll(plugin.fields());
        }
        MapReader r = new MapReader(m, diag, "search.evaluator", fields);
        List<String> known = new ArrayList<>(Spec.EvaluatorSpec.TYPES);
        known.addAll(Extensions.evaluators().keySet());
        String type = r.oneOf("type", known, "train");
        if ("table".equals(type)) {
            for (String field : List.of("table", "key")) {
                if (!r.has(field)) {
                    diag.error(m.pos(), "a table evaluator needs '" + field + "'",
                            "table: the JSON file; key: a template of decisions such as \"{layer1}{layer2}\"");
                }
            }
        }
        YNode key = r.node("key");
        return new Spec.EvaluatorSpec(type, r.string("table", null), r.string("key", null), r.string("metric", "mean_acc"),
                key == null ? m.pos() : key.pos(), plugin == null ? Map.of() : DataReader.options(r, plugin));
    }

    // ---- blocks and the model ----

    private Map<String, ModelReader.BlockDef> blocks(YNode.Mapping m) {
        Map<String, ModelReader.BlockDef> blocks = new LinkedHashMap<>();
        if (m == null) {
            return blocks;
        }
        for (YNode.Entry e : m.entries().values()) {
            String name = e.key();
            if (!ModelReader.ID.matcher(name).matches()) {
                diag.error(e.keyPos(), "block name '" + name + "' is not a valid name", "use letters, digits, '_' and '-'");
                continue;
            }
            YNode.Mapping bm = MapReader.expectMapping(e.value(), diag, "block '" + name + "'");
            if (bm == null) {
                continue;
            }
            MapReader r = new MapReader(bm, diag, "block '" + name + "'", List.of("params", "nodes"));
            Map<String, YNode> params = new LinkedHashMap<>();
            YNode.Mapping pm = r.mapping("params");
            if (pm != null) {
                for (YNode.Entry p : pm.entries().values()) {
                    if (ModelReader.RESERVED_PARAMS.contains(p.key())) {
                        diag.error(p.keyPos(), "'" + p.key() + "' cannot be a parameter name: it is a field of the node that uses the block",
                                "reserved: " + String.join(", ", ModelReader.RESERVED_PARAMS));
                    } else if (!ModelReader.ID.matcher(p.key()).matches()) {
                        diag.error(p.keyPos(), "parameter name '" + p.key() + "' is not a valid name");
                    } else {
                        boolean required = p.value() instanceof YNode.Scalar s && s.type() == YNode.ScalarType.NULL;
                        params.put(p.key(), required ? null : p.value());
                    }
                }
            }
            YNode nodes = r.node("nodes");
            if (!(nodes instanceof YNode.Sequence seq) || seq.items().isEmpty()) {
                diag.error(nodes == null ? bm.pos() : nodes.pos(), "block '" + name + "' needs nodes: a non-empty list of nodes");
                continue;
            }
            blocks.put(name, new ModelReader.BlockDef(name, e.keyPos(), Collections.unmodifiableMap(params), seq));
        }
        return blocks;
    }

    private List<Node> model(YNode node, Pos topPos, Map<String, ModelReader.BlockDef> blocks) {
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
        List<Node> nodes = new ModelReader(diag, blocks).model(seq);
        if (nodes == null) {
            modelSound = false;
            return List.of();
        }
        return nodes;
    }
}

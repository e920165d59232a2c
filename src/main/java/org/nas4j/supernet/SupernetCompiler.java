package org.nas4j.supernet;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nas4j.spec.Diagnostics;
import org.nas4j.spec.FieldDef;
import org.nas4j.spec.FieldValue;
import org.nas4j.spec.Node;
import org.nas4j.spec.OpArgs;
import org.nas4j.spec.OpDef;
import org.nas4j.spec.OpUse;
import org.nas4j.spec.Ref;
import org.nas4j.spec.SampleShape;
import org.nas4j.spec.ShapeChecker;
import org.nas4j.spec.ShapeException;
import org.nas4j.spec.Spec;

/**
 * Compiles a checked spec into a DJL block: the fixed child of an architecture (only its chosen
 * candidates and the nodes it runs), or the whole supernet, whose choice steps follow the
 * decisions a strategy sets in {@link Choices} (single-path: only the decided path computes).
 */
public final class SupernetCompiler {
    private final Spec spec;
    private final Choices choices = new Choices();
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, SampleShape> shapes = new HashMap<>();
    /** A child block to register once its graph exists, with the shape of one input sample. */
    private record Pending(String name, Block block, SampleShape input) { }

    /**
     * One block a child runs, alone: {@code what} names it by its node, its chosen candidate or
     * values, and its input shape, so that equal blocks share a name.
     */
    public record Part(String what, Block block, SampleShape input) { }

    /** The blocks of one child, each uninitialised, with their input shapes (merges, which have no block, are left out). */
    public static List<Part> parts(Spec spec, Map<String, Object> architecture) throws CompileException {
        List<Part> parts = new ArrayList<>();
        compileChild(spec, architecture, (n, added) -> added.forEach(p ->
                parts.add(new Part(p.name() + " " + choiceOf(n, architecture) + " " + p.input(), p.block(), p.input()))));
        return parts;
    }

    /** Told, node by node, the blocks a child's node added. */
    private interface NodeBlocks {
        void added(Node node, List<Pending> blocks);
    }

    /** Compiles the nodes a child runs, telling {@code each} what every node added; its output shape goes with it. */
    private static SupernetCompiler compileChild(Spec spec, Map<String, Object> architecture, NodeBlocks each) throws CompileException {
        ShapeChecker.Child child = ShapeChecker.child(spec, architecture, new Diagnostics());
        if (child == null) {
            throw new CompileException("the architecture gives shapes that do not fit (run nas validate-spec)");
        }
        SupernetCompiler c = new SupernetCompiler(spec);
        c.childOutput = child.output();
        for (Node n : spec.model()) {
            if (child.live().contains(n.id())) {
                int before = c.pending.size();
                c.childNode(n, architecture, child.shapes());
                each.added(n, c.pending.subList(before, c.pending.size()));
            }
        }
        return c;
    }

    /** What a node's block depends on besides its input shape: a candidate, or the values of its value choices. */
    private static String choiceOf(Node n, Map<String, Object> architecture) {
        if (n instanceof Node.LayerChoiceNode lc) {
            return String.valueOf(architecture.get(lc.key()));
        }
        if (n instanceof Node.OpNode op) {
            StringBuilder b = new StringBuilder();
            op.op().fields().values().stream().filter(FieldValue.Choice.class::isInstance).map(FieldValue.Choice.class::cast)
                    .forEach(ch -> b.append(ch.key()).append('=').append(architecture.get(ch.key())).append(';'));
            return b.toString();
        }
        return "";
    }

    /** Blocks to register once the graph exists. */
    private final List<Pending> pending = new ArrayList<>();
    /** A fixed child's output shape, as its shape check found it. */
    private SampleShape childOutput;

    private SupernetCompiler(Spec spec) {
        this.spec = spec;
    }

    /** The plain model of one architecture (checked against the spec's space beforehand). */
    public static GraphBlock child(Spec spec, Map<String, Object> architecture) throws CompileException {
        SupernetCompiler c = compileChild(spec, architecture, (n, added) -> { });
        return c.finish(c.childOutput);
    }

    /**
     * The whole supernet; its choice steps follow {@link GraphBlock#choices()}: one path
     * ({@link GraphBlock#follow}) or a weighted mixture of all ({@link GraphBlock#mix}).
     */
    public static GraphBlock singlePath(Spec spec) throws CompileException {
        SupernetCompiler c = new SupernetCompiler(spec);
        c.shapes.put(Ref.MODEL_INPUT, spec.input());
        for (Node n : spec.model()) {
            c.supernetNode(n);
        }
        return c.finish(c.shapes.get(spec.model().get(spec.model().size() - 1).id()));
    }

    private GraphBlock finish(SampleShape output) {
        String outputId = spec.model().get(spec.model().size() - 1).id();
        GraphBlock graph = new GraphBlock(steps, outputId, output, choices);
        for (Pending p : pending) {
            graph.add(p.name(), p.block(), p.input());
        }
        return graph;
    }

    private <B extends Block> B register(String name, B block, SampleShape input) {
        pending.add(new Pending(name, block, input));
        return block;
    }

    private static List<Step.Guard> guards(Node n) {
        return n.guards().stream().map(g -> new Step.Guard(g.key(), g.depth())).toList();
    }

    // ---- the fixed child ----

    private void childNode(Node n, Map<String, Object> arch, Map<String, SampleShape> known) throws CompileException {
        String in = n.inputs().isEmpty() ? null : n.inputs().get(0).id();
        SampleShape inShape = Ref.MODEL_INPUT.equals(in) ? spec.input() : known.get(in);
        if (n instanceof Node.OpNode op) {
            if (op.op().def().merge()) {
                steps.add(new Step.Merge(n.id(), ids(n.inputs()), merging(op.op()), List.of()));
            } else {
                Block b = register(n.id(), OpBlocks.of(op.op().def(), args(op.op(), arch), inShape.rank()), inShape);
                steps.add(new Step.Op(n.id(), in, b, List.of()));
            }
        } else if (n instanceof Node.LayerChoiceNode lc) {
            Node.Candidate c = lc.candidates().get((String) arch.get(lc.key()));
            Block b = register(n.id(), candidate(c, inShape), inShape);
            steps.add(new Step.Op(n.id(), in, b, List.of()));
        } else if (n instanceof Node.InputChoiceNode ic) {
            List<?> chosen = (List<?>) arch.get(ic.key());
            List<String> ids = new ArrayList<>();
            for (int k = 0; k < ic.from().size(); k++) {
                if (chosen.contains(ic.from().get(k))) {
                    ids.add(ic.inputs().get(k).id());
                }
            }
            steps.add(new Step.Merge(n.id(), ids, reduction(ic), List.of()));
        } else if (n instanceof Node.DepthSelectNode ds) {
            int depth = ((Number) arch.get(ds.key())).intValue();
            steps.add(new Step.Merge(n.id(), List.of(ds.inputs().get(ds.depths().indexOf(depth)).id()), OpDef.ADD, List.of()));
        } else {
            throw new CompileException("node " + n.label() + " cannot be compiled");
        }
    }

    /** The merging op of a use: always one of nas4j's own (a plug-in's op cannot merge: spec.Extensions refuses it). */
    private static OpDef merging(OpUse use) {
        return (OpDef) use.def();
    }

    private static OpDef reduction(Node.InputChoiceNode ic) {
        return switch (ic.reduction()) {
            case SUM -> OpDef.ADD;
            case MEAN -> OpDef.MEAN;
            case CONCAT -> OpDef.CONCAT;
        };
    }

    private static List<String> ids(List<Ref> refs) {
        return refs.stream().map(Ref::id).toList();
    }

    /** An op's fields with defaults, value choices resolved from {@code values}. */
    private static OpArgs args(OpUse use, Map<String, Object> values) {
        Map<String, Object> m = new HashMap<>();
        for (FieldDef f : use.def().fields()) {
            m.put(f.name(), f.defaultValue());
        }
        use.fields().forEach((name, v) -> m.put(name, v instanceof FieldValue.Fixed fixed ? fixed.value()
                : values.get(((FieldValue.Choice) v).key())));
        return new OpArgs(m);
    }

    /** A candidate's small graph as a block of its own. */
    private GraphBlock candidate(Node.Candidate c, SampleShape in) throws CompileException {
        List<Step> local = new ArrayList<>();
        Map<String, SampleShape> localShapes = new HashMap<>();
        localShapes.put(Ref.MODEL_INPUT, in);
        List<Pending> blocks = new ArrayList<>();
        SampleShape out = in;
        for (Node.OpNode op : c.nodes()) {
            List<SampleShape> inputs = op.inputs().stream().map(r -> localShapes.get(r.id())).toList();
            OpArgs a = args(op.op(), Map.of());
            out = shape(op.op(), inputs, a, op);
            if (op.op().def().merge()) {
                local.add(new Step.Merge(op.id(), ids(op.inputs()), merging(op.op()), List.of()));
            } else {
                Block b = OpBlocks.of(op.op().def(), a, inputs.get(0).rank());
                blocks.add(new Pending(op.id(), b, inputs.get(0)));
                local.add(new Step.Op(op.id(), op.inputs().get(0).id(), b, List.of()));
            }
            localShapes.put(op.id(), out);
        }
        GraphBlock g = new GraphBlock(local, c.nodes().get(c.nodes().size() - 1).id(), out, choices);
        for (Pending b : blocks) {
            g.add(b.name(), b.block(), b.input());
        }
        return g;
    }

    private static SampleShape shape(OpUse use, List<SampleShape> inputs, OpArgs a, Node at) throws CompileException {
        try {
            return use.def().shape().apply(inputs, inputs.stream().map(Object::toString).toList(), a);
        } catch (ShapeException e) {
            throw new CompileException("node " + at.label() + ": " + e.getMessage());
        }
    }

    // ---- the supernet, single-path ----

    private void supernetNode(Node n) throws CompileException {
        String in = n.inputs().isEmpty() ? null : n.inputs().get(0).id();
        SampleShape inShape = in == null ? null : shapes.get(in);
        List<Step.Guard> guards = guards(n);
        if (n instanceof Node.OpNode op) {
            OpUse use = op.op();
            List<SampleShape> inputs = n.inputs().stream().map(r -> shapes.get(r.id())).filter(java.util.Objects::nonNull).toList();
            if (use.def().merge()) {
                shapes.put(n.id(), shape(use, inputs, args(use, Map.of()), n));
                steps.add(new Step.Merge(n.id(), ids(n.inputs()), merging(use), guards));
                return;
            }
            List<FieldValue.Choice> choiceFields = use.fields().values().stream()
                    .filter(FieldValue.Choice.class::isInstance).map(FieldValue.Choice.class::cast).toList();
            if (choiceFields.isEmpty()) {
                OpArgs a = args(use, Map.of());
                shapes.put(n.id(), shape(use, List.of(inShape), a, n));
                steps.add(new Step.Op(n.id(), in, register(n.id(), OpBlocks.of(use.def(), a, inShape.rank()), inShape), guards));
                return;
            }
            List<String> keys = choiceFields.stream().map(FieldValue.Choice::key).distinct().toList();
            Map<List<Object>, Block> blocks = new LinkedHashMap<>();
            for (List<Object> combo : combinations(keys, choiceFields)) {
                Map<String, Object> values = new HashMap<>();
                for (int k = 0; k < keys.size(); k++) {
                    values.put(keys.get(k), combo.get(k));
                }
                OpArgs a = args(use, values);
                SampleShape out = shape(use, List.of(inShape), a, n);
                SampleShape before = shapes.putIfAbsent(n.id(), out);
                if (before != null && !before.equals(out)) {
                    throw new CompileException("the value choice " + keys + " of " + n.label() + " changes its output shape ("
                            + before + " or " + out + "); a single-path supernet needs one shape per node");
                }
                blocks.put(combo, register(n.id() + "=" + combo, OpBlocks.of(use.def(), a, inShape.rank()), inShape));
            }
            steps.add(new Step.ValueChoice(n.id(), in, keys, blocks, guards));
        } else if (n instanceof Node.LayerChoiceNode lc) {
            Map<String, Block> candidates = new LinkedHashMap<>();
            SampleShape out = null;
            for (Node.Candidate c : lc.candidates().values()) {
                GraphBlock g = candidate(c, inShape);
                candidates.put(c.name(), register(n.id() + "/" + c.name(), g, inShape));
                out = g.sampleOutput();
            }
            shapes.put(n.id(), out);
            steps.add(new Step.LayerChoice(n.id(), in, lc.key(), candidates, guards));
        } else if (n instanceof Node.InputChoiceNode ic) {
            List<SampleShape> from = ic.inputs().stream().map(r -> shapes.get(r.id())).filter(java.util.Objects::nonNull).toList();
            if (from.stream().distinct().count() > 1 && ic.reduction() == Node.Reduction.CONCAT) {
                throw new CompileException("the input choice " + n.label() + " concatenates inputs of different shapes "
                        + from + ", so its output shape depends on the choice; a single-path supernet needs one shape per node");
            }
            int chosen = ic.reduction() == Node.Reduction.CONCAT ? ic.nChosen() : 1;
            List<Integer> dims = new ArrayList<>(from.get(0).dims());
            dims.set(0, dims.get(0) * chosen);
            shapes.put(n.id(), new SampleShape(dims));
            steps.add(new Step.InputChoice(n.id(), ic.key(), ic.from(), ids(ic.inputs()), reduction(ic), guards));
        } else if (n instanceof Node.DepthSelectNode ds) {
            Map<Integer, String> outputs = new LinkedHashMap<>();
            for (int k = 0; k < ds.depths().size(); k++) {
                String id = ds.inputs().get(k).id();
                SampleShape s = shapes.get(id);
                SampleShape before = shapes.putIfAbsent(n.id(), s);
                if (before != null && !before.equals(s)) {
                    throw new CompileException("the depth choice " + ds.key() + " changes the output shape of " + n.label()
                            + "; a single-path supernet needs one shape per node");
                }
                outputs.put(ds.depths().get(k), id);
            }
            steps.add(new Step.DepthSelect(n.id(), ds.key(), outputs, guards));
        } else {
            throw new CompileException("node " + n.label() + " cannot be compiled");
        }
    }

    private static List<List<Object>> combinations(List<String> keys, List<FieldValue.Choice> fields) {
        List<List<Object>> combos = new ArrayList<>();
        combos.add(List.of());
        for (String key : keys) {
            List<Number> values = fields.stream().filter(f -> f.key().equals(key)).findFirst().orElseThrow().values();
            List<List<Object>> grown = new ArrayList<>();
            for (List<Object> c : combos) {
                for (Number v : values) {
                    List<Object> g = new ArrayList<>(c);
                    g.add(v);
                    grown.add(g);
                }
            }
            combos = grown;
        }
        return combos;
    }

    /** Trainable parameters of an initialised block, as PyTorch counts them (no batch-norm running statistics, nothing frozen). */
    public static long trainableParameters(Block block) {
        long n = 0;
        for (var p : block.getParameters().values()) {
            var type = p.getType();
            // requiresGradient: a batch norm without affine still holds a gamma and beta that never train.
            if (type != ai.djl.nn.Parameter.Type.RUNNING_MEAN && type != ai.djl.nn.Parameter.Type.RUNNING_VAR
                    && p.isInitialized() && p.requiresGradient()) {
                n += p.getArray().size();
            }
        }
        return n;
    }
}

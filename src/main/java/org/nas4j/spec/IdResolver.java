package org.nas4j.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.nas4j.space.Suggest;

/**
 * The ids of a list of nodes: those its nodes declare (checked for form and duplicates), and those
 * a node reads (input, inputs, an input choice's from), resolved within their frame to global ids.
 */
final class IdResolver {
    private static final Pattern BLOCK_INPUT = Pattern.compile("in[0-9]*");

    private final Diagnostics diag;

    /** Records its errors in {@code diag}. */
    IdResolver(Diagnostics diag) {
        this.diag = diag;
    }

    /** Declares the ids of a list of nodes in its frame, so that reading them can tell "later" from "unknown". */
    void declare(List<YNode> items, ReadFrame f) {
        for (YNode item : items) {
            if (!(item instanceof YNode.Mapping m) || !(m.get("id") instanceof YNode.Scalar s) || s.type() == YNode.ScalarType.NULL) {
                continue;
            }
            String id = s.text();
            if (!ModelReader.ID.matcher(id).matches()) {
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
    String local(YNode.Mapping m, ReadFrame f) {
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

    /** The node's inputs as global refs: the named ones, or the previous node. Null after an error. */
    List<Ref> inputs(YNode.Mapping m, ReadFrame f, String localId, boolean merge, String what) {
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
    List<Ref> refs(List<YNode> items, ReadFrame f, String localId, String what, boolean repeatsAllowed) {
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
    private String resolve(String name, Pos pos, ReadFrame f, String localId) {
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
}

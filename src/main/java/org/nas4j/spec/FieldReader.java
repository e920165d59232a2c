package org.nas4j.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.nas4j.space.Suggest;

/** Reads op fields: fixed values with their types and ranges, and value choices with their keys. */
final class FieldReader {
    /** What a decision key may look like. */
    static final Pattern KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./-]*");

    private final Diagnostics diag;

    FieldReader(Diagnostics diag) {
        this.diag = diag;
    }

    /**
     * Reads an op's fields from a mapping, skipping {@code skip} (the node's own fields). A value
     * choice gets the key {@code keyScope + localId + "." + field} unless it names one
     * ({@code keyScope + key}); {@code choiceAllowed} is false inside layer-choice candidates.
     */
    OpUse opUse(YNode.Mapping m, Op def, Collection<String> skip, String localId, String keyScope, boolean choiceAllowed) {
        Map<String, FieldValue> fields = new LinkedHashMap<>();
        boolean ok = true;
        for (YNode.Entry e : m.entries().values()) {
            String k = e.key();
            if (k.equals("op") || skip.contains(k)) {
                continue;
            }
            FieldDef f = def.field(k).orElse(null);
            if (f == null) {
                List<String> valid = new ArrayList<>(def.fields().stream().map(FieldDef::name).toList());
                valid.addAll(skip);
                diag.error(e.keyPos(), "unknown field '" + k + "' for op " + def.specName(),
                        def.fields().isEmpty() ? def.specName() + " has no fields" : Suggest.hint(k, valid));
                ok = false;
                continue;
            }
            FieldValue v = fieldValue(f, e.value(), localId, keyScope, choiceAllowed);
            if (v == null) {
                ok = false;
            } else {
                fields.put(k, v);
            }
        }
        for (FieldDef f : def.fields()) {
            if (f.required() && m.get(f.name()) == null) {
                diag.error(m.pos(), def.specName() + " needs '" + f.name() + "'");
                ok = false;
            }
        }
        return ok ? new OpUse(def, Collections.unmodifiableMap(fields), m.pos()) : null;
    }

    /** A field's value, fixed or a value choice; null (with errors recorded) when it is wrong. */
    FieldValue fieldValue(FieldDef f, YNode value, String localId, String keyScope, boolean choiceAllowed) {
        if (value instanceof YNode.Mapping cm) {
            return valueChoice(f, cm, localId, keyScope, choiceAllowed);
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
        String got = value instanceof YNode.Scalar s && s.type() == YNode.ScalarType.STRING && s.text().startsWith("$")
                ? "'" + s.text() + "', which is not a parameter here" : value.kindName();
        diag.error(value.pos(), what + " must be " + expected + ", got " + got);
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

    private FieldValue valueChoice(FieldDef f, YNode.Mapping cm, String localId, String keyScope, boolean choiceAllowed) {
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
        String key;
        if (r.has("key")) {
            String k = key(r.node("key"));
            key = k == null ? null : keyScope + k;
        } else if (localId != null) {
            key = keyScope + localId + "." + f.name();
        } else {
            diag.error(cm.pos(), "a value choice needs its node to have an id (its key is ID." + f.name() + ") or a key: NAME");
            return null;
        }
        return ok && key != null ? new FieldValue.Choice(Collections.unmodifiableList(values), key, cm.pos()) : null;
    }

    /** A key as written, or null (with an error) when it is not a valid key. */
    String key(YNode node) {
        if (node instanceof YNode.Scalar s && s.type() != YNode.ScalarType.NULL && KEY.matcher(s.text()).matches()) {
            return s.text();
        }
        diag.error(node.pos(), "a key must be a name of letters, digits, '_', '.', '/' and '-', got " + node.kindName());
        return null;
    }
}

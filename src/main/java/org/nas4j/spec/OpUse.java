package org.nas4j.spec;

import java.util.HashMap;
import java.util.Map;

/** An op as written in a node or a candidate: its definition and the fields set (fixed values or value choices). */
public record OpUse(Op def, Map<String, FieldValue> fields, Pos pos) {

    /** Every field's value: the defaults filled in, value choices resolved from {@code decided} (key -> value). */
    public OpArgs args(Map<String, Object> decided) {
        Map<String, Object> values = new HashMap<>();
        for (FieldDef f : def.fields()) {
            values.put(f.name(), f.defaultValue());
        }
        fields.forEach((name, v) -> values.put(name, v instanceof FieldValue.Fixed fixed ? fixed.value()
                : decided.get(((FieldValue.Choice) v).key())));
        return new OpArgs(values);
    }
}

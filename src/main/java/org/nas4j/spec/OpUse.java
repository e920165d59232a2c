package org.nas4j.spec;

import java.util.Map;

/** An op as written in a node or a candidate: its definition and the fields set. */
public record OpUse(OpDef def, Map<String, FieldValue> fields, Pos pos) {

    /** The fixed value of a field, its default when not set, or null when set by a value choice. */
    public Object fixedOrDefault(String name) {
        FieldValue v = fields.get(name);
        if (v instanceof FieldValue.Fixed fixed) {
            return fixed.value();
        }
        return v == null ? def.field(name).map(FieldDef::defaultValue).orElse(null) : null;
    }
}

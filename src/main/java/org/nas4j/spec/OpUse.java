package org.nas4j.spec;

import java.util.Map;

/** An op as written in a node or a candidate: its definition and the fields set (fixed values or value choices). */
public record OpUse(OpDef def, Map<String, FieldValue> fields, Pos pos) { }

package org.nas4j.spec;

import java.util.List;

/** The value written for an op field: fixed, or a value choice. */
public sealed interface FieldValue permits FieldValue.Fixed, FieldValue.Choice {

    /** Where the value was written. */
    Pos pos();

    /** A fixed value: Integer, Double, Boolean, or the word {@code same}. */
    record Fixed(Object value, Pos pos) implements FieldValue { }

    /** A value choice: the values and the decision key ({@code NODE.FIELD} unless given). */
    record Choice(List<Number> values, String key, Pos pos) implements FieldValue { }
}

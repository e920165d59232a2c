package org.nas4j.api;

import java.math.BigInteger;

/**
 * One decision of a spec's space: its key, its kind (layer-choice, input-choice, value-choice,
 * repeat) and how many values it can take.
 */
public record Decision(String key, String kind, BigInteger options) {
}

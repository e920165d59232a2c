package org.nas4j.space;

import java.math.BigInteger;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** Every decision of a spec, sorted by key: what an architecture file must give a value for. */
public record SearchSpace(SortedMap<String, Decision> decisions) {

    /** A space over these decisions. */
    public SearchSpace {
        decisions = Collections.unmodifiableSortedMap(new TreeMap<>(decisions));
    }

    /** The number of distinct architecture files: the product of every decision's count. */
    public BigInteger size() {
        return decisions.values().stream().map(Decision::count).reduce(BigInteger.ONE, BigInteger::multiply);
    }
}

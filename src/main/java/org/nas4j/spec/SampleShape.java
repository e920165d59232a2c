package org.nas4j.spec;

import java.util.List;

/** The shape of one sample flowing between nodes (no batch axis), e.g. [channels, height, width]. */
public record SampleShape(List<Integer> dims) {

    /** A shape from its dimensions. */
    public static SampleShape of(int... dims) {
        return new SampleShape(java.util.Arrays.stream(dims).boxed().toList());
    }

    /** The number of axes. */
    public int rank() {
        return dims.size();
    }

    /** One dimension. */
    public int dim(int axis) {
        return dims.get(axis);
    }

    /** The number of values in one sample; Long.MAX_VALUE when that does not fit a long. */
    public long size() {
        long n = 1;
        for (int d : dims) {
            if (d != 0 && n > Long.MAX_VALUE / d) {
                return Long.MAX_VALUE;
            }
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return dims.toString();
    }
}

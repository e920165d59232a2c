package org.nas4j.spec;

/**
 * Counts of values, parameters and FLOPs against the engine's limits
 * ({@link ShapeChecker#MAX_ELEMENTS}), and how messages print them.
 */
final class Counts {
    private Counts() {
    }

    /**
     * Refuses an op whose output or parameters are past {@link ShapeChecker#MAX_ELEMENTS}, before anything
     * downstream multiplies them further.
     */
    static void fits(String op, SampleShape out, long params) throws ShapeException {
        if (out.size() > ShapeChecker.MAX_ELEMENTS) {
            throw new ShapeException(op + " would give " + out + ": " + (out.size() == Long.MAX_VALUE ? "too many" : grouped(out.size()))
                    + " values, more than the " + grouped(ShapeChecker.MAX_ELEMENTS) + " a tensor may hold");
        }
        if (params > ShapeChecker.MAX_ELEMENTS) {
            throw new ShapeException(op + " would have " + grouped(params) + " parameters, more than the " + grouped(ShapeChecker.MAX_ELEMENTS)
                    + " a child may have");
        }
    }

    /** An op's parameters past a long: more than a child may have, by far. */
    static String tooManyToCount(String op) {
        return op + " would have more parameters than a child may have (" + grouped(ShapeChecker.MAX_ELEMENTS) + ")";
    }

    /** "1,234,567": a count with its thousands grouped. */
    static String grouped(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }

    /** Whether a + b fits a long. */
    static boolean fitsLong(long a, long b) {
        return a <= Long.MAX_VALUE - b;
    }

    /** a + b, or Long.MAX_VALUE past a long (FLOPs are compared with a limit, never summed exactly). */
    static long saturatedSum(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}

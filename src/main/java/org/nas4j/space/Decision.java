package org.nas4j.space;

import java.math.BigInteger;
import java.util.List;

/**
 * One decision of a search space, under its key. Nodes that name the same key share the
 * decision; {@link #nodes()} lists them. Pure data: no spec, no engine.
 */
public sealed interface Decision permits Decision.LayerChoice, Decision.InputChoice, Decision.ValueChoice,
        Decision.DepthChoice {

    /** The key under which the decision appears in architecture files. */
    String key();

    /** The ids of the nodes that take this decision. */
    List<String> nodes();

    /** How many distinct values the decision can take. */
    BigInteger count();

    /** "layer-choice", "input-choice" or "value-choice". */
    String kind();

    /**
     * A choice of one candidate by name; {@code none} lists the candidates that compute nothing
     * (a {@code zero} op: DARTS's "none"), which strategies that read a choice off weights skip.
     */
    record LayerChoice(String key, List<String> candidates, List<String> nodes, List<String> none) implements Decision {
        /** A layer choice none of whose candidates is "none". */
        public LayerChoice(String key, List<String> candidates, List<String> nodes) {
            this(key, candidates, nodes, List.of());
        }

        @Override
        public BigInteger count() {
            return BigInteger.valueOf(candidates.size());
        }

        @Override
        public String kind() {
            return "layer-choice";
        }
    }

    /** A choice of {@code nChosen} source ids among {@code from}, or of any subset when it is null. */
    record InputChoice(String key, List<String> from, Integer nChosen, List<String> nodes) implements Decision {
        @Override
        public BigInteger count() {
            return nChosen == null ? BigInteger.TWO.pow(from.size()) : binomial(from.size(), nChosen);
        }

        @Override
        public String kind() {
            return "input-choice";
        }

        private static BigInteger binomial(int n, int k) {
            BigInteger r = BigInteger.ONE;
            for (int i = 0; i < k; i++) {
                r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1L));
            }
            return r;
        }
    }

    /** A choice of one number among {@code values}. */
    record ValueChoice(String key, List<Number> values, List<String> nodes) implements Decision {
        @Override
        public BigInteger count() {
            return BigInteger.valueOf(values.size());
        }

        @Override
        public String kind() {
            return "value-choice";
        }
    }

    /** A choice of how many copies of a repeated block run, among {@code depths}. */
    record DepthChoice(String key, List<Integer> depths, List<String> nodes) implements Decision {
        @Override
        public BigInteger count() {
            return BigInteger.valueOf(depths.size());
        }

        @Override
        public String kind() {
            return "depth-choice";
        }
    }
}

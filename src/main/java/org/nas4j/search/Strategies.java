package org.nas4j.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.nas4j.space.Sampler;
import org.nas4j.space.SearchSpace;

/** The strategies by name, with their options and defaults. */
public final class Strategies {
    /** Options that are fractions in (0, 1). */
    private static final java.util.Set<String> FRACTIONS = java.util.Set.of("gamma", "mutation-prob");

    /** The multi-trial strategies this build runs. */
    public static final List<String> MULTI_TRIAL = List.of("random", "grid", "evolution", "tpe");

    /** The one-shot strategies this build runs. */
    public static final List<String> ONE_SHOT = List.of("darts", "enas", "proxyless", "spos", "random-oneshot");

    /** Each strategy's options with their defaults (as text, as --option K=V gives them). */
    public static final Map<String, Map<String, String>> OPTIONS = Map.of(
            "random", Map.of("dedup", "true"),
            "grid", Map.of(),
            "evolution", ordered("population", "20", "sample", "5"),
            "tpe", ordered("startup", "10", "candidates", "24", "gamma", "0.25"),
            "darts", ordered("lr", "0.025", "min-lr", "0.001", "momentum", "0.9", "weight-decay", "0.0003", "grad-clip", "5",
                    "arch-lr", "0.0003", "arch-weight-decay", "0.001", "order", "1"),
            "enas", ordered("lstm-size", "64", "tanh-constant", "1.5", "skip-target", "0.4", "skip-weight", "0.8",
                    "entropy-weight", "0.0001", "baseline-decay", "0.999", "controller-lr", "0.00035", "controller-steps", "50",
                    "aggregate", "20", "bn-batches", "10"),
            "proxyless", ordered("arch-lr", "0.001", "arch-weight-decay", "0.0", "warmup", "0.25", "cost-weight", "0.0"),
            "spos", ordered("population", "10", "top-k", "5", "mutation-prob", "0.1", "dedup", "true", "bn-batches", "10"),
            "random-oneshot", ordered("bn-batches", "10"));

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private Strategies() {
    }

    /** Checks a strategy's name and options; IllegalArgumentException (for users) on an unknown name or option. */
    public static void check(String name, Map<String, String> options) {
        if (!OPTIONS.containsKey(name)) {
            throw new IllegalArgumentException("strategy '" + name + "' is not available in this build; multi-trial strategies: "
                    + String.join(", ", MULTI_TRIAL) + "; one-shot: " + String.join(", ", ONE_SHOT));
        }
        for (String k : options.keySet()) {
            if (!OPTIONS.get(name).containsKey(k)) {
                throw new IllegalArgumentException("strategy " + name + " has no option '" + k + "'"
                        + (OPTIONS.get(name).isEmpty() ? " (it takes none)" : "; options: " + String.join(", ", OPTIONS.get(name).keySet())));
            }
        }
        // Every value is checked here, against the type of its default, so that a bad one stops
        // the search before its run directory exists.
        for (Map.Entry<String, String> e : options.entrySet()) {
            String dflt = OPTIONS.get(name).get(e.getKey());
            if (FRACTIONS.contains(e.getKey())) {
                fraction(options, e.getKey(), 0);
            } else if (dflt.equals("true") || dflt.equals("false")) {
                if (!e.getValue().equals("true") && !e.getValue().equals("false")) {
                    throw new IllegalArgumentException("option " + e.getKey() + " must be true or false, got '" + e.getValue() + "'");
                }
            } else if (dflt.contains(".")) {
                nonNegative(options, e.getKey());
            } else {
                positive(options, e.getKey(), 1);
            }
        }
        if (options.containsKey("order") && !List.of("1", "2").contains(options.get("order"))) {
            throw new IllegalArgumentException("option order must be 1 (first-order DARTS) or 2 (the unrolled second-order step), got '"
                    + options.get("order") + "'");
        }
    }

    /**
     * The strategy that proposes architectures: a multi-trial strategy, or the search over paths
     * that follows one-shot supernet training (spos: its evolution; random-oneshot: random).
     */
    public static Strategy create(String name, SearchSpace space, long seed, Map<String, String> options,
                                  Predicate<Map<String, Object>> admissible) {
        check(name, options);
        Sampler sampler = new Sampler(space);
        return switch (name) {
            case "grid" -> new GridStrategy(space, admissible);
            case "evolution" -> {
                int population = positive(options, "population", 20);
                int sample = positive(options, "sample", 5);
                if (sample > population) {
                    throw new IllegalArgumentException("evolution: sample (" + sample + ") cannot exceed population (" + population + ")");
                }
                yield new EvolutionStrategy(sampler, seed, admissible, population, sample);
            }
            case "spos" -> new SposEvolutionStrategy(space, seed, admissible, positive(options, "population", 10),
                    positive(options, "top-k", 5), fraction(options, "mutation-prob", 0.1), !"false".equals(options.get("dedup")));
            case "tpe" -> new TpeStrategy(space, seed, admissible, positive(options, "startup", 10),
                    positive(options, "candidates", 24), fraction(options, "gamma", 0.25));
            default -> new RandomStrategy(sampler, seed, admissible, !"false".equals(options.getOrDefault("dedup", "true")));
        };
    }

    /** The options without {@code key} (spos's bn-batches belongs to its path scoring, not its evolution). */
    static Map<String, String> without(Map<String, String> options, String key) {
        Map<String, String> m = new LinkedHashMap<>(options);
        m.remove(key);
        return m;
    }

    private static double fraction(Map<String, String> options, String key, double dflt) {
        String v = options.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            double x = Double.parseDouble(v);
            if (x > 0 && x < 1) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("option " + key + " must be a number in (0, 1), got '" + v + "'");
    }

    /** A number option of at least 0 (checked by {@link #check}), or {@code dflt} when not given. */
    static double number(Map<String, String> options, String key, double dflt) {
        return options.containsKey(key) ? nonNegative(options, key) : dflt;
    }

    /** A number of at least 0 (one-shot learning rates and weights). */
    static double nonNegative(Map<String, String> options, String key) {
        String v = options.get(key);
        try {
            double x = Double.parseDouble(v);
            if (x >= 0 && Double.isFinite(x)) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("option " + key + " must be a number of at least 0, got '" + v + "'");
    }

    /** A whole number of at least 1. */
    static int positive(Map<String, String> options, String key, int dflt) {
        String v = options.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("option " + key + " must be a whole number of at least 1, got '" + v + "'");
    }
}

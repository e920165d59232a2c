package org.nas4j.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.nas4j.space.Sampler;
import org.nas4j.space.SearchSpace;

/** The multi-trial strategies by name, with their options and defaults. */
public final class Strategies {
    /** The strategies this build runs. */
    public static final List<String> MULTI_TRIAL = List.of("random", "grid", "evolution", "tpe");

    /** Each strategy's options with their defaults (as text, as --option K=V gives them). */
    public static final Map<String, Map<String, String>> OPTIONS = Map.of(
            "random", Map.of("dedup", "true"),
            "grid", Map.of(),
            "evolution", ordered("population", "20", "sample", "5"),
            "tpe", ordered("startup", "10", "candidates", "24", "gamma", "0.25"));

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private Strategies() {
    }

    /** A strategy; IllegalArgumentException (for users) on an unknown name or a bad option. */
    public static Strategy create(String name, SearchSpace space, long seed, Map<String, String> options,
                                  Predicate<Map<String, Object>> admissible) {
        if (!OPTIONS.containsKey(name)) {
            throw new IllegalArgumentException("strategy '" + name + "' is not available in this build; multi-trial strategies: "
                    + String.join(", ", MULTI_TRIAL));
        }
        for (String k : options.keySet()) {
            if (!OPTIONS.get(name).containsKey(k)) {
                throw new IllegalArgumentException("strategy " + name + " has no option '" + k + "'"
                        + (OPTIONS.get(name).isEmpty() ? " (it takes none)" : "; options: " + String.join(", ", OPTIONS.get(name).keySet())));
            }
        }
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
            case "tpe" -> new TpeStrategy(space, seed, admissible, positive(options, "startup", 10),
                    positive(options, "candidates", 24), fraction(options, "gamma", 0.25));
            default -> new RandomStrategy(sampler, seed, admissible, !"false".equals(options.getOrDefault("dedup", "true")));
        };
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

    private static int positive(Map<String, String> options, String key, int dflt) {
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

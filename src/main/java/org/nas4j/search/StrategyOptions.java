package org.nas4j.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A strategy's options, parsed once against its {@link StrategyInfo}: every option has a typed value, given or default. */
public final class StrategyOptions {
    private final Map<String, Object> values;
    private final Map<String, String> given;

    private StrategyOptions(Map<String, Object> values, Map<String, String> given) {
        this.values = values;
        this.given = given;
    }

    /** Parses {@code given} (name to text) for {@code info}; an IllegalArgumentException names an unknown option or a bad value. */
    static StrategyOptions parse(StrategyInfo info, Map<String, String> given) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String k : given.keySet()) {
            if (info.option(k) == null) {
                throw new IllegalArgumentException("strategy " + info.name() + " has no option '" + k + "'" + (info.options().isEmpty()
                        ? " (it takes none)" : "; options: " + String.join(", ", info.options().stream().map(StrategyOption::name).toList())));
            }
        }
        for (StrategyOption o : info.options()) {
            values.put(o.name(), o.parse(given.getOrDefault(o.name(), o.dflt())));
        }
        StrategyOptions options = new StrategyOptions(values, Collections.unmodifiableMap(new LinkedHashMap<>(given)));
        info.check().accept(options);
        return options;
    }

    /** A whole-number option. */
    public int whole(String name) {
        return (Integer) value(name);
    }

    /** A number or fraction option. */
    public double number(String name) {
        return (Double) value(name);
    }

    /** A true/false option. */
    public boolean flag(String name) {
        return (Boolean) value(name);
    }

    /** The options given (not defaulted), as text: what run.json keeps. */
    public Map<String, String> given() {
        return given;
    }

    private Object value(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("no option " + name);
        }
        return v;
    }
}

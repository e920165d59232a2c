package org.nas4j.search;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nas4j.space.FormatVersion;
import org.nas4j.space.InputException;
import org.nas4j.space.Json;

/**
 * What run.json holds: the spec it was started from and its overrides, the strategy with its
 * options, the budget ({@code trials}; {@code epochs} for one-shot runs, {@code trialEpochs} per
 * trial for multi-trial runs; null where it does not apply), the seed, and the plug-in jars that were
 * loaded (absolute paths; a resumed or reported run loads them again).
 */
public record RunSettings(String spec, List<String> overrides, String strategy, int trials, long seed,
                          Map<String, String> options, Integer trialEpochs, Integer epochs, List<String> plugins) {

    /** Settings of a run that loads no plug-in. */
    public RunSettings(String spec, List<String> overrides, String strategy, int trials, long seed, Map<String, String> options,
                       Integer trialEpochs, Integer epochs) {
        this(spec, overrides, strategy, trials, seed, options, trialEpochs, epochs, List.of());
    }

    /** Copies the plug-in list. */
    public RunSettings {
        plugins = List.copyOf(plugins);
    }

    /** The same settings with another trial budget (nas search --resume --trials N). */
    public RunSettings withTrials(int n) {
        return new RunSettings(spec, overrides, strategy, n, seed, options, trialEpochs, epochs, plugins);
    }

    /** run.json's text, stamped with the run directory's format version. */
    String toJson() {
        return Json.PRETTY.toJson(FormatVersion.RUN.stamp(Json.PRETTY.toJsonTree(this).getAsJsonObject())) + "\n";
    }

    /** Reads run.json's text, naming {@code file} and the field in any complaint. */
    static RunSettings parse(String file, String text) throws InputException {
        JsonObject o;
        try {
            JsonElement e = Json.parseStrict(text);
            if (!e.isJsonObject()) {
                throw new InputException(file + ": not written by nas search (not a JSON object)");
            }
            o = e.getAsJsonObject();
        } catch (RuntimeException e) {
            throw new InputException(file + ": not valid JSON (" + Json.reason(e) + ")");
        }
        FormatVersion.RUN.check(file, o);
        String strategy = string(file, o, "strategy");
        if (Strategies.ALL.stream().noneMatch(i -> i.name().equals(strategy))) {
            throw new InputException(file + ": unknown strategy '" + strategy + "'");
        }
        Map<String, String> options = new LinkedHashMap<>();
        JsonElement opts = o.get("options");
        if (opts != null && !opts.isJsonNull()) {
            if (!opts.isJsonObject()) {
                throw new InputException(file + ": 'options' must be an object of option names to values");
            }
            for (Map.Entry<String, JsonElement> e : opts.getAsJsonObject().entrySet()) {
                if (!e.getValue().isJsonPrimitive()) {
                    throw new InputException(file + ": option '" + e.getKey() + "' must be a value");
                }
                options.put(e.getKey(), e.getValue().getAsString());
            }
        }
        List<String> overrides = texts(file, o, "overrides", "PATH=VALUE texts");
        long trials = whole(file, o, "trials", 0);
        long seed = whole(file, o, "seed", Long.MIN_VALUE);
        Long trialEpochs = o.has("trialEpochs") && !o.get("trialEpochs").isJsonNull() ? whole(file, o, "trialEpochs", 1) : null;
        Long epochs = o.has("epochs") && !o.get("epochs").isJsonNull() ? whole(file, o, "epochs", 1) : null;
        return new RunSettings(string(file, o, "spec"), List.copyOf(overrides), strategy, (int) trials, seed,
                java.util.Collections.unmodifiableMap(options), trialEpochs == null ? null : trialEpochs.intValue(),
                epochs == null ? null : epochs.intValue(), texts(file, o, "plugins", "plug-in jar paths"));
    }

    /** An optional list of texts (empty when absent). */
    private static List<String> texts(String file, JsonObject o, String field, String what) throws InputException {
        List<String> out = new ArrayList<>();
        JsonElement list = o.get(field);
        if (list != null && !list.isJsonNull()) {
            if (!list.isJsonArray()) {
                throw new InputException(file + ": '" + field + "' must be a list of " + what);
            }
            for (JsonElement e : list.getAsJsonArray()) {
                if (!e.isJsonPrimitive()) {
                    throw new InputException(file + ": '" + field + "' must be a list of " + what);
                }
                out.add(e.getAsString());
            }
        }
        return List.copyOf(out);
    }

    private static String string(String file, JsonObject o, String field) throws InputException {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            throw new InputException(file + ": field '" + field + "' is missing");
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new InputException(file + ": field '" + field + "' must be a string");
        }
        return e.getAsString();
    }

    private static long whole(String file, JsonObject o, String field, long min) throws InputException {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            throw new InputException(file + ": field '" + field + "' is missing");
        }
        try {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                long v = e.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
                long max = field.equals("seed") ? Long.MAX_VALUE : Integer.MAX_VALUE;
                if (v >= min && v <= max) {
                    return v;
                }
            }
        } catch (ArithmeticException ex) {
            // reported below
        }
        throw new InputException(file + ": field '" + field + "' must be a whole number" + (min > Long.MIN_VALUE ? " of at least " + min : "")
                + ", got " + e);
    }
}

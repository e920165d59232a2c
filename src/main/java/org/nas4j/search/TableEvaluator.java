package org.nas4j.search;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nas4j.space.Architecture;
import org.nas4j.space.BoundedFile;
import org.nas4j.space.IoReason;

/**
 * Looks architectures up in a benchmark table: a JSON object keyed by a string built from the
 * decisions ({@code "{layer1}{layer2}"}: each {@code {k}} is the chosen candidate's name of key
 * k), whose entries hold the metric (NAS-Bench-Macro's {@code mean_acc}, say), or its learning
 * curve, which multi-fidelity strategies read at the budgets they give.
 */
public final class TableEvaluator implements Evaluator {
    /** The largest table read. */
    private static final int MAX_BYTES = 256 << 20;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");

    private final JsonObject table;
    private final String template;
    private final String metric;
    /** A child's parameters and FLOPs when the table lacks them and an objective needs them; null: not counted. */
    private final java.util.function.Function<Architecture, long[]> counts;
    /** A child's measured latency in milliseconds when an objective needs it; null: not measured. */
    private final java.util.function.ToDoubleFunction<Architecture> latency;

    /** A table read from {@code file}; an IOException naming the file and what is wrong, never quoting it. */
    public TableEvaluator(Path file, String template, String metric) throws IOException {
        this(file, template, metric, null);
    }

    /** The same, counting params and flops with {@code counts} where an entry lacks them. */
    public TableEvaluator(Path file, String template, String metric, java.util.function.Function<Architecture, long[]> counts)
            throws IOException {
        this(file, template, metric, counts, null);
    }

    /** The same, also measuring each child's {@link Objective#LATENCY} with {@code latency} when not null. */
    public TableEvaluator(Path file, String template, String metric, java.util.function.Function<Architecture, long[]> counts,
                          java.util.function.ToDoubleFunction<Architecture> latency) throws IOException {
        this.table = read(file);
        this.template = template;
        this.metric = metric;
        this.counts = counts;
        this.latency = latency;
    }

    /** Reads at most {@link #MAX_BYTES} (so a device file or FIFO cannot hang or exhaust memory). */
    private static JsonObject read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = BoundedFile.read(file, MAX_BYTES, "a benchmark table");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (java.nio.file.FileSystemException e) {
            throw new IOException(file + ": " + (e.getReason() != null ? e.getReason() : IoReason.of(e)), e);
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            // Only where the error is: a parser's message can quote the file, which may not be ours to show.
            Matcher at = Pattern.compile("line (\\d+) column (\\d+)").matcher(String.valueOf(e.getMessage()));
            throw new IOException(file + ": not valid JSON" + (at.find() ? " (at line " + at.group(1) + ", column " + at.group(2) + ")" : ""));
        }
        if (!root.isJsonObject()) {
            throw new IOException(file + ": a table is a JSON object of entries keyed by architecture");
        }
        int n = 0;
        for (Map.Entry<String, JsonElement> entry : root.getAsJsonObject().entrySet()) {
            n++;
            if (!entry.getValue().isJsonObject()) {
                throw new IOException(file + ": entry " + n + " is not a JSON object of metrics");
            }
        }
        return root.getAsJsonObject();
    }

    /** The table key of an architecture. */
    String keyOf(Architecture architecture) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder key = new StringBuilder();
        while (m.find()) {
            Object v = architecture.get(m.group(1));
            m.appendReplacement(key, Matcher.quoteReplacement(v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                    : String.valueOf(v)));
        }
        m.appendTail(key);
        return key.toString();
    }

    @Override
    public Evaluation evaluate(Architecture architecture) {
        return evaluate(architecture, null);
    }

    /**
     * The entry's metric; where it is a learning curve (a list: one value per epoch from 1; or an
     * object from budget to value, {"4": .., "12": ..}), its value at {@code budget}, or at the
     * largest budget when none is given. A list's values up to the budget are recorded as the
     * trial's {@code curve}.
     */
    @Override
    public Evaluation evaluate(Architecture architecture, Integer budget) {
        String key = keyOf(architecture);
        JsonElement entry = table.get(key);
        if (entry == null || !entry.isJsonObject()) {
            throw new IllegalArgumentException("the table has no entry '" + key + "' (key template " + template + ")");
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        double score = valueAt(key, entry.getAsJsonObject().get(metric), budget, metrics);
        // Every number of the entry is recorded: any of them may be an objective.
        metrics.put(metric, score);
        for (Map.Entry<String, JsonElement> field : entry.getAsJsonObject().entrySet()) {
            JsonElement x = field.getValue();
            if (!field.getKey().equals(metric) && x.isJsonPrimitive() && x.getAsJsonPrimitive().isNumber()) {
                double d = x.getAsDouble();
                metrics.put(field.getKey(), d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) x.getAsLong() : (Object) d);
            }
        }
        if (counts != null && !(metrics.containsKey("params") && metrics.containsKey("flops"))) {
            long[] c = counts.apply(architecture);
            metrics.putIfAbsent("params", c[0]);
            metrics.putIfAbsent("flops", c[1]);
        }
        if (latency != null && !metrics.containsKey(Objective.LATENCY)) {
            metrics.put(Objective.LATENCY, latency.applyAsDouble(architecture));
        }
        return new Evaluation(score, metrics);
    }

    /** The metric's value at {@code budget} (null: its last); a list's values up to it go into {@code metrics} as its curve. */
    private double valueAt(String key, JsonElement value, Integer budget, Map<String, Object> metrics) {
        String where = "the table's entry '" + key + "'";
        if (value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            if (budget != null) {
                throw new IllegalArgumentException(where + " holds one number '" + metric + "', not a curve over budgets, so it cannot "
                        + "score a trial of " + budget + " epochs (docs/search.md: tables with curves)");
            }
            return value.getAsDouble();
        }
        if (value != null && value.isJsonArray() && !value.getAsJsonArray().isEmpty()) {
            var curve = value.getAsJsonArray();
            int b = budget != null ? budget : curve.size();
            if (b < 1 || b > curve.size()) {
                throw new IllegalArgumentException(where + " has '" + metric + "' for 1 to " + curve.size() + " epochs, not " + b);
            }
            List<Double> upTo = new java.util.ArrayList<>();
            for (int i = 0; i < b; i++) {
                upTo.add(number(curve.get(i), where + "'s '" + metric + "' at epoch " + (i + 1)));
            }
            metrics.put("curve", upTo);
            return upTo.get(b - 1);
        }
        if (value != null && value.isJsonObject() && !value.getAsJsonObject().isEmpty()) {
            var byBudget = value.getAsJsonObject();
            String at = budget != null ? budget.toString() : byBudget.keySet().stream()
                    .max(java.util.Comparator.comparingLong(TableEvaluator::budgetKey)).orElseThrow();
            if (!byBudget.has(at)) {
                throw new IllegalArgumentException(where + " has '" + metric + "' for budgets " + String.join(", ", byBudget.keySet())
                        + ", not " + at);
            }
            return number(byBudget.get(at), where + "'s '" + metric + "' at budget " + at);
        }
        throw new IllegalArgumentException(where + " has no number '" + metric + "' (nor a curve of them)");
    }

    private static double number(JsonElement e, String what) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException(what + " is not a number");
        }
        return e.getAsDouble();
    }

    /** A curve's budget key as a number, for finding the largest; a key that is no number sorts first. */
    private static long budgetKey(String k) {
        try {
            return Long.parseLong(k.trim());
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}

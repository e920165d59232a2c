package org.nas4j.search;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks architectures up in a benchmark table: a JSON object keyed by a string built from the
 * decisions ({@code "{layer1}{layer2}"}: each {@code {k}} is the chosen candidate's name of key
 * k), whose entries hold the metric (NAS-Bench-Macro's {@code mean_acc}, say).
 */
public final class TableEvaluator implements Evaluator {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");

    private final JsonObject table;
    private final String template;
    private final String metric;

    /** A table read from {@code file}; an IOException with the file's name when it cannot be. */
    public TableEvaluator(Path file, String template, String metric) throws IOException {
        try {
            JsonElement root = JsonParser.parseString(Files.readString(file));
            if (!root.isJsonObject()) {
                throw new IOException(file + ": a table is a JSON object keyed by architecture");
            }
            this.table = root.getAsJsonObject();
        } catch (com.google.gson.JsonParseException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage());
        }
        this.template = template;
        this.metric = metric;
    }

    /** The table key of an architecture. */
    String keyOf(Map<String, Object> architecture) {
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
    public Evaluation evaluate(Map<String, Object> architecture) {
        String key = keyOf(architecture);
        JsonElement entry = table.get(key);
        if (entry == null || !entry.isJsonObject()) {
            throw new IllegalArgumentException("the table has no entry '" + key + "' (key template " + template + ")");
        }
        JsonElement value = entry.getAsJsonObject().get(metric);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("the table's entry '" + key + "' has no number '" + metric + "'");
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put(metric, value.getAsDouble());
        for (String extra : List.of("params", "flops")) {
            JsonElement x = entry.getAsJsonObject().get(extra);
            if (x != null && x.isJsonPrimitive()) {
                metrics.put(extra, x.getAsLong());
            }
        }
        return new Evaluation(value.getAsDouble(), metrics);
    }
}

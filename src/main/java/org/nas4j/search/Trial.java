package org.nas4j.search;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nas4j.space.Architecture;
import org.nas4j.space.ArchitectureException;
import org.nas4j.space.Architectures;
import org.nas4j.space.Json;
import org.nas4j.space.SearchSpace;

/**
 * One finished trial as trials.jsonl holds it: its id, architecture, status ("ok" or "failed"),
 * score (NaN when it failed), metrics, seconds and, when it failed, why.
 */
public record Trial(int id, Architecture architecture, String status, double score, Map<String, Object> metrics,
                    double seconds, String error) {

    /** Whether the trial gave a score. */
    public boolean ok() {
        return !Double.isNaN(score);
    }

    /** The trial as its journal line. */
    JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.add("architecture", Json.LINE.toJsonTree(architecture.asMap()));
        o.addProperty("status", status);
        if (ok()) {
            o.addProperty("score", score);
        }
        o.add("metrics", Json.LINE.toJsonTree(metrics));
        o.addProperty("seconds", Math.round(seconds * 1000) / 1000.0);
        if (error != null) {
            o.addProperty("error", error);
        }
        return o;
    }

    /**
     * A journal line back as a trial, its architecture read against {@code space}; an
     * IllegalArgumentException says what does not fit (a line edited by hand, or of another spec).
     */
    public static Trial fromJson(JsonObject o, SearchSpace space) {
        JsonElement id = o.get("id");
        if (id == null || !id.isJsonPrimitive() || !id.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("no whole-number 'id'");
        }
        JsonElement status = o.get("status");
        if (status == null || !status.isJsonPrimitive() || !List.of("ok", "failed").contains(status.getAsString())) {
            throw new IllegalArgumentException("'status' must be \"ok\" or \"failed\"");
        }
        JsonElement score = o.get("score");
        boolean ok = status.getAsString().equals("ok");
        if (ok && (score == null || !score.isJsonPrimitive() || !score.getAsJsonPrimitive().isNumber()
                || !Double.isFinite(score.getAsDouble()))) {
            throw new IllegalArgumentException("a trial with status ok needs a finite number 'score'");
        }
        JsonElement seconds = o.get("seconds");
        if (seconds == null || !seconds.isJsonPrimitive() || !seconds.getAsJsonPrimitive().isNumber() || seconds.getAsDouble() < 0) {
            throw new IllegalArgumentException("no number 'seconds' of at least 0");
        }
        JsonElement metrics = o.get("metrics");
        if (metrics != null && !metrics.isJsonNull() && !metrics.isJsonObject()) {
            throw new IllegalArgumentException("'metrics' must be an object");
        }
        JsonElement error = o.get("error");
        if (error != null && !error.isJsonNull() && !error.isJsonPrimitive()) {
            throw new IllegalArgumentException("'error' must be a text");
        }
        JsonElement arch = o.get("architecture");
        if (arch == null || !arch.isJsonObject()) {
            throw new IllegalArgumentException("no 'architecture' object");
        }
        Architecture architecture;
        try {
            architecture = Architectures.read(arch.toString(), space);
        } catch (ArchitectureException e) {
            throw new IllegalArgumentException("its architecture does not fit the run's spec: " + e.problems().get(0));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = metrics == null || metrics.isJsonNull() ? Map.of()
                : Json.LINE.fromJson(metrics, LinkedHashMap.class);
        return new Trial(id.getAsInt(), architecture, status.getAsString(), ok ? score.getAsDouble() : Double.NaN, m,
                seconds.getAsDouble(), error == null || error.isJsonNull() ? null : error.getAsString());
    }
}

package org.nas4j.space;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The format versions of what nas4j keeps on disk for later: a run directory (its run.json) and
 * a saved model (its model.json). Each is written with the version this build writes; a file
 * without one is of version 1 (written before versions were); a file of a newer version is
 * refused with what to do, never half read.
 */
public enum FormatVersion {
    /** A run directory: run.json, the journals, checkpoint/ and children/. */
    RUN("run directory", 1, "resume it with the nas4j that started it, or start a new run"),
    /** A model saved by nas retrain: model.json, spec.yaml, architecture.json and the parameters. */
    MODEL("saved model", 1, "evaluate it with the nas4j that saved it, or retrain it with this one");

    /** The field that holds the version. */
    public static final String FIELD = "format";

    private final String what;
    private final int current;
    private final String advice;

    FormatVersion(String what, int current, String advice) {
        this.what = what;
        this.current = current;
        this.advice = advice;
    }

    /** The version this build writes. */
    public int current() {
        return current;
    }

    /** {@code o} with this format's current version in its {@link #FIELD}. */
    public JsonObject stamp(JsonObject o) {
        o.addProperty(FIELD, current);
        return o;
    }

    /**
     * The version of {@code o} (1 when absent), checked: one this build reads, or an
     * InputException naming {@code file}, both versions and what to do.
     */
    public int check(String file, JsonObject o) throws InputException {
        JsonElement v = o.get(FIELD);
        if (v == null || v.isJsonNull()) {
            return 1;
        }
        int version;
        try {
            version = v.getAsJsonPrimitive().getAsBigDecimal().intValueExact();
        } catch (RuntimeException e) {
            throw new InputException(file + ": '" + FIELD + "' must be a whole number, got " + v);
        }
        if (version < 1) {
            throw new InputException(file + ": '" + FIELD + "' must be at least 1, got " + version);
        }
        if (version > current) {
            throw new InputException(file + ": a " + what + " of format " + version + ", written by a newer nas4j; this one reads "
                    + "formats up to " + current + ": " + advice);
        }
        return version;
    }
}

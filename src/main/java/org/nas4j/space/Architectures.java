package org.nas4j.space;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Architecture files: a flat JSON object, one entry per key, sorted. A layer choice maps to the
 * chosen candidate's name, an input choice to the list of chosen source names (possibly empty),
 * a value choice to the value, a depth to the integer. Reading also accepts NNI's forms: an
 * index, a one-hot boolean mask, a single element in a list; a number for a layer choice whose
 * candidates are all named by numbers is a name, not an index. A key written twice is an error.
 */
public final class Architectures {
    /** A candidate name that is a number: then a number in a file names it rather than indexing. */
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private Architectures() {
    }

    /** Largest architecture file read, in bytes: real ones are a few KiB. */
    public static final long MAX_FILE_BYTES = 16L << 20;

    /**
     * Reads an architecture file against a space; IOException (one line naming the file) when it
     * is missing, not a regular file or larger than {@link #MAX_FILE_BYTES}.
     */
    public static Architecture read(Path file, SearchSpace space) throws IOException, ArchitectureException {
        return read(new String(BoundedFile.read(file, MAX_FILE_BYTES, "an architecture file"), StandardCharsets.UTF_8), space);
    }

    /** Reads an architecture file's text against a space; the values come back in the canonical forms above. */
    public static Architecture read(String json, SearchSpace space) throws ArchitectureException {
        JsonElement root;
        try {
            root = JsonText.parse(json);
        } catch (JsonText.Invalid e) {
            throw new ArchitectureException(List.of(e.getMessage()));
        }
        if (!root.isJsonObject()) {
            throw new ArchitectureException(List.of("an architecture file is a JSON object {\"key\": value, ...}, got "
                    + (root.isJsonArray() ? "a list" : root.toString())));
        }
        JsonObject object = root.getAsJsonObject();
        List<String> problems = new ArrayList<>();
        Map<String, Object> arch = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : object.entrySet()) {
            Decision d = space.decisions().get(e.getKey());
            if (d == null) {
                problems.add("unknown key '" + e.getKey() + "'" + nearest(e.getKey(), space));
                continue;
            }
            try {
                arch.put(e.getKey(), value(d, e.getValue()));
            } catch (IllegalArgumentException bad) {
                problems.add("key '" + d.key() + "': " + bad.getMessage());
            }
        }
        for (Decision d : space.decisions().values()) {
            if (!object.has(d.key())) {
                problems.add("missing key '" + d.key() + "': " + allowed(d));
            }
        }
        if (!problems.isEmpty()) {
            throw new ArchitectureException(problems);
        }
        return Architecture.of(arch);
    }

    private static String nearest(String key, SearchSpace space) {
        String best = null;
        int bestScore = Integer.MAX_VALUE;
        for (String k : space.decisions().keySet()) {
            int score = Suggest.distance(key, k);
            if (score < bestScore) {
                bestScore = score;
                best = k;
            }
        }
        return best != null && bestScore <= 2 ? " (did you mean '" + best + "'?)" : " (keys: " + String.join(", ", space.decisions().keySet()) + ")";
    }

    /** What a decision accepts, for messages. */
    static String allowed(Decision d) {
        if (d instanceof Decision.LayerChoice lc) {
            return "one of " + String.join(", ", lc.candidates());
        } else if (d instanceof Decision.InputChoice ic) {
            return (ic.nChosen() == null ? "a list of any of " : "a list of " + ic.nChosen() + " of ") + ic.from();
        } else if (d instanceof Decision.DepthChoice dc) {
            return "one of the depths " + dc.depths();
        }
        return "one of " + ((Decision.ValueChoice) d).values();
    }

    private static Object value(Decision d, JsonElement v) {
        if (d instanceof Decision.InputChoice ic) {
            return inputs(ic, v);
        }
        if (d instanceof Decision.LayerChoice lc) {
            return candidate(lc, v);
        }
        List<? extends Number> values = d instanceof Decision.DepthChoice dc ? dc.depths() : ((Decision.ValueChoice) d).values();
        if (v.isJsonArray() && isMask(v.getAsJsonArray())) {
            return values.get(maskIndex(v.getAsJsonArray(), d));
        }
        JsonElement single = unwrapped(v, d);
        if (!single.isJsonPrimitive() || !single.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("expected a number, got " + v + "; " + allowed(d));
        }
        double x = single.getAsDouble();
        for (Number n : values) {
            if (n.doubleValue() == x) {
                return n;
            }
        }
        throw new IllegalArgumentException(single + " is not allowed; " + allowed(d));
    }

    /**
     * A layer choice's candidate: by name, by one-hot mask, or by a number, which is the name when
     * every candidate is named by a number (NAS-Bench-Macro's 0, 1, 2, or a space whose names
     * are not in index order) and the index otherwise, as NNI writes it.
     */
    private static String candidate(Decision.LayerChoice lc, JsonElement v) {
        if (v.isJsonArray() && isMask(v.getAsJsonArray())) {
            return lc.candidates().get(maskIndex(v.getAsJsonArray(), lc));
        }
        JsonElement single = unwrapped(v, lc);
        if (single.isJsonPrimitive() && single.getAsJsonPrimitive().isString()) {
            String name = single.getAsString();
            if (!lc.candidates().contains(name)) {
                throw new IllegalArgumentException("no candidate '" + name + "'; " + allowed(lc));
            }
            return name;
        }
        if (single.isJsonPrimitive() && single.getAsJsonPrimitive().isNumber() && numericNames(lc)) {
            BigDecimal x = single.getAsBigDecimal();
            for (String name : lc.candidates()) {
                if (new BigDecimal(name).compareTo(x) == 0) {
                    return name;
                }
            }
            throw new IllegalArgumentException("no candidate named " + single
                    + " (the candidates are named by numbers, so a number is a name, not an index); " + allowed(lc));
        }
        return lc.candidates().get(index(single, lc.candidates().size(), lc));
    }

    /** Whether every candidate's name is a number, such as 0, 1, 2 or 3.5. */
    private static boolean numericNames(Decision.LayerChoice lc) {
        return lc.candidates().stream().allMatch(name -> NUMBER.matcher(name).matches());
    }

    /** A one-element list stands for its element. */
    private static JsonElement unwrapped(JsonElement v, Decision d) {
        if (!v.isJsonArray()) {
            return v;
        }
        JsonArray a = v.getAsJsonArray();
        if (a.size() == 1 && !(a.get(0).isJsonPrimitive() && a.get(0).getAsJsonPrimitive().isBoolean())) {
            return a.get(0);
        }
        throw new IllegalArgumentException("expected a single value, got " + v + "; " + allowed(d));
    }

    /** The index of the one true of a one-hot boolean mask, NNI v1's form. */
    private static int maskIndex(JsonArray a, Decision d) {
        int count = (int) d.count().longValue();
        if (a.size() != count) {
            throw new IllegalArgumentException("a one-hot mask needs " + count + " entries, got " + a.size() + "; " + allowed(d));
        }
        int on = -1;
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).getAsBoolean()) {
                if (on >= 0) {
                    throw new IllegalArgumentException("a one-hot mask has exactly one true, got " + a + "; " + allowed(d));
                }
                on = i;
            }
        }
        if (on < 0) {
            throw new IllegalArgumentException("a one-hot mask has exactly one true, got " + a + "; " + allowed(d));
        }
        return on;
    }

    private static boolean isMask(JsonArray a) {
        for (JsonElement e : a) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
                return false;
            }
        }
        return a.size() > 0;
    }

    private static int index(JsonElement v, int size, Decision d) {
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
            double x = v.getAsDouble();
            if (x == Math.rint(x) && x >= 0 && x < size) {
                return (int) x;
            }
            throw new IllegalArgumentException("index " + v + " is out of range 0.." + (size - 1) + "; " + allowed(d));
        }
        throw new IllegalArgumentException("expected a candidate name or index, got " + v + "; " + allowed(d));
    }

    /** Chosen inputs as names, in the order of {@code from}; accepts names, indices or a boolean mask. */
    private static List<String> inputs(Decision.InputChoice ic, JsonElement v) {
        JsonArray a;
        if (v.isJsonArray()) {
            a = v.getAsJsonArray();
        } else {
            a = new JsonArray();
            a.add(v);
        }
        boolean[] chosen = new boolean[ic.from().size()];
        if (isMask(a)) {
            if (a.size() != chosen.length) {
                throw new IllegalArgumentException("a boolean mask needs " + chosen.length + " entries, got " + a.size() + "; " + allowed(ic));
            }
            for (int i = 0; i < a.size(); i++) {
                chosen[i] = a.get(i).getAsBoolean();
            }
        } else {
            for (JsonElement e : a) {
                int i;
                if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
                    i = ic.from().indexOf(e.getAsString());
                    if (i < 0) {
                        throw new IllegalArgumentException("'" + e.getAsString() + "' is not an input it can choose; " + allowed(ic));
                    }
                } else {
                    i = index(e, chosen.length, ic);
                }
                if (chosen[i]) {
                    throw new IllegalArgumentException("'" + ic.from().get(i) + "' is chosen twice; " + allowed(ic));
                }
                chosen[i] = true;
            }
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < chosen.length; i++) {
            if (chosen[i]) {
                names.add(ic.from().get(i));
            }
        }
        if (ic.nChosen() != null && names.size() != ic.nChosen()) {
            throw new IllegalArgumentException("chooses " + names.size() + " input" + (names.size() == 1 ? "" : "s")
                    + " but n-chosen is " + ic.nChosen() + "; " + allowed(ic));
        }
        return List.copyOf(names);
    }

    /** The architecture as the native file: sorted flat JSON. */
    public static String write(Architecture arch) {
        return Json.PRETTY.toJson(arch.asMap()) + "\n";
    }

    /** The architecture on one line, {@code {"key": value, ...}}, spaced so that it wraps (a report's table). */
    public static String writeLine(Architecture arch) {
        // Written directly: a report writes one per trial, and Gson took most of its time.
        StringBuilder line = new StringBuilder("{");
        for (Map.Entry<String, Object> e : arch.asMap().entrySet()) {
            quote(line.append(line.length() > 1 ? ", " : ""), e.getKey()).append(": ");
            value(line, e.getValue());
        }
        return line.append('}').toString();
    }

    private static void value(StringBuilder b, Object v) {
        if (v instanceof String s) {
            quote(b, s);
        } else if (v instanceof List<?> list) {
            b.append('[');
            for (int i = 0; i < list.size(); i++) {
                value(b.append(i > 0 ? ", " : ""), list.get(i));
            }
            b.append(']');
        } else {
            b.append(Json.LINE.toJson(v));
        }
    }

    /** A JSON string: quotes, backslashes and control characters escaped. */
    private static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"');
    }

    /**
     * The architecture as NNI v1 exports it: a one-hot boolean list for a layer choice, a boolean
     * mask over the candidates for an input choice; value and depth choices (which NNI v1 does not
     * have) keep their value.
     */
    public static String writeNniV1(Architecture arch, SearchSpace space) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : arch.asMap().entrySet()) {
            Decision d = space.decisions().get(e.getKey());
            if (d instanceof Decision.LayerChoice lc) {
                out.put(e.getKey(), lc.candidates().stream().map(c -> c.equals(e.getValue())).toList());
            } else if (d instanceof Decision.InputChoice ic) {
                List<?> chosen = (List<?>) e.getValue();
                out.put(e.getKey(), ic.from().stream().map(chosen::contains).toList());
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return Json.PRETTY.toJson(out) + "\n";
    }
}

package org.nas4j.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.nas4j.space.Decision;
import org.nas4j.space.Json;
import org.nas4j.spec.SpecError;
import org.nas4j.spec.SpecLoader;

/** Describes a checked spec for people (text) and for programs (JSON): its search space and children. */
public final class SpecSummary {
    /**
     * Most errors printed for one spec: the first ones in the file are the ones to fix first, and
     * a spec with a block used a hundred times should not bury them.
     */
    public static final int MAX_ERRORS_SHOWN = 20;

    private SpecSummary() {
    }

    /** Writes a valid spec's summary as text. */
    public static void text(SpecLoader.Checked c, PrintWriter out) {
        out.printf("%s: valid (%s)%n", c.file(), c.spec().name());
        out.printf("  input %s -> output %s%n", c.spec().input(),
                c.shapes().outputs().stream().map(Object::toString).collect(Collectors.joining(" or ")));
        out.printf("  decisions: %d%n", c.space().decisions().size());
        int width = c.space().decisions().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Decision d : c.space().decisions().values()) {
            out.printf("    %-" + width + "s  %-12s  %-40s  %s %s%n", d.key(), d.kind(), choices(d),
                    d.nodes().size() == 1 ? "node" : "shared by", String.join(", ", d.nodes()));
        }
        out.printf("  space size: %s architecture%s%n", grouped(c.space().size()), c.space().size().equals(java.math.BigInteger.ONE) ? "" : "s");
        if (c.shapes().exact()) {
            out.printf("  smallest child: %s parameters  %s%n", grouped(c.shapes().minParams()), Json.LINE.toJson(c.shapes().minArch()));
            out.printf("  largest child:  %s parameters  %s%n", grouped(c.shapes().maxParams()), Json.LINE.toJson(c.shapes().maxArch()));
        } else {
            out.printf("  smallest child: at least %s parameters (a bound: %s)%n",
                    grouped(c.shapes().minParams()), c.shapes().boundsReason());
            out.printf("  largest child:  at most %s parameters (bound)%n", grouped(c.shapes().maxParams()));
        }
    }

    /**
     * Writes a spec's first {@link #MAX_ERRORS_SHOWN} errors in file order, one
     * {@code FILE:LINE:COL: message} line each, then how many more there are, then the count.
     */
    public static void errors(SpecLoader.Checked c, PrintWriter err) {
        List<SpecError> all = c.errors();
        all.stream().limit(MAX_ERRORS_SHOWN).forEach(err::println);
        if (all.size() > MAX_ERRORS_SHOWN) {
            int more = all.size() - MAX_ERRORS_SHOWN;
            err.printf(Locale.ROOT, "%s: and %d more error%s%n", c.file(), more, more == 1 ? "" : "s");
        }
        err.printf(Locale.ROOT, "%s: %d error%s%n", c.file(), all.size(), all.size() == 1 ? "" : "s");
    }

    /** Writes every checked spec as one JSON array. */
    public static void json(List<SpecLoader.Checked> checked, PrintWriter out) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (SpecLoader.Checked c : checked) {
            all.add(jsonOf(c));
        }
        out.println(Json.PRETTY.toJson(all));
    }

    private static Map<String, Object> jsonOf(SpecLoader.Checked c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", c.file());
        m.put("valid", c.ok());
        if (!c.ok()) {
            m.put("errors", c.errors().stream().map(e -> {
                Map<String, Object> em = new LinkedHashMap<>();
                em.put("line", e.pos().line());
                em.put("column", e.pos().column());
                em.put("message", e.message());
                if (e.hint() != null) {
                    em.put("hint", e.hint());
                }
                return em;
            }).toList());
            return m;
        }
        m.put("name", c.spec().name());
        m.put("input", c.spec().input().dims());
        m.put("outputs", c.shapes().outputs().stream().map(s -> s.dims()).toList());
        List<Map<String, Object>> decisions = new ArrayList<>();
        for (Decision d : c.space().decisions().values()) {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("key", d.key());
            dm.put("kind", d.kind());
            if (d instanceof Decision.LayerChoice lc) {
                dm.put("candidates", lc.candidates());
            } else if (d instanceof Decision.InputChoice ic) {
                dm.put("from", ic.from());
                dm.put("nChosen", ic.nChosen() == null ? "any" : ic.nChosen());
            } else if (d instanceof Decision.DepthChoice dc) {
                dm.put("depths", dc.depths());
            } else {
                dm.put("values", ((Decision.ValueChoice) d).values());
            }
            dm.put("count", d.count().toString());
            dm.put("nodes", d.nodes());
            decisions.add(dm);
        }
        m.put("decisions", decisions);
        m.put("spaceSize", c.space().size().toString());
        m.put("parameterCountsExact", c.shapes().exact());
        m.put("smallestChild", child(c.shapes().minParams(), c.shapes().minArch(), c.shapes().exact()));
        m.put("largestChild", child(c.shapes().maxParams(), c.shapes().maxArch(), c.shapes().exact()));
        return m;
    }

    private static Map<String, Object> child(long params, Map<String, Object> arch, boolean exact) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("parameters", params);
        if (exact) {
            m.put("architecture", arch);
        }
        return m;
    }

    private static String choices(Decision d) {
        if (d instanceof Decision.LayerChoice lc) {
            String all = String.join(" | ", lc.candidates());
            return all.length() <= 40 ? all : lc.candidates().size() + " candidates: " + lc.candidates().get(0) + " ... "
                    + lc.candidates().get(lc.candidates().size() - 1);
        } else if (d instanceof Decision.InputChoice ic) {
            return (ic.nChosen() == null ? "any subset of " : ic.nChosen() + " of ") + ic.from();
        }
        if (d instanceof Decision.DepthChoice dc) {
            return "depth " + dc.depths().stream().map(Object::toString).collect(Collectors.joining(" | "));
        }
        return ((Decision.ValueChoice) d).values().stream().map(Object::toString).collect(Collectors.joining(" | "));
    }

    private static String grouped(Number n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}

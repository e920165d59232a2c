package org.nas4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.spec.SpecLoader;

/** How a spec's errors are listed: the first twenty in file order, then how many more. */
class SpecSummaryTest {
    /** A spec with {@code n} unknown ops, one per line from line 5. */
    private static SpecLoader.Checked withErrors(int n) {
        StringBuilder y = new StringBuilder("nas: 1\ninput: [4]\ndata: {dataset: synthetic}\nmodel:\n");
        for (int i = 0; i < n; i++) {
            y.append("  - {op: relux}\n");
        }
        SpecLoader.Checked c = SpecLoader.check("t.yaml", y.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(n, c.errors().size(), c.errors().toString());
        return c;
    }

    private static List<String> printed(SpecLoader.Checked c) {
        StringWriter w = new StringWriter();
        SpecSummary.errors(c, new PrintWriter(w, true));
        return w.toString().lines().toList();
    }

    @Test
    void twentyErrorsArePrintedInFull() {
        List<String> lines = printed(withErrors(20));
        assertEquals(21, lines.size(), String.join("\n", lines));
        assertEquals("t.yaml: 20 errors", lines.get(20));
    }

    @Test
    void pastTwentyTheRestAreCounted() {
        List<String> lines = printed(withErrors(25));
        assertEquals(22, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("t.yaml:5:"), lines.get(0));
        assertTrue(lines.get(19).startsWith("t.yaml:24:"), lines.get(19));
        assertEquals("t.yaml: and 5 more errors", lines.get(20));
        assertEquals("t.yaml: 25 errors", lines.get(21));
        assertEquals("t.yaml: and 1 more error", printed(withErrors(21)).get(20));
    }

    @Test
    void jsonListsEveryError() {
        StringWriter w = new StringWriter();
        SpecSummary.json(List.of(withErrors(25)), new PrintWriter(w, true));
        JsonArray errors = JsonParser.parseString(w.toString()).getAsJsonArray().get(0).getAsJsonObject().getAsJsonArray("errors");
        assertEquals(25, errors.size());
    }
}

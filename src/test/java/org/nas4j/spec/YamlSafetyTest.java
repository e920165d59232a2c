package org.nas4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Hostile YAML is a clear error, quickly: no object construction, no hang, no stack overflow. */
class YamlSafetyTest {

    private static SpecError onlyError(String text) {
        return onlyError(text.getBytes(StandardCharsets.UTF_8));
    }

    private static SpecError onlyError(byte[] bytes) {
        SpecLoader.Checked c = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> SpecLoader.check("h.yaml", bytes));
        assertEquals(1, c.errors().size(), c.errors().toString());
        return c.errors().get(0);
    }

    @Test
    void javaTagsNeverConstructObjects() {
        String spec = "nas: 1\ninput: !!javax.script.ScriptEngineManager [1]\ndata: {dataset: mnist}\nmodel: [{op: relu}]\n";
        SpecError e = onlyError(spec);
        assertTrue(e.message().contains("tag '!!javax.script.ScriptEngineManager' is not allowed"), e.toString());
        assertEquals(new Pos("h.yaml", 2, 8), e.pos());
    }

    @Test
    void billionLaughsIsBounded() {
        StringBuilder y = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            y.append("a").append(i).append(": &a").append(i).append(" [");
            y.append(String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
        }
        SpecError e = onlyError(y.toString());
        assertTrue(e.message().contains("alias") || e.message().contains("expands"), e.toString());
    }

    @Test
    void selfReferentialAliasIsAnError() {
        SpecError e = onlyError("nas: 1\nmodel: &m [*m]\n");
        assertTrue(e.message().contains("nest") || e.message().contains("recursive"), e.toString());
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "nas: 1\nmodel: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
        SpecError e = onlyError(deep);
        assertTrue(e.message().contains("nested more than " + YamlReader.MAX_DEPTH), e.toString());
    }

    @Test
    void oversizedDocumentIsRefusedUnread() {
        byte[] big = new byte[YamlReader.MAX_BYTES + 1];
        java.util.Arrays.fill(big, (byte) '#');
        SpecError e = onlyError(big);
        assertTrue(e.message().contains("limited to"), e.toString());
    }

    @Test
    void invalidUtf8IsAnError() {
        SpecError e = onlyError(new byte[] {'n', 'a', 's', ':', ' ', (byte) 0xC3, (byte) 0x28});
        assertTrue(e.message().contains("UTF-8"), e.toString());
    }
}

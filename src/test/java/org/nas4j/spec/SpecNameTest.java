package org.nas4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A spec's name becomes a directory under runs/: it is an identifier, written or derived from the file. */
class SpecNameTest {
    private static final String BODY = "input: [4]\ndata: {dataset: synthetic}\nmodel:\n  - {op: linear, units: 2}\n";

    private static SpecLoader.Checked check(String file, String head) {
        return SpecLoader.check(file, ("nas: 1\n" + head + BODY).getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mnist", "nas-bench-macro", "v1.2_b", "0", "-x", "A.b.c"})
    void identifiersAreNames(String name) {
        SpecLoader.Checked c = check("s.yaml", "name: \"" + name + "\"\n");
        assertTrue(c.ok(), c.errors().toString());
        assertEquals(name, c.spec().name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../x", "a/b", ".", "..", ".x", "a b", "", "x\\ny", "caf\u00e9"})
    void anythingElseIsAnErrorAtTheName(String name) {
        SpecLoader.Checked c = check("s.yaml", "name: \"" + name.replace("\n", "\\n") + "\"\n");
        assertEquals(1, c.errors().size(), c.errors().toString());
        SpecError e = c.errors().get(0);
        assertEquals(new Pos("s.yaml", 2, 7), e.pos());
        assertTrue(e.message().startsWith("name"), e.toString());
        assertEquals(1, e.toString().lines().count(), e.toString());
    }

    @Test
    void aNameOverOneHundredCharactersIsAnError() {
        assertTrue(check("s.yaml", "name: " + "a".repeat(100) + "\n").ok());
        assertEquals(1, check("s.yaml", "name: " + "a".repeat(101) + "\n").errors().size());
    }

    @ParameterizedTest
    @CsvSource({"specs/mnist.yaml, mnist", "dir/.x.yaml, x", "my spec.v2.yaml, my-spec.v2", "..yaml, spec", ".yaml, yaml",
        "/tmp/a$b, a-b", "'', spec"})
    void theDefaultNameIsTheFilesMadeSafe(String file, String name) {
        SpecLoader.Checked c = check(file, "");
        assertTrue(c.ok(), c.errors().toString());
        assertEquals(name, c.spec().name());
    }
}

package org.nas4j.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

/** Specs written inline in a test: a head shared by the test's specs, then what each test writes. */
final class InlineSpecs {
    private final String file;
    private final String head;

    /** Specs read as {@code file} (errors name it) whose text starts with {@code head}. */
    InlineSpecs(String file, String head) {
        this.file = file;
        this.head = head;
    }

    /** The head and {@code rest}, checked. */
    SpecLoader.Checked check(String rest) {
        return SpecLoader.check(file, (head + rest).getBytes(StandardCharsets.UTF_8));
    }

    /** The head and {@code rest}, checked and asserted valid. */
    SpecLoader.Checked valid(String rest) {
        SpecLoader.Checked c = check(rest);
        assertTrue(c.ok(), c.errors().toString());
        return c;
    }
}

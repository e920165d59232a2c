package org.nas4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nas4j.cli.CliRun;

/**
 * Every spec under src/test/resources/invalid goes through the CLI. Each file declares, in
 * {@code # expect: LINE:COL fragment | fragment} comments, the errors it must produce.
 */
class InvalidSpecsTest {
    private static final Path DIR = Path.of("src/test/resources/invalid");
    private static final Pattern EXPECT = Pattern.compile("^# expect: (\\d+):(\\d+) (.+)$");

    static Stream<Path> specs() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void thereAreAtLeastFortyInvalidSpecs() throws IOException {
        assertTrue(specs().count() >= 40, "only " + specs().count() + " invalid specs");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void reportsTheDeclaredErrors(Path spec) throws IOException {
        List<String[]> expected = new ArrayList<>();
        for (String line : Files.readAllLines(spec, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            Matcher m = EXPECT.matcher(line);
            if (m.matches()) {
                expected.add(new String[] {m.group(1) + ":" + m.group(2), m.group(3)});
            }
        }
        assertFalse(expected.isEmpty(), spec + " declares no '# expect: LINE:COL ...' line");

        CliRun run = CliRun.of("validate-spec", spec.toString());
        assertEquals(1, run.code(), "exit code\n" + run.err());
        assertFalse(run.crashed(), "stack trace or internal error:\n" + run.err());
        List<String> lines = Arrays.asList(run.err().split("\n"));
        for (String[] e : expected) {
            String prefix = spec + ":" + e[0] + ": ";
            List<String> fragments = Arrays.stream(e[1].split("\\|")).map(String::trim).toList();
            boolean found = lines.stream().anyMatch(l -> l.startsWith(prefix) && fragments.stream().allMatch(l::contains));
            assertTrue(found, "expected an error at " + e[0] + " containing " + fragments + "; got:\n" + run.err());
        }
        long errorLines = lines.stream().filter(l -> l.startsWith(spec + ":")).count() - 1; // less the count line
        assertTrue(errorLines >= expected.size(), "fewer errors than expected:\n" + run.err());
    }
}

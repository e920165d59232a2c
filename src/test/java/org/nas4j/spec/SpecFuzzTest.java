package org.nas4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nas4j.report.SpecSummary;

/**
 * Mutates the valid specs thousands of times (lines deleted, duplicated, swapped; scalars and
 * characters changed): every outcome must be a valid spec or positioned errors, never an
 * exception, and a valid outcome must render its summary.
 */
class SpecFuzzTest {
    /** More iterations or another seed for a longer hunt: -Dfuzz.iterations=N -Dfuzz.seed=S. */
    private static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 4000);
    private static final long SEED = Long.getLong("fuzz.seed", 20261129L);
    private static final String[] TOKENS = {"0", "-1", "3", "abc", "[", "]", "{", "}", "null", "~", "99999999999",
        "same", "any", "!!str", "&a", "*a", "'", "\"", ":", "- ", "1.5", "true", "no", "input", "conv1", "concat",
        "{choice: [1, 2]}", "{choice: []}", "[conv2, conv1]", "layer-choice", "input-choice", "op", "key", "1e9", ".inf"};

    private static List<String> seeds() throws IOException {
        List<String> seeds = new ArrayList<>();
        try (Stream<Path> specs = Files.list(Path.of("specs"))) {
            for (Path p : specs.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                seeds.add(Files.readString(p));
            }
        }
        seeds.add(Files.readString(Path.of("docs/nni-mnist-original.yaml")));
        seeds.add("""
                nas: 1
                input: [3, 8, 8]
                data: {dataset: synthetic}
                search: {strategy: evolution, trials: 3, constraints: {max-params: 1000}}
                model:
                  - {id: a, op: conv2d, channels: {choice: [4, 8], key: w}, kernel: 3, padding: same}
                  - {id: b, op: conv2d, channels: {choice: [4, 8], key: w}, kernel: 1}
                  - {id: s, input-choice: {from: [a, b], n-chosen: 1, reduction: concat}}
                  - id: l
                    layer-choice: [{op: maxpool, kernel: 2}, [{op: avgpool, kernel: 2}, {op: batchnorm}]]
                  - {id: t, input-choice: {from: [l], n-chosen: any}}
                  - {op: add, inputs: [l, t]}
                  - {op: global-avgpool}
                  - {op: linear, units: 2}
                """);
        return seeds;
    }

    @Test
    void mutatedSpecsAreValidOrPositionedErrors() throws IOException {
        List<String> seeds = seeds();
        Random random = new Random(SEED);
        assertTimeoutPreemptively(Duration.ofMinutes(Math.max(3, ITERATIONS / 1000)), () -> {
            int invalid = 0;
            for (int i = 0; i < ITERATIONS; i++) {
                String text = mutate(seeds.get(random.nextInt(seeds.size())), random);
                if (!outcomeIsClean(text)) {
                    invalid++;
                }
            }
            // The mutations must mostly break specs, or the test would prove little.
            assertTrue(invalid > ITERATIONS / 2, "only " + invalid + " of " + ITERATIONS + " mutants were invalid");
        });
    }

    /** Checks one mutant; returns whether it was valid. Fails the test on any unclean outcome. */
    private static boolean outcomeIsClean(String text) {
        SpecLoader.Checked c;
        try {
            c = SpecLoader.check("fuzz.yaml", text.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException | StackOverflowError e) {
            fail("uncaught " + e + " on:\n" + text, e);
            return false;
        }
        int lines = text.split("\n", -1).length;
        for (SpecError e : c.errors()) {
            assertEquals("fuzz.yaml", e.pos().file());
            assertTrue(e.pos().line() >= 1 && e.pos().line() <= lines + 1 && e.pos().column() >= 1, e + " on:\n" + text);
            assertFalse(e.message().isBlank() || e.message().contains("internal error") || e.message().contains("Exception"),
                    e + " on:\n" + text);
        }
        if (c.ok()) {
            StringWriter out = new StringWriter();
            SpecSummary.text(c, new PrintWriter(out));
            SpecSummary.json(List.of(c), new PrintWriter(out));
            assertTrue(out.toString().contains("space size"));
        }
        return c.ok();
    }

    private static String mutate(String seed, Random random) {
        List<String> lines = new ArrayList<>(Arrays.asList(seed.split("\n", -1)));
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations && !lines.isEmpty(); m++) {
            int i = random.nextInt(lines.size());
            switch (random.nextInt(6)) {
                case 0 -> lines.remove(i);
                case 1 -> lines.add(i, lines.get(i));
                case 2 -> {
                    int j = random.nextInt(lines.size());
                    String t = lines.get(i);
                    lines.set(i, lines.get(j));
                    lines.set(j, t);
                }
                case 3 -> lines.set(i, replaceScalar(lines.get(i), random));
                case 4 -> {
                    String line = lines.get(i);
                    int at = random.nextInt(line.length() + 1);
                    lines.set(i, line.substring(0, at) + TOKENS[random.nextInt(TOKENS.length)] + line.substring(at));
                }
                default -> {
                    String line = lines.get(i);
                    lines.set(i, line.substring(0, random.nextInt(line.length() + 1)));
                }
            }
        }
        return String.join("\n", lines);
    }

    /** Replaces one word or number of a line with a token. */
    private static String replaceScalar(String line, Random random) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]+").matcher(line);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return line;
        }
        int[] s = spans.get(random.nextInt(spans.size()));
        return line.substring(0, s[0]) + TOKENS[random.nextInt(TOKENS.length)] + line.substring(s[1]);
    }
}

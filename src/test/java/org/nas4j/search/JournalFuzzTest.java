package org.nas4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.cli.CliRun;
import org.nas4j.space.InputException;

/**
 * Random damage to a run's journals, thousands of times (a fixed seed, so a failure reproduces):
 * every resume either keeps every complete line it found, byte for byte, and goes on, or refuses
 * with FILE:LINE and changes nothing.
 */
class JournalFuzzTest {
    private static final int CASES = 3_000;
    private static final long SEED = 20261202L;
    private static final Pattern NAMED = Pattern.compile("(trials|proposals)\\.jsonl(:\\d+)?: ");
    private static final List<String> JOURNALS = List.of("trials.jsonl", "proposals.jsonl");

    @Test
    void damagedJournalsResumeIntactOrRefuseUnchanged(@TempDir Path work) throws Exception {
        Path spec = TinyRun.write(work.resolve("spec"));
        Path base = work.resolve("base");
        CliRun first = CliRun.of("search", "--spec", spec.toString(), "--strategy", "random", "--trials", "10", "--seed", "9",
                "--out", base.toString());
        assertEquals(0, first.code(), first.err());
        Map<String, byte[]> clean = new LinkedHashMap<>();
        for (String j : JOURNALS) {
            clean.put(j, Files.readAllBytes(base.resolve(j)));
        }
        Random random = new Random(SEED);
        Path run = work.resolve("case");
        DamagedRunTest.copy(base, run);
        int resumed = 0;
        int refused = 0;
        long start = System.nanoTime();
        StringBuilder failures = new StringBuilder();
        for (int c = 0; c < CASES && failures.length() < 4_000; c++) {
            Map<String, byte[]> before = new LinkedHashMap<>(clean);
            for (int k = random.nextInt(2); k >= 0; k--) {
                String j = JOURNALS.get(random.nextInt(JOURNALS.size()));
                before.put(j, damage(before.get(j), random));
            }
            for (String j : JOURNALS) {
                Files.write(run.resolve(j), before.get(j));
            }
            for (String aside : List.of("trials.jsonl.torn", "proposals.jsonl.torn")) {
                Files.deleteIfExists(run.resolve(aside));
            }
            StringWriter out = new StringWriter();
            try (RunDirectory dir = RunDirectory.resume(run)) {
                dir.updateSettings(dir.settings().withTrials(12));
                SearchRun.run(dir, SearchRun.Limits.NONE, Placement.inProcess("cpu"), null, org.nas4j.train.Progress.SILENT,
                        new PrintWriter(out), () -> { });
                resumed++;
                for (String j : JOURNALS) {
                    if (!DamagedRunTest.finishedLinesKept(before.get(j), Files.readAllBytes(run.resolve(j)))) {
                        failures.append("case ").append(c).append(": a complete line of ").append(j).append(" changed\n");
                    }
                }
            } catch (InputException e) {
                refused++;
                if (!NAMED.matcher(e.getMessage()).find()) {
                    failures.append("case ").append(c).append(": refused without naming the journal: ").append(e.getMessage()).append('\n');
                }
                for (String j : JOURNALS) {
                    if (!Arrays.equals(before.get(j), Files.readAllBytes(run.resolve(j)))) {
                        failures.append("case ").append(c).append(": refused but changed ").append(j).append('\n');
                    }
                }
            } catch (RuntimeException e) {
                failures.append("case ").append(c).append(": crashed: ").append(e).append('\n');
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("journal fuzz: %d cases (%d resumed, %d refused) in %.1f s%n", resumed + refused, resumed, refused, seconds);
        assertEquals("", failures.toString());
        assertTrue(resumed > CASES / 20 && refused > CASES / 20, "the damage should both pass and fail: " + resumed + "/" + refused);
    }

    /** One random damage: garbage, a blank line, a duplicated, removed or swapped line, a cut, a flipped byte. */
    private static byte[] damage(byte[] journal, Random random) {
        List<String> lines = new ArrayList<>(Arrays.asList(new String(journal, StandardCharsets.UTF_8).split("\n", -1)));
        boolean endsWithNewline = lines.get(lines.size() - 1).isEmpty();
        if (endsWithNewline) {
            lines.remove(lines.size() - 1);
        }
        int n = lines.size();
        int at = n == 0 ? 0 : random.nextInt(n);
        switch (random.nextInt(8)) {
            case 0 -> lines.add(at, List.of("garbage", "{", "[1]", "{\"id\": 0}", "\u0000\u0001", "{\"id\": 3.5}", "null").get(random.nextInt(7)));
            case 1 -> lines.add(at, random.nextBoolean() ? "" : "   ");
            case 2 -> {
                if (n > 0) {
                    lines.add(random.nextInt(n + 1), lines.get(at));
                }
            }
            case 3 -> {
                if (n > 0) {
                    lines.remove(at);
                }
            }
            case 4 -> {
                if (n > 1) {
                    int other = random.nextInt(n);
                    String l = lines.get(at);
                    lines.set(at, lines.get(other));
                    lines.set(other, l);
                }
            }
            case 5 -> {
                byte[] b = journal.length == 0 ? journal : Arrays.copyOf(journal, random.nextInt(journal.length));
                return b;
            }
            case 6 -> {
                if (journal.length > 0) {
                    byte[] b = journal.clone();
                    b[random.nextInt(b.length)] = (byte) "x}{\",:0 9\n".charAt(random.nextInt(10));
                    return b;
                }
            }
            default -> {
                if (n > 0) {
                    String l = lines.get(at);
                    lines.set(at, l.replaceFirst("\"(score|heard|seconds)\":[0-9.]+", "\"$1\":" + List.of("-1", "\"x\"", "1e999", "7")
                            .get(random.nextInt(4))));
                }
            }
        }
        String text = String.join("\n", lines) + (endsWithNewline && !lines.isEmpty() ? "\n" : "");
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

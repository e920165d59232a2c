package org.nas4j.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.cli.CliRun;

/**
 * A corpus of damaged run directories: each case either resumes with every finished trial's line
 * intact, byte for byte, or refuses with exit 1, naming the file (and line), changing nothing.
 */
class DamagedRunTest {
    private static final int TRIALS = 12;

    @TempDir
    static Path work;

    private static Path base;

    @BeforeAll
    static void finishedRun() throws IOException {
        Path spec = TinyRun.write(work.resolve("spec"));
        base = work.resolve("base");
        CliRun r = CliRun.of("search", "--spec", spec.toString(), "--strategy", "evolution", "--option", "population=4",
                "--option", "sample=2", "--trials", String.valueOf(TRIALS), "--seed", "3", "--out", base.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(TRIALS, Files.readAllLines(base.resolve("trials.jsonl")).size());
    }

    /** A damage done to a copy of the finished run. */
    private interface Damage {
        void apply(Path run) throws IOException;
    }

    /** What the resume must do: go on (null pattern), or refuse with a message matching the pattern. */
    private record Case(String name, Damage damage, String refusal) { }

    private static List<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("garbage line in the middle of trials.jsonl", r -> insert(r, "trials.jsonl", 5, "}{not json"),
                "trials\\.jsonl:6: not JSON"));
        cases.add(new Case("blank line in trials.jsonl", r -> insert(r, "trials.jsonl", 3, ""), "trials\\.jsonl:4: a blank line"));
        cases.add(new Case("duplicated trial line", r -> insert(r, "trials.jsonl", 7, lines(r, "trials.jsonl").get(2)),
                "trials\\.jsonl:8: id 3 is already on line 3"));
        cases.add(new Case("a trial's architecture edited to another valid one", r -> edit(r, "trials.jsonl", 4,
                l -> l.replaceFirst("\"a\":\"[rti]\"", otherA(l))),
                "trials\\.jsonl:5: trial 5 is not what the strategy proposes on replay"));
        cases.add(new Case("a trial's architecture with an unknown candidate", r -> edit(r, "trials.jsonl", 2,
                l -> l.replaceFirst("\"b\":\"[rti]\"", "\"b\":\"conv9x9\"")), "trials\\.jsonl:3: its architecture does not fit"));
        cases.add(new Case("a trial without a status", r -> edit(r, "trials.jsonl", 0, l -> l.replace("\"status\":\"ok\",", "")),
                "trials\\.jsonl:1: 'status' must be"));
        cases.add(new Case("a JSON array line", r -> insert(r, "trials.jsonl", 1, "[1,2]"), "trials\\.jsonl:2: not a JSON object"));
        cases.add(new Case("garbage in proposals.jsonl", r -> insert(r, "proposals.jsonl", 4, "xx"), "proposals\\.jsonl:5: not JSON"));
        cases.add(new Case("a proposal with a negative heard", r -> edit(r, "proposals.jsonl", 3,
                l -> l.replaceFirst("\"heard\":\\d+", "\"heard\":-4")), "proposals\\.jsonl:4: no whole-number 'heard'"));
        cases.add(new Case("run.json without its strategy", r -> Files.writeString(r.resolve("run.json"),
                Files.readString(r.resolve("run.json")).replaceFirst("\"strategy\": \"evolution\",", "")),
                "run\\.json: field 'strategy' is missing"));
        cases.add(new Case("run.json with a text seed", r -> Files.writeString(r.resolve("run.json"),
                Files.readString(r.resolve("run.json")).replaceFirst("\"seed\": 3", "\"seed\": \"three\"")),
                "run\\.json: field 'seed' must be a whole number"));
        cases.add(new Case("run.json cut in half", r -> Files.writeString(r.resolve("run.json"),
                Files.readString(r.resolve("run.json")).substring(0, 40)), "run\\.json: not valid JSON"));
        cases.add(new Case("spec.yaml removed", r -> Files.delete(r.resolve("spec.yaml")), "spec\\.yaml: no such file"));
        cases.add(new Case("a torn last line", r -> truncate(r, "trials.jsonl", 17), null));
        cases.add(new Case("a last line without its newline", r -> truncate(r, "trials.jsonl", 1), null));
        cases.add(new Case("foreign files beside the journals", r -> {
            Files.writeString(r.resolve("notes.txt"), "mine");
            Files.createDirectories(r.resolve("plots"));
        }, null));
        cases.add(new Case("a stale lock of a killed process", r -> Files.writeString(r.resolve("run.lock"), "999999\n"), null));
        cases.add(new Case("no architecture.json", r -> Files.delete(r.resolve("architecture.json")), null));
        return cases;
    }

    @Test
    void everyDamagedRunResumesIntactOrRefusesWithFileAndLineChangingNothing() throws IOException {
        StringBuilder failures = new StringBuilder();
        int i = 0;
        for (Case c : corpus()) {
            Path run = work.resolve("case-" + i++);
            copy(base, run);
            c.damage().apply(run);
            Map<String, byte[]> before = snapshot(run);
            CliRun r = CliRun.of("search", "--resume", run.toString(), "--trials", String.valueOf(TRIALS + 3));
            String what = c.name() + ": exit " + r.code() + "\n" + r.out() + r.err();
            if (r.crashed()) {
                failures.append("crashed: ").append(what).append('\n');
            } else if (c.refusal() != null) {
                if (r.code() != 1 || !Pattern.compile(c.refusal()).matcher(r.err()).find()) {
                    failures.append("expected a refusal matching /").append(c.refusal()).append("/: ").append(what).append('\n');
                }
                String changed = changed(before, snapshot(run), true);
                if (changed != null) {
                    failures.append("changed ").append(changed).append(" while refusing: ").append(c.name()).append('\n');
                }
            } else {
                if (r.code() != 0) {
                    failures.append("expected to resume: ").append(what).append('\n');
                } else if (!finishedLinesKept(before.get("trials.jsonl"), Files.readAllBytes(run.resolve("trials.jsonl")))
                        || Files.readAllLines(run.resolve("trials.jsonl")).size() != TRIALS + 3) {
                    failures.append("lost or changed finished trials: ").append(what).append('\n');
                }
            }
        }
        assertEquals("", failures.toString());
    }

    @Test
    void aTornLineIsKeptBesideTheJournal() throws IOException {
        Path run = work.resolve("torn");
        copy(base, run);
        byte[] whole = Files.readAllBytes(run.resolve("trials.jsonl"));
        truncate(run, "trials.jsonl", 25);
        byte[] cut = Files.readAllBytes(run.resolve("trials.jsonl"));
        int lastNewline = lastIndexOf(cut, (byte) '\n');
        CliRun r = CliRun.of("search", "--resume", run.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("trials.jsonl.torn"), r.out());
        assertEquals(new String(cut, lastNewline + 1, cut.length - lastNewline - 1, StandardCharsets.UTF_8) + "\n",
                Files.readString(run.resolve("trials.jsonl.torn")));
        assertArrayEquals(Arrays.copyOf(whole, lastNewline + 1), Arrays.copyOf(Files.readAllBytes(run.resolve("trials.jsonl")),
                lastNewline + 1));
    }

    @Test
    void repairSetsBadLinesAsideAndTheRunGoesOnWithEveryReadableTrial() throws IOException {
        Path run = work.resolve("repair");
        copy(base, run);
        insert(run, "trials.jsonl", 4, "garbage");
        insert(run, "trials.jsonl", 9, "");
        List<String> readable = lines(run, "trials.jsonl").stream().filter(l -> l.startsWith("{")).toList();
        CliRun refused = CliRun.of("search", "--resume", run.toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("trials.jsonl:5: not JSON") && refused.err().contains("and 1 more unreadable line"),
                refused.err());

        CliRun repaired = CliRun.of("runs", "repair", run.toString());
        assertEquals(0, repaired.code(), repaired.err());
        assertTrue(repaired.out().contains("2 lines moved to trials.jsonl.rejected"), repaired.out());
        assertEquals(List.of("garbage", ""), Files.readAllLines(run.resolve("trials.jsonl.rejected")));
        assertEquals(readable, lines(run, "trials.jsonl"));

        CliRun resumed = CliRun.of("search", "--resume", run.toString(), "--trials", String.valueOf(TRIALS + 4));
        assertEquals(0, resumed.code(), resumed.err());
        List<String> after = lines(run, "trials.jsonl");
        assertEquals(readable, after.subList(0, readable.size()));
        assertEquals(TRIALS + 4, after.size());
        assertEquals(after.size(), after.stream().map(l -> l.replaceFirst(".*\"architecture\":(\\{[^}]*}).*", "$1")).distinct().count(),
                "a repaired run proposes no architecture twice");
    }

    @Test
    void skipBadLinesRepairsAndResumesInOneStep() throws IOException {
        Path run = work.resolve("skip");
        copy(base, run);
        insert(run, "proposals.jsonl", 2, "{\"id\": 1, \"heard\": 0}");
        CliRun r = CliRun.of("search", "--resume", run.toString(), "--skip-bad-lines");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("1 line moved to proposals.jsonl.rejected (line 3: id 1 is already on line 1)"), r.out());
    }

    @Test
    void aSecondWriterIsRefusedWithThePidOfTheFirst() throws Exception {
        Path run = work.resolve("locked");
        copy(base, run);
        try (RunDirectory held = RunDirectory.resume(run)) {
            CliRun same = CliRun.of("search", "--resume", run.toString());
            assertEquals(1, same.code());
            assertTrue(same.err().contains(run + " is in use by process " + ProcessHandle.current().pid()), same.err());
            // Another process sees the OS lock.
            Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                    "-cp", System.getProperty("java.class.path"), "org.nas4j.cli.Main", "search", "--resume", run.toString())
                    .redirectErrorStream(true).start();
            String said = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, other.waitFor());
            assertTrue(said.contains("is in use by process " + ProcessHandle.current().pid()), said);
            CliRun repair = CliRun.of("runs", "repair", run.toString());
            assertEquals(1, repair.code());
        }
        assertEquals(0, CliRun.of("search", "--resume", run.toString()).code(), "the lock goes with its holder");
    }

    @Test
    void aDamagedOneShotRunRefusesWithItsFile(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("oneshot");
        CliRun r = CliRun.of("search", "--spec", "specs/mnist.yaml", "--strategy", "random-oneshot", "--epochs", "2", "--trials", "2",
                "--threads", "1", "--set", "data.dataset=synthetic", "--set", "data.limit=128", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Damage> damages = new LinkedHashMap<>();
        damages.put("epochs\\.jsonl:2: a blank line", d -> insert(d, "epochs.jsonl", 1, ""));
        damages.put("epochs\\.jsonl:2: epoch 1 is already on line 1", d -> insert(d, "epochs.jsonl", 1, lines(d, "epochs.jsonl").get(0)));
        damages.put("state\\.json: damaged", d -> Files.writeString(d.resolve("checkpoint/state.json"), "{\"epoch\": \"x\"}"));
        damages.put("checkpoint .* cannot be read", d -> {
            Path params = d.resolve("checkpoint/supernet.ndlist");
            Files.write(params, Arrays.copyOf(Files.readAllBytes(params), 100));
        });
        int i = 0;
        for (Map.Entry<String, Damage> e : damages.entrySet()) {
            Path copy = dir.resolve("copy-" + i++);
            copy(run, copy);
            e.getValue().apply(copy);
            Map<String, byte[]> before = snapshot(copy);
            CliRun resumed = CliRun.of("search", "--resume", copy.toString(), "--trials", "3");
            assertEquals(1, resumed.code(), e.getKey() + ": " + resumed.out() + resumed.err());
            assertFalse(resumed.crashed(), resumed.err());
            assertTrue(Pattern.compile(e.getKey()).matcher(resumed.err()).find(), e.getKey() + ": " + resumed.err());
            assertEquals(null, changed(before, snapshot(copy), false), e.getKey() + ": a journal changed");
        }
    }

    // ---- helpers ----

    static List<String> lines(Path run, String file) throws IOException {
        return new ArrayList<>(Files.readAllLines(run.resolve(file)));
    }

    private static void insert(Path run, String file, int at, String line) throws IOException {
        List<String> l = lines(run, file);
        l.add(at, line);
        Files.writeString(run.resolve(file), String.join("\n", l) + "\n");
    }

    private static void edit(Path run, String file, int at, java.util.function.UnaryOperator<String> change) throws IOException {
        List<String> l = lines(run, file);
        String edited = change.apply(l.get(at));
        assertFalse(edited.equals(l.get(at)), "the edit changed nothing: " + edited);
        l.set(at, edited);
        Files.writeString(run.resolve(file), String.join("\n", l) + "\n");
    }

    /** The same line with another candidate for decision a. */
    private static String otherA(String line) {
        java.util.regex.Matcher m = Pattern.compile("\"a\":\"([rti])\"").matcher(line);
        return m.find() ? "\"a\":\"" + (m.group(1).equals("r") ? "t" : "r") + "\"" : "";
    }

    private static void truncate(Path run, String file, int bytes) throws IOException {
        byte[] b = Files.readAllBytes(run.resolve(file));
        Files.write(run.resolve(file), Arrays.copyOf(b, b.length - bytes));
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("run.lock")) {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** Every file of a run but its report and lock (rewritten on every run by design). */
    static Map<String, byte[]> snapshot(Path run) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(run)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = run.relativize(p).toString();
                if (!name.equals("report.html") && !name.equals("run.lock")) {
                    m.put(name, Files.readAllBytes(p));
                }
            }
        }
        return m;
    }

    /** The first file that differs (all files, or the journals only), or null. */
    static String changed(Map<String, byte[]> a, Map<String, byte[]> b, boolean all) {
        if (all && !a.keySet().equals(b.keySet())) {
            return "the files: " + a.keySet() + " became " + b.keySet();
        }
        for (String k : a.keySet()) {
            if ((all || k.endsWith(".jsonl")) && !Arrays.equals(a.get(k), b.get(k))) {
                return k;
            }
        }
        return null;
    }

    /** Whether the journal after a resume begins with every complete line it had before, unchanged. */
    static boolean finishedLinesKept(byte[] before, byte[] after) {
        int keep = lastIndexOf(before, (byte) '\n') + 1;
        return after.length >= keep && Arrays.equals(Arrays.copyOf(before, keep), Arrays.copyOf(after, keep));
    }

    private static int lastIndexOf(byte[] b, byte x) {
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }
}

package org.nas4j.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball that {@code mvn package} makes, unpacked in a temporary directory and run
 * from another one: no repository, no Maven, only Java (run in Maven's integration-test phase).
 */
class DistributionIT {
    @TempDir
    static Path tmp;
    private static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        Path tarball;
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            tarball = s.filter(p -> p.getFileName().toString().matches("nas4j-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/nas4j-*.tar.gz: run mvn package"));
        }
        Path unpacked = tmp.resolve("unpacked");
        Files.createDirectories(unpacked);
        assertEquals(0, run(unpacked, List.of("tar", "xzf", tarball.toAbsolutePath().toString())).code);
        try (Stream<Path> s = Files.list(unpacked)) {
            home = s.findFirst().orElseThrow();
        }
    }

    private record Result(int code, String out) { }

    private static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        // As on a machine without this repository: no data directory of ours, no plug-ins.
        b.environment().remove("NAS4J_DATA");
        b.environment().remove("NAS4J_PLUGINS");
        Process p = b.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static Result nas(Path cwd, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/nas").toString()));
        command.addAll(List.of(args));
        return run(cwd, command);
    }

    @Test
    void theUnpackedReleaseChecksASpecAndSearchesATableFromAnyDirectory() throws Exception {
        assertTrue(Files.isExecutable(home.resolve("bin/nas")));
        assertTrue(Files.isRegularFile(home.resolve("lib/nas4j.jar")) && Files.isRegularFile(home.resolve("docs/spec.md")));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Result version = nas(elsewhere, "--version");
        assertEquals(0, version.code, version.out);
        assertTrue(version.out.matches("(?s)nas4j \\d+\\.\\d+.*"), version.out);
        Result valid = nas(elsewhere, "validate-spec", home.resolve("specs/mnist.yaml").toString());
        assertEquals(0, valid.code, valid.out);
        assertTrue(valid.out.contains("valid (mnist)") && valid.out.contains("space size: 4 architectures"), valid.out);
        Result search = nas(elsewhere, "search", "--spec", home.resolve("specs/nas-bench-macro.yaml").toString(), "--strategy", "evolution",
                "--trials", "20", "--out", "run", "--no-report");
        assertEquals(0, search.code, search.out);
        assertEquals(20, Files.readAllLines(elsewhere.resolve("run/trials.jsonl")).size());
        assertTrue(Files.isRegularFile(elsewhere.resolve("run/architecture.json")));
    }
}

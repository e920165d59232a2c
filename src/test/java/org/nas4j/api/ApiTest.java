package org.nas4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.cli.JavaSources;

/** The public API as a Java application uses it, and docs/api.md's program compiled and run as it is written. */
class ApiTest {

    @Test
    void theProgramInTheDocsCompilesAndSearches(@TempDir Path dir) throws Exception {
        Matcher m = Pattern.compile("## A whole program.*?```java\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of("docs/api.md")));
        assertTrue(m.find(), "docs/api.md shows a program");
        String program = m.group(1);
        assertTrue(program.lines().count() <= 45, "a short program: " + program.lines().count() + " lines");
        Path source = dir.resolve("MySearch.java");
        Files.writeString(source, program);
        JavaSources.compile(List.of(source), dir.resolve("classes"));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream before = System.out;
        Path run = dir.resolve("run");
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {dir.resolve("classes").toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            loader.loadClass("MySearch").getMethod("main", String[].class).invoke(null, (Object) new String[] {"specs/mnist.yaml", run.toString()});
        } finally {
            System.setOut(before);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("conv1: layer-choice, 2 options") && out.contains("skipcon: input-choice, 2 options"), out);
        assertTrue(out.contains("best: Trial[id="), out);
        SearchResult read = SearchResult.read(run);
        assertEquals(4, read.trials().size());
        assertTrue(read.trials().stream().allMatch(t -> t.ok() && t.score() < 0), read.trials().toString());
        assertEquals(read.best().orElseThrow().score(), read.trials().stream().mapToDouble(Trial::score).max().orElseThrow());
    }

    @Test
    void problemsAreValuesWithPositions() throws Exception {
        NasSpec bad = NasSpec.parse("bad.yaml", "nas: 1\nname: x\ninput: [4]\ndata: {dataset: synthetic}\nmodel:\n  - {id: a, op: linaer, units: 2}\n");
        assertTrue(!bad.ok() && !bad.problems().isEmpty());
        Problem p = bad.problems().get(0);
        assertEquals("bad.yaml", p.file());
        assertEquals(6, p.line());
        assertTrue(p.message().contains("linaer"), p.toString());
        NasException e = assertThrows(NasException.class, bad::decisions);
        assertTrue(e.getMessage().startsWith("bad.yaml has 1 problem, the first: bad.yaml:6:"), e.getMessage());
        assertEquals(1, NasSpec.load(Path.of("no/such.yaml")).problems().size());
    }

    @Test
    void aChildIsAPlainDjlBlockOfTheCountedSize() throws Exception {
        NasSpec spec = NasSpec.load(Path.of("specs/mnist.yaml"));
        Map<String, Object> arch = Map.of("conv1", "conv5x5", "skipcon", List.of("conv2"));
        Block block = spec.child(arch);
        try (NDManager m = NDManager.newBaseManager()) {
            block.initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            long counted = block.getParameters().values().stream().filter(p -> p.requiresGradient()).mapToLong(p -> p.getArray().size()).sum();
            assertEquals(spec.parameters(arch), counted);
        }
        NasException e = assertThrows(NasException.class, () -> spec.child(Map.of("conv1", "conv7x7", "skipcon", List.of())));
        assertTrue(e.getMessage().contains("conv7x7"), e.getMessage());
    }

    @Test
    void runningASearchAgainResumesIt(@TempDir Path dir) throws Exception {
        NasSpec spec = NasSpec.load(Path.of("specs/nas-bench-macro.yaml"));
        Set<Map<String, Object>> seen = new HashSet<>();
        ChildEvaluator smallest = child -> {
            assertTrue(seen.add(child.architecture()), "no child is evaluated twice: " + child.architecture());
            return -child.parameters();
        };
        Path run = dir.resolve("run");
        SearchResult first = Search.of(spec).strategy("evolution").trials(6).seed(3).evaluator(smallest).runIn(run).run();
        assertEquals(6, first.trials().size());
        SearchResult more = Search.of(spec).strategy("evolution").trials(10).seed(3).evaluator(smallest).runIn(run).run();
        assertEquals(10, more.trials().size());
        assertEquals(first.trials(), more.trials().subList(0, 6), "the finished trials are kept");
        assertEquals(10, seen.size());
        NasException other = assertThrows(NasException.class, () -> Search.of(spec).strategy("tpe").evaluator(smallest).runIn(run).run());
        assertTrue(other.getMessage().contains("holds a search with strategy evolution, not tpe"), other.getMessage());
        NasException unknown = assertThrows(NasException.class,
                () -> Search.of(spec).strategy("annealing").evaluator(smallest).runIn(dir.resolve("b")).run());
        assertTrue(unknown.getMessage().contains("annealing"), unknown.getMessage());
        assertThrows(NasException.class, () -> Search.of(spec).strategy("asha").evaluator(smallest).runIn(dir.resolve("c")).run());
    }
}

package org.nas4j.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Architecture files: the native form, NNI's forms, and every kind of bad entry. */
class ArchitecturesTest {
    private static final SearchSpace SPACE = new SearchSpace(new TreeMap<>(Map.of(
            "conv1", new Decision.LayerChoice("conv1", List.of("conv3x3", "conv5x5"), List.of("conv1")),
            "skipcon", new Decision.InputChoice("skipcon", List.of("conv2"), null, List.of("skipcon")),
            "pick", new Decision.InputChoice("pick", List.of("a", "b", "c"), 2, List.of("pick")),
            "w", new Decision.ValueChoice("w", List.of(16, 32), List.of("x")),
            "r.depth", new Decision.DepthChoice("r.depth", List.of(1, 2, 3), List.of("r")))));

    private static Architecture read(String json) throws ArchitectureException {
        return Architectures.read(json, SPACE);
    }

    private static String problem(String json) {
        ArchitectureException e = assertThrows(ArchitectureException.class, () -> read(json));
        return e.getMessage();
    }

    @Test
    void nativeFilesRoundTripSorted() throws Exception {
        Architecture arch = read("{\"w\": 32, \"skipcon\": [\"conv2\"], \"pick\": [\"c\", \"a\"], \"conv1\": \"conv5x5\", \"r.depth\": 2}");
        assertEquals("conv5x5", arch.get("conv1"));
        assertEquals(List.of("a", "c"), arch.get("pick"));
        assertEquals(32, arch.get("w"));
        assertEquals(2, arch.get("r.depth"));
        String written = Architectures.write(arch);
        assertTrue(written.indexOf("\"conv1\"") < written.indexOf("\"pick\"") && written.indexOf("\"pick\"") < written.indexOf("\"w\""));
        assertEquals(arch, read(written));
    }

    @Test
    void equalArchitecturesHashAlikeAndPermutedValuesSpreadOut() {
        // NAS-Bench-Macro's shape: 8 layers of 3 candidates named "0", "1", "2".
        java.util.Set<Integer> hashes = new java.util.HashSet<>();
        java.util.Set<Architecture> all = new java.util.HashSet<>();
        for (int code = 0; code < 6561; code++) {
            java.util.Map<String, Object> values = new java.util.HashMap<>();
            for (int layer = 0, c = code; layer < 8; layer++, c /= 3) {
                values.put("layer" + (layer + 1), String.valueOf(c % 3));
            }
            Architecture a = Architecture.of(values);
            assertEquals(a, Architecture.of(new java.util.TreeMap<>(values)));
            assertEquals(a.hashCode(), Architecture.of(new java.util.TreeMap<>(values)).hashCode());
            hashes.add(a.hashCode());
            all.add(a);
        }
        assertEquals(6561, all.size());
        assertTrue(hashes.size() > 6000, hashes.size() + " distinct hashes");
    }

    @Test
    void oneLineFormReadsBackTheSameAndEscapes() throws Exception {
        Architecture arch = read("{\"w\": 32, \"skipcon\": [\"conv2\"], \"pick\": [\"c\", \"a\"], \"conv1\": \"conv5x5\", \"r.depth\": 2}");
        String line = Architectures.writeLine(arch);
        assertEquals("{\"conv1\": \"conv5x5\", \"pick\": [\"a\", \"c\"], \"r.depth\": 2, \"skipcon\": [\"conv2\"], \"w\": 32}", line);
        assertEquals(arch, read(line));
        Architecture odd = Architecture.of(java.util.Map.of("a\"b\\c", "x\ty"));
        assertEquals(odd.asMap(), new com.google.gson.Gson().fromJson(Architectures.writeLine(odd), java.util.Map.class));
    }

    @Test
    void nniFormsAreRead() throws Exception {
        Architecture arch = read("{\"conv1\": [false, true], \"skipcon\": [true], \"pick\": [0, 2], \"w\": [16], \"r.depth\": 3}");
        assertEquals("conv5x5", arch.get("conv1"));
        assertEquals(List.of("conv2"), arch.get("skipcon"));
        assertEquals(List.of("a", "c"), arch.get("pick"));
        assertEquals(16, arch.get("w"));
        assertEquals("conv3x3", read("{\"conv1\": 0, \"skipcon\": [], \"pick\": [true, true, false], \"w\": 32, \"r.depth\": 1}").get("conv1"));
        assertEquals(List.of(), read("{\"conv1\": \"conv3x3\", \"skipcon\": [false], \"pick\": [\"a\", \"b\"], \"w\": 32, \"r.depth\": 1}").get("skipcon"));
    }

    @Test
    void nniV1OutputReadsBackTheSame() throws Exception {
        Architecture arch = read("{\"conv1\": \"conv5x5\", \"skipcon\": [\"conv2\"], \"pick\": [\"b\", \"c\"], \"w\": 16, \"r.depth\": 2}");
        String nni = Architectures.writeNniV1(arch, SPACE);
        assertTrue(nni.contains("\"conv1\": [\n    false,\n    true\n  ]"), nni);
        assertEquals(arch, read(nni));
    }

    @Test
    void badEntriesNameTheKeyAndTheAllowedValues() {
        String base = "\"skipcon\": [], \"pick\": [\"a\", \"b\"], \"w\": 16, \"r.depth\": 1";
        assertTrue(problem("{\"conv1\": \"conv7x7\", " + base + "}").contains("key 'conv1': no candidate 'conv7x7'; one of conv3x3, conv5x5"));
        assertTrue(problem("{\"conv1\": 2, " + base + "}").contains("key 'conv1': index 2 is out of range 0..1"));
        assertTrue(problem("{\"conv1\": [true, true], " + base + "}").contains("exactly one true"));
        assertTrue(problem("{\"conv1\": \"conv3x3\", \"convl\": 1, " + base + "}").contains("unknown key 'convl' (did you mean 'conv1'?)"));
        assertTrue(problem("{" + base + "}").contains("missing key 'conv1': one of conv3x3, conv5x5"));
        assertTrue(problem("{\"conv1\": 0, \"skipcon\": [], \"pick\": [\"a\"], \"w\": 16, \"r.depth\": 1}")
                .contains("key 'pick': chooses 1 input but n-chosen is 2; a list of 2 of [a, b, c]"));
        assertTrue(problem("{\"conv1\": 0, \"skipcon\": [\"conv3\"], \"pick\": [\"a\", \"b\"], \"w\": 16, \"r.depth\": 1}")
                .contains("'conv3' is not an input it can choose"));
        assertTrue(problem("{\"conv1\": 0, \"skipcon\": [], \"pick\": [\"a\", \"a\"], \"w\": 16, \"r.depth\": 1}").contains("chosen twice"));
        assertTrue(problem("{\"conv1\": 0, \"skipcon\": [], \"pick\": [\"a\", \"b\"], \"w\": 24, \"r.depth\": 1}")
                .contains("key 'w': 24 is not allowed; one of [16, 32]"));
        assertTrue(problem("{\"conv1\": 0, \"skipcon\": [], \"pick\": [\"a\", \"b\"], \"w\": 16, \"r.depth\": 4}").contains("one of the depths [1, 2, 3]"));
        assertTrue(problem("[1, 2]").contains("a JSON object"));
        assertTrue(problem("{\"conv1\": ").contains("not valid JSON"));
    }

    @Test
    void everyProblemOfAFileIsListed() {
        ArchitectureException e = assertThrows(ArchitectureException.class, () -> read("{\"conv1\": 5, \"w\": 3}"));
        assertEquals(5, e.problems().size(), e.getMessage()); // conv1, w, and three missing keys
    }

    private static final SearchSpace MACRO = new SearchSpace(new TreeMap<>(Map.of(
            "layer1", new Decision.LayerChoice("layer1", List.of("0", "1", "2"), List.of("layer1")),
            "layer2", new Decision.LayerChoice("layer2", List.of("2", "0", "1"), List.of("layer2")),
            "op", new Decision.LayerChoice("op", List.of("7", "conv"), List.of("op")))));

    @Test
    void aNumberNamesTheCandidateWhenEveryCandidateIsNamedByANumber() throws Exception {
        // layer2 lists its candidates out of order: index 0 would be "2", but 0 means the candidate named 0.
        Architecture arch = Architectures.read("{\"layer1\": 2, \"layer2\": 0, \"op\": 0}", MACRO);
        assertEquals("2", arch.get("layer1"));
        assertEquals("0", arch.get("layer2"));
        assertEquals("7", arch.get("op"), "not every name of op is a number: 0 stays an index");
        assertEquals("1", Architectures.read("{\"layer1\": [1.0], \"layer2\": \"1\", \"op\": 1}", MACRO).get("layer1"));
        assertEquals("conv", Architectures.read("{\"layer1\": 1, \"layer2\": 1, \"op\": 1}", MACRO).get("op"));
        // A one-hot mask is positional whatever the names.
        assertEquals("2", Architectures.read("{\"layer1\": 0, \"layer2\": [true, false, false], \"op\": 1}", MACRO).get("layer2"));
        ArchitectureException e = assertThrows(ArchitectureException.class,
                () -> Architectures.read("{\"layer1\": 3, \"layer2\": 0, \"op\": 1}", MACRO));
        assertTrue(e.getMessage().contains("key 'layer1': no candidate named 3"), e.getMessage());
    }

    @Test
    void aOneHotMaskSelectsAValueOrADepthByPosition() throws Exception {
        Architecture arch = read("{\"conv1\": 0, \"skipcon\": [], \"pick\": [0, 1], \"w\": [false, true], \"r.depth\": [false, false, true]}");
        assertEquals(32, arch.get("w"));
        assertEquals(3, arch.get("r.depth"));
    }

    @Test
    void aKeyWrittenTwiceIsAnErrorNamingIt() {
        String twice = "{\"conv1\": \"conv3x3\", \"skipcon\": [], \"pick\": [\"a\", \"b\"],\n \"w\": 16, \"r.depth\": 1, \"conv1\": \"conv5x5\"}";
        String message = problem(twice);
        assertEquals("line 2, column 25: the key 'conv1' is written twice", message);
        assertTrue(problem("{\"conv1\": 0, \"w\": {\"a\": 1, \"a\": 2}}").contains("the key 'a' is written twice"));
    }

    @Test
    void syntaxErrorsAreOneLineWithAPositionAndNoLibraryNames() {
        for (String bad : List.of("{\"conv1\": ", "{\"conv1\" \"conv3x3\"}", "{\"conv1\": \"conv3x3\"}}", "{\"w\": 1e999999999999}",
                "[".repeat(100_000), "{\"conv1\": \"a}")) {
            String message = problem(bad);
            assertTrue(message.matches("line \\d+, column \\d+: .+"), message);
            assertTrue(!message.contains("\n") && !message.contains("http") && !message.contains("Exception")
                    && !message.contains("JsonReader") && !message.contains("gson"), message);
        }
        assertEquals("line 1, column 11: not valid JSON: end of input", problem("{\"conv1\": "));
        assertEquals("the file is empty", problem(" \n"));
    }
}

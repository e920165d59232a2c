package org.nas4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The example search spaces of specs/: sizes computed independently, and the macro space against its table. */
class ExampleSpacesTest {

    private static SpecLoader.Checked load(String name) {
        SpecLoader.Checked c = SpecLoader.load(Path.of("specs", name));
        assertTrue(c.ok(), c.errors().toString());
        return c;
    }

    @Test
    void nasBenchMacroMatchesTheTableParameterAndFlopCountsOfEveryArchitecture() throws IOException {
        SpecLoader.Checked c = load("nas-bench-macro.yaml");
        assertEquals(BigInteger.valueOf(6561), c.space().size());
        JsonObject table = JsonParser.parseString(Files.readString(Path.of("benchmarks/nas-bench-macro/nas-bench-macro_cifar10.json")))
                .getAsJsonObject();
        assertEquals(6561, table.size());
        ShapeChecker.Children children = ShapeChecker.children(c.spec());
        for (String code : table.keySet()) {
            Map<String, Object> arch = new TreeMap<>();
            for (int layer = 0; layer < 8; layer++) {
                arch.put("layer" + (layer + 1), String.valueOf(code.charAt(layer)));
            }
            Diagnostics diag = new Diagnostics();
            ShapeChecker.Child child = children.child(arch, diag);
            assertEquals(table.getAsJsonObject(code).get("params").getAsLong(), child.params(), code);
            assertEquals(table.getAsJsonObject(code).get("flops").getAsLong(), child.flops(), code);
        }
        assertEquals(387_882, c.shapes().minParams());
        assertEquals(2_932_586, c.shapes().maxParams());
    }

    /** C(n, k). */
    private static BigInteger choose(int n, int k) {
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1L));
        }
        return r;
    }

    @Test
    void dartsCellSpaceIsTwoSharedGenotypes() {
        SpecLoader.Checked c = load("darts-cell.yaml");
        // One genotype: 14 edges of 8 ops; node j keeps 2 of its j + 2 incoming edges.
        BigInteger genotype = BigInteger.valueOf(8).pow(2 + 3 + 4 + 5);
        for (int j = 0; j < 4; j++) {
            genotype = genotype.multiply(choose(j + 2, 2));
        }
        assertEquals(genotype.pow(2), c.space().size());
        assertEquals(2 * (14 + 4), c.space().decisions().size());
        assertEquals(java.util.List.of("cell1/n3", "cell3/n3"), c.space().decisions().get("normal/n3").nodes());
        assertEquals(java.util.List.of("cell2/n3"), c.space().decisions().get("reduce/n3").nodes());
    }

    @Test
    void enasMacroSpaceIsOpsTimesSkipSubsets() {
        SpecLoader.Checked c = load("enas-macro.yaml");
        // 6 layers of 6 ops; layer i may add any subset of the i - 1 layers before it.
        BigInteger size = BigInteger.valueOf(6).pow(6).multiply(BigInteger.TWO.pow(1 + 2 + 3 + 4 + 5));
        assertEquals(size, c.space().size());
        assertTrue(c.shapes().exact());
    }
}

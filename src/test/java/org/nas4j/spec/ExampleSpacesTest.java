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
    void nasBenchMacroMatchesTheTableParameterCountOfEveryArchitecture() throws IOException {
        SpecLoader.Checked c = load("nas-bench-macro.yaml");
        assertEquals(BigInteger.valueOf(6561), c.space().size());
        JsonObject table = JsonParser.parseString(Files.readString(Path.of("benchmarks/nas-bench-macro/nas-bench-macro_cifar10.json")))
                .getAsJsonObject();
        assertEquals(6561, table.size());
        for (String code : table.keySet()) {
            Map<String, Object> arch = new TreeMap<>();
            for (int layer = 0; layer < 8; layer++) {
                arch.put("layer" + (layer + 1), String.valueOf(code.charAt(layer)));
            }
            Diagnostics diag = new Diagnostics();
            ShapeChecker.Result child = ShapeChecker.check(c.spec(), arch, diag);
            long expected = table.getAsJsonObject(code).get("params").getAsLong();
            assertEquals(expected, child.minParams(), code);
            assertEquals(expected, child.maxParams(), code);
        }
        assertEquals(387_882, c.shapes().minParams());
        assertEquals(2_932_586, c.shapes().maxParams());
    }
}

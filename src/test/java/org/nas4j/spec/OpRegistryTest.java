package org.nas4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The op registry is the one list of op names: the schema and the documentation list the same ones, in its order. */
class OpRegistryTest {

    @Test
    void theSchemaListsEveryOpOfTheRegistry() throws IOException {
        JsonNode names = new ObjectMapper().readTree(Path.of("specs/schema.json").toFile())
                .at("/definitions/opFields/op/enum");
        List<String> schema = new ArrayList<>();
        names.forEach(n -> schema.add(n.asText()));
        assertEquals(OpDef.names(), schema);
    }

    @Test
    void theDocumentationsOpTableListsEveryOpOfTheRegistry() throws IOException {
        String doc = Files.readString(Path.of("docs/spec.md"));
        String section = doc.substring(doc.indexOf("\n## Ops\n"), doc.indexOf("\n## ", doc.indexOf("\n## Ops\n") + 1));
        List<String> documented = new ArrayList<>();
        for (String line : section.split("\n")) {
            if (line.startsWith("| `")) {
                // The first cell names one op or several that share a row: "| `add`, `mean` |".
                Matcher m = Pattern.compile("`([^`]+)`").matcher(line.substring(0, line.indexOf('|', 1)));
                while (m.find()) {
                    documented.add(m.group(1));
                }
            }
        }
        assertEquals(OpDef.names(), documented);
    }
}

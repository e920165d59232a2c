package org.nas4j.spec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** specs/schema.json, as an editor would use it: it accepts every example spec and rejects bad ones. */
class SchemaTest {
    private static JsonSchema schema;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("specs/schema.json"))) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
    }

    private static Set<ValidationMessage> validate(String yaml) {
        Object data = new Load(LoadSettings.builder().setSchema(new CoreSchema()).build()).loadFromString(yaml);
        JsonNode tree = JSON.valueToTree(data);
        return schema.validate(tree);
    }

    static Stream<Path> exampleSpecs() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("specs"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exampleSpecs")
    void acceptsEveryExampleSpec(Path spec) throws IOException {
        Set<ValidationMessage> errors = validate(Files.readString(spec));
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void thereAreExampleSpecsToCheck() throws IOException {
        assertTrue(exampleSpecs().count() >= 4);
    }

    private static final String GOOD = """
            nas: 1
            input: [1, 28, 28]
            data: {dataset: mnist}
            model:
              - {id: c, op: conv2d, channels: 8, kernel: 3}
            """;

    @Test
    void theBaseOfTheBadSpecsIsGood() {
        assertTrue(validate(GOOD).isEmpty(), validate(GOOD).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "nas: 1\ninput: [1, 28, 28]\ndata: {dataset: mnist}\nmodel:\n  - {op: conv3d}\n",
        "input: [1, 28, 28]\ndata: {dataset: mnist}\nmodel:\n  - {op: relu}\n",
        "nas: 1\ninput: [1, 28, 28]\ndata: {dataset: mnist}\ntraning: {epochs: 1}\nmodel:\n  - {op: relu}\n",
        "nas: 1\ninput: [1, 28, 28]\ndata: {dataset: mnist}\nmodel:\n  - {op: conv2d, channels: many, kernel: 3}\n",
        "nas: 1\ninput: [1, 28, 28]\ndata: {dataset: mnist}\nmodel:\n  - {id: s, input-choice: {from: [input], n-chosen: some}}\n",
        "nas: 1\ninput: [1, 28, 28]\ndata: {dataset: cifar}\nmodel:\n  - {op: relu}\n",
        "nas: 1\ninput: [1, 28, 28]\ndata: {dataset: mnist}\nmodel: []\n",
        "nas: 1\ninput: [1, 28, 28]\ndata: {dataset: mnist}\nblocks: {b: {params: {id: 1}, nodes: [{op: relu}]}}\nmodel:\n  - {op: relu}\n",
    })
    void rejectsBadSpecs(String yaml) {
        assertFalse(validate(yaml).isEmpty(), "accepted:\n" + yaml);
    }
}

package org.nas4j.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every complete spec shown in docs/spec.md (a yaml block starting with "nas: 1") is valid. */
class DocsExamplesTest {

    @Test
    void completeExamplesInTheReferenceValidate() throws IOException {
        String doc = Files.readString(Path.of("docs/spec.md"));
        Matcher m = Pattern.compile("```yaml\\n(nas: 1\\n.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> examples = new ArrayList<>();
        while (m.find()) {
            examples.add(m.group(1));
        }
        assertTrue(examples.size() >= 2, "found " + examples.size() + " complete examples");
        for (String example : examples) {
            SpecLoader.Checked c = SpecLoader.check("docs/spec.md example", example.getBytes(StandardCharsets.UTF_8));
            assertTrue(c.ok(), c.errors() + "\n" + example);
        }
    }
}

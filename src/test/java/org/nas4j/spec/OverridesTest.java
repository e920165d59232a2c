package org.nas4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.cli.CliRun;

/** {@code --set PATH=VALUE} changes the spec before it is checked, and is checked like the file. */
class OverridesTest {

    private static SpecLoader.Checked load(String... sets) {
        return SpecLoader.load(Path.of("specs/mnist.yaml"), java.util.Arrays.stream(sets).map(Overrides::parse).toList());
    }

    @Test
    void overridesReachDataAndNestedModelFields() {
        SpecLoader.Checked c = load("data.dataset=fashion-mnist", "data.limit=2000", "search.trial.epochs=2",
                "model.0.layer-choice.conv3x3.channels=16", "model.0.layer-choice.conv5x5.channels=16");
        assertTrue(c.ok(), c.errors().toString());
        assertEquals("fashion-mnist", c.spec().data().dataset());
        assertEquals(2000, c.spec().data().limit());
        assertEquals(2, c.spec().search().trialEpochs());
        long conv2WithSixteenInputs = 64L * 16 * 9 + 64;
        assertEquals(16L * 9 + 16 + conv2WithSixteenInputs + 4160 + 1_179_776 + 1290, c.shapes().minParams());
    }

    @Test
    void anOverriddenValueIsCheckedAndBlamedOnTheOverride() {
        SpecLoader.Checked c = load("data.limit=abc");
        assertEquals(List.of("--set data.limit:1:1: data.limit must be a whole number, got string 'abc'"),
                c.errors().stream().map(SpecError::toString).toList());
    }

    @Test
    void anOverrideCanBreakTheShapesAndTheFileIsBlamedWhereTheyBreak() {
        SpecLoader.Checked c = load("model.0.layer-choice.conv5x5.stride=3");
        assertEquals(1, c.errors().size());
        assertTrue(c.errors().get(0).message().contains("conv5x5 [32, 9, 9]"), c.errors().toString());
    }

    @Test
    void pathsThatLeadNowhereAreErrors() {
        assertTrue(load("model.13.op=relu").errors().get(0).message().contains("not an index"));
        assertTrue(load("name.x=1").errors().get(0).message().contains("has no field 'x'"));
        assertThrows(IllegalArgumentException.class, () -> Overrides.parse("data.limit"));
        assertThrows(IllegalArgumentException.class, () -> Overrides.parse("data..limit=3"));
    }

    @Test
    void malformedSetIsAUsageError() {
        CliRun run = CliRun.of("validate-spec", "--set", "nothing", "specs/mnist.yaml");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("PATH=VALUE"), run.err());
    }
}

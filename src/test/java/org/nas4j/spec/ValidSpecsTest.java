package org.nas4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.cli.CliRun;
import org.nas4j.space.Decision;

/** The example specs validate, with the space and parameter counts worked out by hand here. */
class ValidSpecsTest {

    /** Trainable parameters of a conv2d layer with bias. */
    private static long conv(int in, int out, int k) {
        return (long) out * in * k * k + out;
    }

    private static long linear(int in, int out) {
        return (long) in * out + out;
    }

    @Test
    void mnistSpecHasTheSpaceAndParameterCountsOfItsChildren() {
        SpecLoader.Checked c = SpecLoader.load(Path.of("specs/mnist.yaml"));
        assertTrue(c.ok(), c.errors().toString());
        assertEquals(List.of("conv1", "skipcon"), List.copyOf(c.space().decisions().keySet()));
        assertEquals(new Decision.LayerChoice("conv1", List.of("conv3x3", "conv5x5"), List.of("conv1")),
                c.space().decisions().get("conv1"));
        assertEquals(BigInteger.valueOf(4), c.space().size());
        // conv2 -> conv3 -> add -> maxpool 2 leaves 64 x 12 x 12 = 9,216 features for fc1.
        long rest = conv(32, 64, 3) + conv(64, 64, 1) + linear(64 * 12 * 12, 128) + linear(128, 10);
        assertEquals(conv(1, 32, 3) + rest, c.shapes().minParams());
        assertEquals(conv(1, 32, 5) + rest, c.shapes().maxParams());
        assertEquals("conv3x3", c.shapes().minArch().get("conv1"));
        assertEquals("conv5x5", c.shapes().maxArch().get("conv1"));
        assertEquals(java.util.Set.of(SampleShape.of(10)), c.shapes().outputs());
    }

    @Test
    void nniOriginalMnistIsRejectedNamingBothCandidatesAndTheirShapes() {
        CliRun run = CliRun.of("validate-spec", "docs/nni-mnist-original.yaml");
        assertEquals(1, run.code());
        String error = run.err().lines().filter(l -> l.startsWith("docs/nni-mnist-original.yaml:")).findFirst().orElseThrow();
        assertTrue(error.contains("conv3x3 [32, 26, 26]") && error.contains("conv5x5 [32, 8, 8]"), error);
        assertFalse(run.crashed());
    }

    @Test
    void validateSpecPrintsTheSummaryAndExitsZero() {
        CliRun run = CliRun.of("validate-spec", "specs/mnist.yaml");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("space size: 4 architectures"), run.out());
        assertTrue(run.out().contains("conv3x3 | conv5x5"), run.out());
        assertTrue(run.out().contains("any subset of [conv2]"), run.out());
    }

    @Test
    void jsonSummaryDescribesValidAndInvalidSpecs() {
        CliRun run = CliRun.of("validate-spec", "--json", "specs/mnist.yaml", "docs/nni-mnist-original.yaml");
        assertEquals(1, run.code());
        JsonArray all = JsonParser.parseString(run.out()).getAsJsonArray();
        JsonObject mnist = all.get(0).getAsJsonObject();
        assertTrue(mnist.get("valid").getAsBoolean());
        assertEquals("4", mnist.get("spaceSize").getAsString());
        assertEquals(2, mnist.getAsJsonArray("decisions").size());
        JsonObject smallest = mnist.getAsJsonObject("smallestChild");
        assertEquals(0, smallest.getAsJsonObject("architecture").getAsJsonArray("skipcon").size());
        JsonObject nni = all.get(1).getAsJsonObject();
        assertFalse(nni.get("valid").getAsBoolean());
        assertEquals(11, nni.getAsJsonArray("errors").get(0).getAsJsonObject().get("line").getAsInt());
    }

    @Test
    void everyExampleSpecValidates() {
        CliRun run = CliRun.of(java.util.stream.Stream.concat(java.util.stream.Stream.of("validate-spec"),
                java.util.Arrays.stream(new java.io.File("specs").listFiles((d, n) -> n.endsWith(".yaml")))
                        .map(java.io.File::getPath)).toArray(String[]::new));
        assertEquals(0, run.code(), run.err());
    }
}

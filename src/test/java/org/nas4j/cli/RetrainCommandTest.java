package org.nas4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.spec.SpecLoader;

/** nas retrain and nas evaluate end to end on synthetic data, and their refusals. */
class RetrainCommandTest {
    private static final Pattern TEST_ACCURACY = Pattern.compile("test accuracy (\\d\\.\\d{4})");

    private static String accuracy(String out) {
        Matcher m = TEST_ACCURACY.matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    @Test
    void retrainsSavesAndReloadsToTheSameAccuracy(@TempDir Path dir) throws Exception {
        Path arch = dir.resolve("arch.json");
        Files.writeString(arch, "{\"conv1\": [false, true], \"skipcon\": [true]}"); // NNI's one-hot forms
        Path model = dir.resolve("model");
        CliRun run = CliRun.of("retrain", "--spec", "specs/mnist.yaml", "--arch", arch.toString(), "--out", model.toString(),
                "--set", "data.dataset=synthetic", "--set", "data.limit=512", "--threads", "2");
        assertEquals(0, run.code(), run.err() + run.out());
        assertTrue(run.out().contains("epoch 1/1 done"), run.out());
        long expected = SpecLoader.load(Path.of("specs/mnist.yaml")).shapes().maxParams(); // conv5x5 + skip is the largest
        assertTrue(run.out().contains(String.format(java.util.Locale.ROOT, "%,d parameters", expected)), run.out());
        for (String f : new String[] {"child-0000.params", "architecture.json", "spec.yaml", "model.json"}) {
            assertTrue(Files.exists(model.resolve(f)), f);
        }
        JsonObject info = JsonParser.parseString(Files.readString(model.resolve("model.json"))).getAsJsonObject();
        assertEquals(expected, info.get("parameters").getAsLong());
        assertTrue(Files.readString(model.resolve("architecture.json")).contains("\"conv1\": \"conv5x5\""));

        CliRun evaluate = CliRun.of("evaluate", "--model", model.toString());
        assertEquals(0, evaluate.code(), evaluate.err());
        assertEquals(accuracy(run.out()), accuracy(evaluate.out()));
        CliRun onGpu = CliRun.of("evaluate", "--model", model.toString(), "--device", "gpu");
        assertEquals(1, onGpu.code());
        assertTrue(onGpu.err().contains("sees no GPU") && onGpu.err().contains("NAS4J_LIBTORCH"), onGpu.err());
    }

    @Test
    void aChildThatCutsItsInputOffStillTrains(@TempDir Path dir) throws Exception {
        // Every candidate of 'cut' outputs zeros: the bias gradients of two equally likely classes
        // sum to exactly zero, which DJL's trainer takes for a forgotten backward pass.
        Path spec = dir.resolve("cut.yaml");
        Files.writeString(spec, """
                nas: 1
                input: [4]
                data: {dataset: synthetic, batch-size: 8, limit: 64}
                training: {epochs: 1, optimizer: {type: sgd, lr: 0.1}}
                model:
                  - {id: cut, layer-choice: {none: {op: zero}, also-none: {op: zero}}}
                  - {op: linear, units: 2}
                """);
        Path arch = dir.resolve("arch.json");
        Files.writeString(arch, "{\"cut\": \"none\"}");
        CliRun run = CliRun.of("retrain", "--spec", spec.toString(), "--arch", arch.toString(), "--out", dir.resolve("m").toString());
        assertEquals(0, run.code(), run.err() + run.out());
        assertTrue(run.out().contains("epoch 1/1 done") && run.out().contains("test accuracy"), run.out());
    }

    @Test
    void badArchitectureFilesAreListedAndNothingTrains(@TempDir Path dir) throws Exception {
        Path arch = dir.resolve("arch.json");
        Files.writeString(arch, "{\"conv1\": \"conv7x7\", \"skipcon\": [\"conv2\"], \"extra\": 1}");
        CliRun run = CliRun.of("retrain", "--spec", "specs/mnist.yaml", "--arch", arch.toString(), "--out", dir.resolve("m").toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains(arch + ": key 'conv1': no candidate 'conv7x7'; one of conv3x3, conv5x5"), run.err());
        assertTrue(run.err().contains(arch + ": unknown key 'extra'"), run.err());
        assertFalse(Files.exists(dir.resolve("m")));
        assertFalse(run.crashed(), run.err());

        CliRun missing = CliRun.of("retrain", "--spec", "specs/mnist.yaml", "--arch", dir.resolve("none.json").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("none.json: no such file"), missing.err());
    }

    @Test
    void missingDataNamesTheCommandThatFetchesIt(@TempDir Path dir) throws Exception {
        Path arch = dir.resolve("arch.json");
        Files.writeString(arch, "{\"conv1\": \"conv3x3\", \"skipcon\": []}");
        CliRun run = CliRun.of("retrain", "--spec", "specs/mnist.yaml", "--arch", arch.toString(),
                "--set", "data.dataset=idx", "--set", "data.path=" + dir.resolve("nothing-here"), "--out", dir.resolve("m").toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("nothing-here"), run.err());
        assertFalse(run.crashed(), run.err());
    }

    @Test
    void evaluateRefusesADirectoryThatIsNotASavedModel(@TempDir Path dir) {
        CliRun run = CliRun.of("evaluate", "--model", dir.toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("is not a saved model"), run.err());
    }

    @Test
    void theSameSeedRepeatsTheRunExactly(@TempDir Path dir) throws Exception {
        Path arch = dir.resolve("arch.json");
        Files.writeString(arch, "{\"conv1\": \"conv3x3\", \"skipcon\": [\"conv2\"]}");
        String[] losses = new String[3];
        for (int i = 0; i < 3; i++) {
            Path model = dir.resolve("m" + i);
            CliRun run = CliRun.of("retrain", "--spec", "specs/mnist.yaml", "--arch", arch.toString(), "--out", model.toString(),
                    "--set", "data.dataset=synthetic", "--set", "data.limit=256", "--seed", i < 2 ? "7" : "8", "--threads", "1");
            assertEquals(0, run.code(), run.err());
            losses[i] = JsonParser.parseString(Files.readString(model.resolve("model.json"))).getAsJsonObject().get("trainLoss").getAsString();
        }
        assertEquals(losses[0], losses[1]);
        assertTrue(!losses[0].equals(losses[2]), "another seed gives another run");
    }
}

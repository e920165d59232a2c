package org.nas4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The yardstick: specs/mnist.yaml's child {conv1: conv5x5, skipcon: [conv2]} trained one
 * epoch on all 60,000 Fashion-MNIST training images reaches 85% on the 10,000 test images, and
 * the saved model reloads to the same accuracy. Needs scripts/fetch-data.sh (the README's test
 * command runs it).
 */
class FashionMnistRetrainTest {
    private static final Pattern TEST_ACCURACY = Pattern.compile("test accuracy (\\d\\.\\d{4})");

    private static double accuracy(String out) {
        Matcher m = TEST_ACCURACY.matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void oneEpochOnFashionMnistReachesEightyFivePercentAndReloads(@TempDir Path dir) throws Exception {
        Path arch = dir.resolve("arch.json");
        Files.writeString(arch, "{\"conv1\": \"conv5x5\", \"skipcon\": [\"conv2\"]}");
        Path model = dir.resolve("model");
        CliRun run = CliRun.of("retrain", "--spec", "specs/mnist.yaml", "--arch", arch.toString(), "--out", model.toString(),
                "--set", "data.dataset=fashion-mnist", "--epochs", "1", "--threads", "2");
        assertEquals(0, run.code(), run.err() + "\n(fetch the data with scripts/fetch-data.sh)");
        assertTrue(run.out().contains("60,000 training and 10,000 test samples"), run.out());
        double trained = accuracy(run.out());
        assertTrue(trained >= 0.85, "test accuracy " + trained);
        CliRun evaluate = CliRun.of("evaluate", "--model", model.toString(), "--threads", "2");
        assertEquals(0, evaluate.code(), evaluate.err());
        assertEquals(trained, accuracy(evaluate.out()));
    }
}

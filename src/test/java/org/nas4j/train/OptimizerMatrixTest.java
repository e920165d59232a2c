package org.nas4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nas4j.cli.CliRun;

/** Every optimizer and schedule of the spec trains a small child on synthetic data and learns something. */
class OptimizerMatrixTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "'{type: sgd, lr: 0.05, momentum: 0.9, weight-decay: 0.0005}', '{type: cosine, min-lr: 0.001}', ''",
        "'{type: sgd, lr: 0.05, momentum: 0.9, nesterov: true}', '{type: step, step-epochs: 1, gamma: 0.5}', 1.0",
        "'{type: adam, lr: 0.002}', '{type: constant}', 0.5",
        "'{type: adamw, lr: 0.002, weight-decay: 0.01}', '{type: cosine}', ''",
    })
    void trainsAndLearns(String optimizer, String schedule, String clip, @TempDir Path dir) throws Exception {
        Path arch = dir.resolve("arch.json");
        Files.writeString(arch, "{\"conv1\": \"conv3x3\", \"skipcon\": []}");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("retrain", "--spec", "specs/mnist.yaml",
                "--arch", arch.toString(), "--out", dir.resolve("m").toString(), "--epochs", "2", "--threads", "2",
                "--set", "data.dataset=synthetic", "--set", "data.limit=384",
                "--set", "training.optimizer=" + optimizer, "--set", "training.schedule=" + schedule));
        if (!clip.isEmpty()) {
            args.addAll(java.util.List.of("--set", "training.grad-clip=" + clip));
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.code(), run.err() + run.out());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("test accuracy (\\d\\.\\d{4})").matcher(run.out());
        assertTrue(m.find(), run.out());
        assertTrue(Double.parseDouble(m.group(1)) > 0.3, "10 classes: chance is 0.1; got " + m.group(1));
    }
}

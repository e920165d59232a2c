package org.nas4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Arrays and models are created on the device a run was given, throughout. On a GPU engine DJL's
 * defaults are GPU 0 (a manager or model made without a device) and every GPU (a training
 * configuration without devices), so a call that leans on them would run on another device than
 * the one given; on this CPU engine such a call cannot be seen at run time, so the sources are
 * read for it.
 */
class OneDeviceTest {
    /** Calls that pick a device themselves. Engines is where a device name becomes a Device. */
    private static final List<Pattern> DEFAULT_DEVICE = List.of(
            Pattern.compile("NDManager\\.newBaseManager\\(\\)"),
            Pattern.compile("Model\\.newInstance\\([^,()]*\\)"),
            Pattern.compile("Device\\.(cpu|gpu)\\("),
            Pattern.compile("Engine\\.getInstance\\(\\)\\.(defaultDevice|getDevices)\\("));

    @Test
    void noMainSourceCreatesArraysOrModelsOnADeviceItWasNotGiven() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                boolean decides = f.endsWith("Engines.java") || f.endsWith("EngineReport.java");
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    for (Pattern p : DEFAULT_DEVICE) {
                        if (p.matcher(lines.get(i)).find() && !(decides && p.pattern().startsWith("Device"))) {
                            found.add(f + ":" + (i + 1) + ": " + lines.get(i).trim());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found, "these lines leave the device to DJL's default");
    }

    @Test
    void trainingConfigurationsNameTheirDevice() throws IOException {
        String training = Files.readString(Path.of("src/main/java/org/nas4j/train/ChildTraining.java"));
        assertTrue(training.contains(".optDevices(new ai.djl.Device[] {device})"), "ChildTraining.config names the device");
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("ChildTraining.java")).toList()) {
                assertTrue(!Files.readString(f).contains("new DefaultTrainingConfig("), f + " builds a training configuration of its own");
            }
        }
    }
}

package org.nas4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.cli.CliRun;

/** Run directories and saved models carry a format version: older ones are read, newer ones refused with what to do. */
class FormatVersionTest {

    private static void setFormat(Path file, Integer version) throws Exception {
        JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        if (version == null) {
            o.remove("format");
        } else {
            o.addProperty("format", version);
        }
        Files.writeString(file, o.toString());
    }

    @Test
    void aRunIsStampedReadWithoutAStampAndRefusedWhenNewer(@TempDir Path dir) throws Exception {
        Path spec = TinyRun.write(dir.resolve("tiny"));
        Path run = dir.resolve("run");
        assertEquals(0, CliRun.of("search", "--spec", spec.toString(), "--strategy", "random", "--trials", "3", "--no-report",
                "--out", run.toString()).code());
        Path settings = run.resolve("run.json");
        assertEquals(1, JsonParser.parseString(Files.readString(settings)).getAsJsonObject().get("format").getAsInt());

        setFormat(settings, null); // a run from before format versions
        CliRun older = CliRun.of("search", "--resume", run.toString(), "--trials", "5", "--no-report");
        assertEquals(0, older.code(), older.err());

        setFormat(settings, 2);
        for (String[] command : new String[][] {{"search", "--resume", run.toString(), "--trials", "6"}, {"export", "--run", run.toString()},
            {"report", "--run", run.toString()}}) {
            CliRun newer = CliRun.of(command);
            assertEquals(1, newer.code(), String.join(" ", command));
            assertTrue(newer.err().contains("run.json: a run directory of format 2, written by a newer nas4j; this one reads formats up "
                    + "to 1: resume it with the nas4j that started it, or start a new run"), newer.err());
            assertFalse(newer.crashed(), newer.err());
        }
    }

    @Test
    void aSavedModelFromANewerNas4jIsRefusedByEvaluate(@TempDir Path dir) throws Exception {
        Path arch = dir.resolve("arch.json");
        Files.writeString(arch, "{\"conv1\": \"conv3x3\", \"skipcon\": []}");
        Path model = dir.resolve("model");
        assertEquals(0, CliRun.of("retrain", "--spec", "specs/mnist.yaml", "--arch", arch.toString(), "--out", model.toString(),
                "--set", "data.dataset=synthetic", "--set", "data.limit=128", "--threads", "1").code());
        Path info = model.resolve("model.json");
        assertEquals(1, JsonParser.parseString(Files.readString(info)).getAsJsonObject().get("format").getAsInt());
        setFormat(info, null);
        assertEquals(0, CliRun.of("evaluate", "--model", model.toString()).code(), "a model from before format versions");
        setFormat(info, 3);
        CliRun newer = CliRun.of("evaluate", "--model", model.toString());
        assertEquals(1, newer.code());
        assertTrue(newer.err().contains("a saved model of format 3, written by a newer nas4j"), newer.err());
    }
}

package org.nas4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A search on a CSV table and a retrain on files in CIFAR-10's layout, end to end through the CLI. */
class OwnDataCliTest {

    @Test
    void tabularSearchOnTwoMoonsBeatsTheMajorityClassByFar(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        CliRun search = CliRun.of("search", "--spec", "specs/tabular-mlp.yaml", "--trials", "3", "--out", run.toString());
        assertEquals(0, search.code(), search.err() + search.out());
        // Two moons has as many rows of each class: the majority class scores 0.5.
        double best = Files.readAllLines(run.resolve("trials.jsonl")).stream()
                .mapToDouble(l -> JsonParser.parseString(l).getAsJsonObject().get("score").getAsDouble()).max().orElseThrow();
        assertTrue(best >= 0.85, "best validation accuracy " + best);
        CliRun retrain = CliRun.of("retrain", "--spec", "specs/tabular-mlp.yaml", "--arch", run.resolve("architecture.json").toString(),
                "--out", dir.resolve("model").toString());
        assertEquals(0, retrain.code(), retrain.err());
        assertTrue(retrain.out().contains("csv: 800 training and 200 test samples"), retrain.out());
        var normalization = JsonParser.parseString(Files.readString(dir.resolve("model/model.json"))).getAsJsonObject()
                .getAsJsonObject("normalization");
        assertEquals(2, normalization.getAsJsonArray("mean").size(), "one mean per feature in model.json");
    }

    @Test
    void badRowsAreNamedBeforeAnythingIsMadeOrSkippedAndSaid(@TempDir Path dir) throws Exception {
        Path table = dir.resolve("moons.csv");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(Path.of("specs/data/two-moons.csv")));
        lines.set(7, "0.5,oops,1");
        Files.write(table, lines);
        Path run = dir.resolve("run");
        CliRun refused = CliRun.of("search", "--spec", "specs/tabular-mlp.yaml", "--trials", "1", "--out", run.toString(),
                "--set", "data.path=" + table);
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().contains(table + ":8: column 'y' holds 'oops', not a number"), refused.err());
        assertFalse(refused.crashed(), refused.err());
        assertFalse(Files.exists(run), "a refused search leaves no run directory");
        CliRun skipped = CliRun.of("search", "--spec", "specs/tabular-mlp.yaml", "--trials", "1", "--out", run.toString(),
                "--set", "data.path=" + table, "--set", "data.on-bad-row=skip");
        assertEquals(0, skipped.code(), skipped.err());
        assertTrue(skipped.out().contains("search: 1 bad row of " + table + " left out (data.on-bad-row: skip); the first: " + table + ":8:"),
                skipped.out());
    }

    @Test
    void fashionMnistAsPngFoldersSearchesLikeItsIdxFiles(@TempDir Path dir) throws Exception {
        Path idx = Files.isDirectory(Path.of("data/fashion-mnist")) ? Path.of("data/fashion-mnist") : Path.of("/usr/share/datasets/fashion-mnist");
        Path png = dir.resolve("png");
        Process export = new ProcessBuilder("python3", "scripts/idx-to-png.py", idx.toString(), png.toString(), "--limit", "3000")
                .redirectErrorStream(true).start();
        String said = new String(export.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, export.waitFor(), said + "\n(scripts/fetch-data.sh installs Fashion-MNIST, scripts/setup.sh python3)");
        List<String> common = List.of("search", "--spec", "specs/mnist.yaml", "--trials", "2", "--threads", "2");
        List<String> fromIdx = new java.util.ArrayList<>(common);
        fromIdx.addAll(List.of("--out", dir.resolve("idx-run").toString(), "--set", "data.dataset=fashion-mnist", "--set", "data.limit=3000"));
        List<String> fromPng = new java.util.ArrayList<>(common);
        fromPng.addAll(List.of("--out", dir.resolve("png-run").toString(), "--set", "data.dataset=image-folder", "--set", "data.path=" + png));
        for (List<String> args : List.of(fromIdx, fromPng)) {
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, run.code(), run.err());
        }
        List<String> a = Files.readAllLines(dir.resolve("idx-run/trials.jsonl"));
        List<String> b = Files.readAllLines(dir.resolve("png-run/trials.jsonl"));
        assertEquals(2, a.size());
        for (int i = 0; i < a.size(); i++) {
            var x = JsonParser.parseString(a.get(i)).getAsJsonObject();
            var y = JsonParser.parseString(b.get(i)).getAsJsonObject();
            assertEquals(x.get("architecture"), y.get("architecture"));
            double diff = Math.abs(x.get("score").getAsDouble() - y.get("score").getAsDouble());
            assertTrue(diff <= 0.01, "trial " + (i + 1) + ": IDX " + x.get("score") + ", PNG " + y.get("score"));
        }
    }

    @Test
    void anImageCutShortIsNamedWhenTrainingReachesIt(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("images");
        for (int i = 0; i < 8; i++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setSample(i % 8, 3, 0, 200);
            Path file = Files.createDirectories(folder.resolve(i % 2 == 0 ? "even" : "odd")).resolve(i + ".png");
            javax.imageio.ImageIO.write(img, "png", file.toFile());
        }
        // The header (size and all) survives, the pixels do not.
        Path cut = folder.resolve("odd/3.png");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(cut), 40));
        Path spec = Files.writeString(dir.resolve("s.yaml"), """
                nas: 1
                input: [1, 8, 8]
                data: {dataset: image-folder, batch-size: 2}
                model:
                  - {op: flatten}
                  - {id: fc, layer-choice: {relu: [{op: linear, units: 4}, {op: relu}], tanh: [{op: linear, units: 4}, {op: tanh}]}}
                  - {op: linear, units: 2}
                """);
        Path arch = Files.writeString(dir.resolve("a.json"), "{\"fc\": \"relu\"}");
        CliRun run = CliRun.of("retrain", "--spec", spec.toString(), "--arch", arch.toString(), "--out", dir.resolve("m").toString(),
                "--set", "data.path=" + folder);
        assertEquals(1, run.code(), run.err() + run.out());
        assertTrue(run.err().contains(cut.toString()) && run.err().contains("not a readable PNG or JPEG image"), run.err());
        assertFalse(run.crashed(), run.err());
    }

    @Test
    void filesInCifar10LayoutTrain(@TempDir Path dir) throws Exception {
        java.util.Random random = new java.util.Random(5);
        org.nas4j.train.Cifar10Files.write(dir, 20, 20, (record, k) -> random.nextInt(256));
        Path spec = dir.resolve("small.yaml");
        Files.writeString(spec, """
                nas: 1
                input: [3, 32, 32]
                data: {dataset: synthetic, batch-size: 16}
                model:
                  - {id: c, layer-choice: {k3: {op: conv2d, channels: 4, kernel: 3, padding: 1}, k5: {op: conv2d, channels: 4, kernel: 5, padding: 2}}}
                  - {op: global-avgpool}
                  - {op: linear, units: 10}
                """);
        Path arch = Files.writeString(dir.resolve("a.json"), "{\"c\": \"k5\"}");
        CliRun retrain = CliRun.of("retrain", "--spec", spec.toString(), "--arch", arch.toString(), "--out", dir.resolve("m").toString(),
                "--set", "data.dataset=cifar10", "--set", "data.path=" + dir, "--set", "data.normalize=auto",
                "--set", "data.augment={random-crop: {padding: 4}, flip: horizontal, cutout: 8}");
        assertEquals(0, retrain.code(), retrain.err());
        assertTrue(retrain.out().contains("cifar10: 100 training and 20 test samples"), retrain.out());
        assertTrue(retrain.out().contains("normalize auto: mean ["), retrain.out());
        var normalization = JsonParser.parseString(Files.readString(dir.resolve("m/model.json"))).getAsJsonObject()
                .getAsJsonObject("normalization");
        assertEquals(3, normalization.getAsJsonArray("mean").size(), "one mean per channel in model.json");
        assertEquals(3, normalization.getAsJsonArray("std").size());
        CliRun evaluate = CliRun.of("evaluate", "--model", dir.resolve("m").toString());
        assertEquals(0, evaluate.code(), evaluate.err());
    }
}

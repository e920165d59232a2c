package org.nas4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.cli.CliRun;

/**
 * specs/nas-bench-201.yaml against a generated NAS-Bench-201 table: its key template builds the
 * benchmark's architecture strings, and a search finds the table's planted optimum.
 */
class NasBench201Test {
    private static final List<String> OPS = List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3");
    /** The planted best cell, edge by edge (1-0, 2-0, 2-1, 3-0, 3-1, 3-2). */
    private static final int[] BEST = {3, 1, 3, 2, 3, 3};

    /** NAS-Bench-201's string of a cell given its six edges' ops. */
    private static String arch(int[] e) {
        return String.format("|%s~0|+|%s~0|%s~1|+|%s~0|%s~1|%s~2|", OPS.get(e[0]), OPS.get(e[1]), OPS.get(e[2]), OPS.get(e[3]),
                OPS.get(e[4]), OPS.get(e[5]));
    }

    @Test
    void aSearchFindsThePlantedOptimumOfAGeneratedTable(@TempDir Path dir) throws Exception {
        // Every one of the 15,625 cells, scored by how many edges agree with the planted one.
        StringBuilder table = new StringBuilder("{");
        int[] e = new int[6];
        for (int code = 0; code < 15_625; code++) {
            int rest = code;
            int agree = 0;
            for (int k = 0; k < 6; k++) {
                e[k] = rest % 5;
                rest /= 5;
                agree += e[k] == BEST[k] ? 1 : 0;
            }
            table.append(code == 0 ? "" : ",\n").append('"').append(arch(e)).append("\": ")
                    .append(String.format(Locale.ROOT, "{\"accuracy\": %.2f}", 50 + 7.5 * agree + (code % 7) / 10.0));
        }
        Path file = dir.resolve("cifar10.json");
        Files.writeString(file, table.append("}\n").toString());
        Path run = dir.resolve("run");
        CliRun r = CliRun.of("search", "--spec", "specs/nas-bench-201.yaml", "--set", "search.evaluator.table=" + file,
                "--strategy", "evolution", "--trials", "300", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        CliRun export = CliRun.of("export", "--run", run.toString());
        assertEquals(0, export.code(), export.err());
        for (int k = 0; k < 6; k++) {
            String key = List.of("e1-0", "e2-0", "e2-1", "e3-0", "e3-1", "e3-2").get(k);
            assertTrue(export.out().contains("\"cell/" + key + "/op\": \"" + OPS.get(BEST[k]) + "\""), export.out());
        }
        String best = Files.readAllLines(run.resolve("trials.jsonl")).stream().filter(l -> l.contains("\"accuracy\":95.")).findFirst()
                .orElse("");
        assertTrue(!best.isEmpty(), "the planted optimum (accuracy 95.x) was scored");
    }
}

package org.nas4j.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Writes specs/tables/curve-bench.json, the learning-curve table of specs/curve-bench.yaml: six
 * decisions of three candidates (729 children), each with a validation accuracy per epoch from 1
 * to 27. Candidate c adds the most to the final accuracy and learns slowest, a the least and
 * fastest, so the ranking after a few epochs is not the final one: what multi-fidelity
 * strategies must cope with. Generated from a fixed seed; {@code main} rewrites the file.
 */
public final class CurveTable {
    /** Epochs per curve. */
    public static final int EPOCHS = 27;
    /** The decisions (l1..l6) and their candidates. */
    public static final String[] CANDIDATES = {"a", "b", "c"};
    public static final int LAYERS = 6;

    private CurveTable() {
    }

    /** The table's JSON text. */
    public static String json() {
        Random r = new Random(20261202L);
        double[][] ceiling = new double[LAYERS][3];
        double[][] slowness = new double[LAYERS][3];
        for (int l = 0; l < LAYERS; l++) {
            for (int c = 0; c < 3; c++) {
                ceiling[l][c] = 0.012 * c + 0.01 * r.nextGaussian();
                slowness[l][c] = 0.06 * c + 0.06 * r.nextDouble();
            }
        }
        StringBuilder b = new StringBuilder("{\n");
        int n = (int) Math.pow(3, LAYERS);
        for (int i = 0; i < n; i++) {
            StringBuilder key = new StringBuilder();
            double q = 0.80;
            double tau = 1.0;
            for (int l = 0, rest = i; l < LAYERS; l++, rest /= 3) {
                int c = rest % 3;
                key.append(CANDIDATES[c]);
                q += ceiling[l][c];
                tau += slowness[l][c];
            }
            q += 0.01 * r.nextGaussian();
            b.append("  \"").append(key).append("\": {\"val_acc\": [");
            for (int e = 1; e <= EPOCHS; e++) {
                double acc = q - (q - 0.1) * Math.exp(-e / tau) + 0.004 * r.nextGaussian() / Math.sqrt(e);
                b.append(e == 1 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", acc));
            }
            b.append("]}").append(i + 1 < n ? ",\n" : "\n");
        }
        return b.append("}\n").toString();
    }

    /** Rewrites specs/tables/curve-bench.json (run from the repository root). */
    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of("specs/tables/curve-bench.json"), json());
    }
}

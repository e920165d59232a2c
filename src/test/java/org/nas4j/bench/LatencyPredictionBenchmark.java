package org.nas4j.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.nas4j.space.Architecture;
import org.nas4j.space.Sampler;
import org.nas4j.spec.SpecLoader;
import org.nas4j.supernet.SupernetCompiler;
import org.nas4j.train.Latency;
import org.nas4j.train.LatencyTable;

/**
 * Measured against predicted (per-block table) latency of random children of a spec: Spearman's
 * rank correlation and the time each took. Args: spec, children, seed. Run by
 * scripts/bench/latency-table.sh; not a test.
 */
public final class LatencyPredictionBenchmark {
    private LatencyPredictionBenchmark() {
    }

    /** Args: the spec, how many children, the seed. */
    public static void main(String[] args) throws Exception {
        SpecLoader.Checked c = SpecLoader.load(Path.of(args[0]));
        int n = Integer.parseInt(args[1]);
        Random random = new Random(Long.parseLong(args[2]));
        Sampler sampler = new Sampler(c.space());
        Architecture[] children = new Architecture[n];
        for (int i = 0; i < n; i++) {
            children[i] = sampler.random(random);
        }
        // Measured twice, in two passes: how well two measurements of the same children agree is
        // the ceiling any prediction can reach on this machine.
        double[] first = new double[n];
        double[] measured = new double[n];
        for (int i = 0; i < n; i++) {
            first[i] = Latency.measure(SupernetCompiler.child(c.spec(), children[i].asMap()), c.spec().input(), 1, ai.djl.Device.cpu());
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            measured[i] = Latency.measure(SupernetCompiler.child(c.spec(), children[i].asMap()), c.spec().input(), 1, ai.djl.Device.cpu());
        }
        double measureSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "Spearman rank correlation of two measurements of the same children: %.3f%n", spearman(first, measured));
        // A steadier reference: the median of 50 timed passes per child.
        double[] steady = new double[n];
        for (int i = 0; i < n; i++) {
            steady[i] = Latency.measure(SupernetCompiler.child(c.spec(), children[i].asMap()), c.spec().input(), 1, 50, ai.djl.Device.cpu());
        }
        System.out.printf(Locale.ROOT, "Spearman rank correlation, a measurement (median of %d) against a steadier one (median of 50): %.3f%n",
                Latency.RUNS, spearman(measured, steady));
        LatencyTable table = new LatencyTable(c.spec(), 1, ai.djl.Device.cpu());
        double[] predicted = new double[n];
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            predicted[i] = table.predict(children[i].asMap());
        }
        double predictSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%s, %d random children: measured %.2f to %.2f ms (%.1f s in all); predicted %.2f to %.2f ms "
                + "(%.1f s in all, %d blocks timed)%n", args[0], n, min(measured), max(measured), measureSeconds, min(predicted),
                max(predicted), predictSeconds, table.size());
        System.out.printf(Locale.ROOT, "Spearman rank correlation, measured (median of %d) against predicted: %.3f (target >= 0.9)%n",
                Latency.RUNS, spearman(measured, predicted));
        System.out.printf(Locale.ROOT, "Spearman rank correlation, measured (median of 50) against predicted: %.3f%n", spearman(steady, predicted));
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }

    /** Pearson's correlation of the ranks (ties get their mean rank). */
    static double spearman(double[] a, double[] b) {
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double ma = Arrays.stream(ra).average().orElseThrow();
        double mb = Arrays.stream(rb).average().orElseThrow();
        double num = 0;
        double da = 0;
        double db = 0;
        for (int i = 0; i < a.length; i++) {
            num += (ra[i] - ma) * (rb[i] - mb);
            da += (ra[i] - ma) * (ra[i] - ma);
            db += (rb[i] - mb) * (rb[i] - mb);
        }
        return num / Math.sqrt(da * db);
    }

    private static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(v[x], v[y]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length;) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                r[order[k]] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        return r;
    }
}

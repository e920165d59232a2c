package org.nas4j.search;

import java.util.Random;

/** Draws an index with given probabilities (the strategies' and controllers' categorical draws). */
public final class Draw {
    private Draw() {
    }

    /** An index drawn with probabilities {@code p} (summing to about 1). */
    public static int index(double[] p, Random random) {
        double u = random.nextDouble();
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u <= 0) {
                return i;
            }
        }
        return p.length - 1;
    }

    /** An index drawn with probabilities proportional to {@code p}, never {@code except} (-1: none excluded). */
    public static int index(float[] p, int except, Random random) {
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            total += i == except ? 0 : p[i];
        }
        double u = random.nextDouble() * total;
        int last = -1;
        for (int i = 0; i < p.length; i++) {
            if (i == except) {
                continue;
            }
            last = i;
            u -= p[i];
            if (u <= 0) {
                return i;
            }
        }
        return last;
    }
}

package org.nas4j.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Dominance, non-dominated sorting, crowding and hypervolume on points worked out by hand. */
class ParetoTest {
    private static double[] p(double... v) {
        return v;
    }

    @Test
    void dominanceNeedsOneStrictImprovementAndNoLoss() {
        assertTrue(Pareto.dominates(p(2, 2), p(1, 2)));
        assertFalse(Pareto.dominates(p(2, 2), p(2, 2)));
        assertFalse(Pareto.dominates(p(3, 1), p(1, 3)));
        assertFalse(Pareto.dominates(p(1, 3), p(3, 1)));
    }

    @Test
    void frontsPeelOffNonDominatedLayers() {
        // Accuracy up, parameters as a negated cost: front 0 is the staircase 0, 1, 2; 3 and 4 lie
        // under it; 5 lies under 3.
        List<double[]> points = List.of(p(0.9, -3), p(0.8, -2), p(0.7, -1), p(0.75, -2.5), p(0.6, -1.5), p(0.5, -3));
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4), List.of(5)), Pareto.fronts(points));
        assertEquals(List.of(List.of(0, 1)), Pareto.fronts(List.of(p(1, 1), p(1, 1))), "equal points share a front");
    }

    @Test
    void crowdingKeepsTheExtremesAndMeasuresTheGapAroundEachPoint() {
        List<double[]> points = List.of(p(0, 4), p(1, 3), p(3, 1), p(4, 0));
        double[] d = Pareto.crowding(points, List.of(0, 1, 2, 3));
        assertEquals(Double.POSITIVE_INFINITY, d[0]);
        assertEquals(Double.POSITIVE_INFINITY, d[3]);
        // Point 1: neighbours 0 and 2, gaps 3/4 in each objective.
        assertEquals(1.5, d[1], 1e-12);
        assertEquals(1.5, d[2], 1e-12);
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY}, Pareto.crowding(List.of(p(1, 1)), List.of(0)));
    }

    @Test
    void hypervolumeOfAStaircase() {
        List<double[]> front = List.of(p(3, 1), p(2, 2), p(1, 3));
        assertEquals(6, Pareto.hypervolume(front, p(0, 0)), 1e-12);
        // A dominated point and a point below the reference add nothing; order does not matter.
        assertEquals(6, Pareto.hypervolume(List.of(p(1, 3), p(1.5, 1.5), p(3, 1), p(-1, 9), p(2, 2)), p(0, 0)), 1e-12);
        assertEquals(1, Pareto.hypervolume(front, p(1, 1)), 1e-12);
    }
}

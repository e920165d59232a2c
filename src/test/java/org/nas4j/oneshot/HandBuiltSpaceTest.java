package org.nas4j.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.nas4j.search.Strategies;
import org.nas4j.space.Architecture;
import org.nas4j.space.Decision;
import org.nas4j.space.SearchSpace;

/** One-shot strategies read the space, never the spec: they work on a space built by hand. */
class HandBuiltSpaceTest {

    /** Two edges, each a layer choice with a "none" candidate, then a choice of one of them. */
    private static SearchSpace space() {
        TreeMap<String, Decision> d = new TreeMap<>();
        d.put("e1", new Decision.LayerChoice("e1", List.of("conv", "pool", "zero"), List.of("e1"), List.of("zero")));
        d.put("e2", new Decision.LayerChoice("e2", List.of("conv", "pool", "zero"), List.of("e2"), List.of("zero")));
        d.put("pick", new Decision.InputChoice("pick", List.of("e1", "e2"), 1, List.of("pick")));
        return new SearchSpace(d, List.of(new SearchSpace.NetworkNode("e1", List.of("e1"), List.of()),
                new SearchSpace.NetworkNode("e2", List.of("e2"), List.of()),
                new SearchSpace.NetworkNode("pick", List.of("pick"), List.of("e1", "e2")),
                new SearchSpace.NetworkNode("head", List.of(), List.of())));
    }

    @Test
    void dartsReadsItsChoiceOffTheWeightsSkippingNone() {
        try (NDManager m = NDManager.newBaseManager(); ArchWeights alpha = new ArchWeights(space(), m, false)) {
            // One SGD step of rate 1 sets each logit to minus its "gradient".
            Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(1f)).build();
            alpha.apply(sgd, Map.of("e1", new float[] {-1, -2, -9}, "e2", new float[] {-3, -1, -1}), m);
            Architecture chosen = alpha.derive(space());
            assertEquals("pool", chosen.get("e1"), "e1's strongest candidate but none");
            assertEquals("conv", chosen.get("e2"));
            assertEquals(List.of("e2"), chosen.get("pick"), "the edge whose strongest real candidate is strongest");
        }
    }

    @Test
    void enasWalksTheNetworkOfTheSpace() {
        try (NDManager m = NDManager.newBaseManager();
             EnasController c = new EnasController(space(), m, Strategies.ENAS.parse(Map.of()), 10)) {
            Random random = new Random(1);
            for (int i = 0; i < 20; i++) {
                try (NDManager step = m.newSubManager()) {
                    Architecture arch = c.sample(random, step).architecture();
                    assertEquals(space().decisions().keySet(), arch.keys());
                    assertTrue(List.of("conv", "pool", "zero").contains(arch.get("e1")), arch.toString());
                    assertEquals(1, ((List<?>) arch.get("pick")).size(), arch.toString());
                }
            }
        }
    }
}

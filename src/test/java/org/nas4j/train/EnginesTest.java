package org.nas4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Loading saved arrays into live ones, as a resumed one-shot run does. */
class EnginesTest {

    @Test
    void copyIntoReplacesTheValuesOfATrainableArrayInPlace() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray live = m.create(new float[][] {{1, 2}, {3, 4}});
            live.setRequiresGradient(true);
            NDArray loaded = m.create(new float[][] {{5, 6}, {7, 8}});
            Engines.copyInto(live, loaded);
            assertArrayEquals(new float[] {5, 6, 7, 8}, live.toFloatArray());
            assertTrue(live.hasGradient());
        }
    }
}

package org.nas4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import org.junit.jupiter.api.Test;
import org.nas4j.spec.Spec;

/** training.loss picks the loss the training loops use. */
class LossesTest {

    private static Spec.TrainingSpec withLoss(String loss) {
        Spec.TrainingSpec d = Spec.TrainingSpec.defaults();
        return new Spec.TrainingSpec(d.epochs(), d.optimizer(), loss, d.schedule(), d.gradClip(), d.device());
    }

    @Test
    void everyLossTheSpecAdmitsExists() {
        for (String name : Spec.TrainingSpec.LOSSES) {
            Losses.of(withLoss(name));
        }
    }

    @Test
    void crossEntropyIsSoftmaxCrossEntropyOverClassIndices() {
        Loss loss = Losses.of(withLoss("cross-entropy"));
        try (NDManager m = NDManager.newBaseManager()) {
            // Logits [0, ln 3] give class 1 a probability of 3/4: the loss is -ln(3/4).
            float value = loss.evaluate(new NDList(m.create(new float[] {1f})),
                    new NDList(m.create(new float[] {0f, (float) Math.log(3)}, new ai.djl.ndarray.types.Shape(1, 2)))).getFloat();
            assertEquals(-Math.log(0.75), value, 1e-6);
        }
    }

    @Test
    void aLossTheSpecDoesNotAdmitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Losses.of(withLoss("mse")));
    }
}

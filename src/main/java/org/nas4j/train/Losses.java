package org.nas4j.train;

import ai.djl.training.loss.Loss;
import org.nas4j.spec.Spec;

/** The DJL loss a spec's {@code training.loss} names; every training loop takes its loss from here. */
public final class Losses {
    private Losses() {
    }

    /** The loss of {@code training}; the spec check admits only the names in {@link Spec.TrainingSpec#LOSSES}. */
    public static Loss of(Spec.TrainingSpec training) {
        return switch (training.loss()) {
            case "cross-entropy" -> Loss.softmaxCrossEntropyLoss();
            default -> throw new IllegalArgumentException("no loss is named '" + training.loss() + "'");
        };
    }
}

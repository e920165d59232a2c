package org.nas4j.train;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.nas4j.spec.Spec;

/** The DJL optimizer and learning-rate schedule a spec's {@code training} section asks for. */
public final class Optimizers {
    private Optimizers() {
    }

    /** The optimizer for a run of {@code totalSteps} updates of {@code stepsPerEpoch} each epoch. */
    public static Optimizer of(Spec.TrainingSpec training, int totalSteps, int stepsPerEpoch) {
        Spec.OptimizerSpec o = training.optimizer();
        Tracker lr = schedule(training.schedule(), (float) o.lr(), Math.max(1, totalSteps), Math.max(1, stepsPerEpoch));
        float wd = o.weightDecay() == null ? 0f : o.weightDecay().floatValue();
        return switch (o.type()) {
            case "sgd" -> Boolean.TRUE.equals(o.nesterov())
                    ? new NesterovSgd(lr, momentum(o), wd)
                    : Optimizer.sgd().setLearningRateTracker(lr).optMomentum(momentum(o)).optWeightDecays(wd).build();
            case "adamw" -> Optimizer.adamW().optLearningRateTracker(lr).optWeightDecays(o.weightDecay() == null ? 0.01f : wd).build();
            default -> Optimizer.adam().optLearningRateTracker(lr).optWeightDecays(wd).build();
        };
    }

    private static float momentum(Spec.OptimizerSpec o) {
        return o.momentum() == null ? 0f : o.momentum().floatValue();
    }

    private static Tracker schedule(Spec.ScheduleSpec s, float lr, int totalSteps, int stepsPerEpoch) {
        return switch (s.type()) {
            case "cosine" -> Tracker.cosine().setBaseValue(lr).optFinalValue((float) s.minLr()).setMaxUpdates(totalSteps).build();
            case "step" -> {
                int every = s.stepEpochs() * stepsPerEpoch;
                int count = Math.max(1, totalSteps / every);
                int[] steps = new int[count];
                for (int i = 0; i < count; i++) {
                    steps[i] = (i + 1) * every;
                }
                yield Tracker.multiFactor().setBaseValue(lr).setSteps(steps).optFactor((float) s.gamma()).build();
            }
            default -> Tracker.fixed(lr);
        };
    }
}

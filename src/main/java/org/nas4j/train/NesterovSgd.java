package org.nas4j.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SGD with Nesterov momentum as PyTorch computes it (buf = m*buf + g; w -= lr*(g + m*buf), with
 * weight decay added to g). DJL's own Nag needs an engine op the PyTorch engine lacks.
 */
final class NesterovSgd extends Optimizer {
    private final ParameterTracker learningRate;
    private final float momentum;
    private final Map<String, Map<Device, NDArray>> buffers = new ConcurrentHashMap<>();

    NesterovSgd(ParameterTracker learningRate, float momentum, float weightDecay) {
        super(new Builder().optWeightDecays(weightDecay));
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int count = updateCount(parameterId);
        float lr = learningRate.getNewValue(parameterId, count);
        NDArray g = grad.mul(rescaleGrad);
        if (getWeightDecay() != 0) {
            g = g.add(weight.mul(getWeightDecay()));
        }
        NDArray buffer = withDefaultState(buffers, parameterId, weight.getDevice(), k -> weight.zerosLike());
        buffer.muli(momentum).addi(g);
        weight.subi(g.add(buffer.mul(momentum)).mul(lr));
    }

    /** The base builder DJL's Optimizer takes; only weight decay is used. */
    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}

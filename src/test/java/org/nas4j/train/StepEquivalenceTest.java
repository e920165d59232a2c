package org.nas4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nas4j.spec.Overrides;
import org.nas4j.spec.Spec;
import org.nas4j.spec.SpecLoader;
import org.nas4j.supernet.SupernetCompiler;

/**
 * The training step every child takes ({@link ChildTraining#step}: the spec-built child, its
 * loss, its Adam) computes exactly what the textbook step computes: the same network written as
 * plain array operations and Adam written out, from the same weights on the same batches. A
 * faster step (fused updates, skipped zero-fills, another memory layout) must keep this test
 * passing: nothing may be made fast by computing something else.
 */
class StepEquivalenceTest extends WithEngine {
    private static final int STEPS = 5;

    @Test
    void theChildStepIsForwardBackwardAndAdamAsWrittenOut() throws Exception {
        // specs/mnist.yaml's child conv5x5 + skip, dropout off so that both sides see the same network.
        SpecLoader.Checked c = SpecLoader.load(Path.of("specs/mnist.yaml"),
                List.of(Overrides.parse("model.7.rate=0"), Overrides.parse("model.11.rate=0")));
        Spec spec = c.spec();
        Engines.seed(3, 0);
        NDArray[] xs = new NDArray[STEPS];
        NDArray[] ys = new NDArray[STEPS];
        for (int i = 0; i < STEPS; i++) {
            xs[i] = manager.randomNormal(new Shape(16, 1, 28, 28));
            ys[i] = manager.randomInteger(0, 10, new Shape(16), DataType.INT32).toType(DataType.FLOAT32, false);
        }
        List<Float> production = new ArrayList<>();
        List<NDArray> start = new ArrayList<>();
        try (Model model = Model.newInstance("child")) {
            model.setBlock(SupernetCompiler.child(spec, Map.of("conv1", "conv5x5", "skipcon", List.of("conv2"))));
            Loss loss = Losses.of(spec.training());
            try (Trainer trainer = ChildTraining.newTrainer(model, ChildTraining.config(loss, Optimizers.of(spec.training(), 100, 10),
                    model.getNDManager().getDevice()))) {
                trainer.initialize(new Shape(16, 1, 28, 28));
                for (var p : model.getBlock().getParameters()) {
                    NDArray copy = p.getValue().getArray().duplicate();
                    copy.attach(manager);
                    start.add(copy);
                }
                for (int i = 0; i < STEPS; i++) {
                    production.add(ChildTraining.step(trainer, loss, new NDList(xs[i]), new NDList(ys[i]), null).loss());
                }
            }
        }
        List<Float> reference = reference(start, xs, ys, (float) spec.training().optimizer().lr());
        for (int i = 0; i < STEPS; i++) {
            assertEquals(reference.get(i), production.get(i), 1e-4 * Math.abs(reference.get(i)), "loss of step " + (i + 1));
        }
    }

    /** The same network as array operations, its softmax cross-entropy, and Adam as DJL defines it, step by step. */
    private static List<Float> reference(List<NDArray> start, NDArray[] xs, NDArray[] ys, float lr) {
        float beta1 = 0.9f;
        float beta2 = 0.999f;
        float eps = 1e-8f;
        List<Float> losses = new ArrayList<>();
        try (NDManager m = manager.newSubManager()) {
            List<NDArray> w = new ArrayList<>();
            List<NDArray> mean = new ArrayList<>();
            List<NDArray> var = new ArrayList<>();
            for (NDArray s : start) {
                NDArray a = s.duplicate();
                a.attach(m);
                a.setRequiresGradient(true);
                w.add(a);
                mean.add(m.zeros(s.getShape()));
                var.add(m.zeros(s.getShape()));
            }
            for (int t = 1; t <= xs.length; t++) {
                float value;
                try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                    NDArray h = Activation.relu(Conv2d.conv2d(xs[t - 1], w.get(0), w.get(1), new Shape(1, 1), new Shape(1, 1)).head());
                    NDArray c2 = Conv2d.conv2d(h, w.get(2), w.get(3)).head();
                    NDArray sum = Conv2d.conv2d(c2, w.get(4), w.get(5)).head().add(c2);
                    NDArray pooled = Pool.maxPool2d(sum, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
                    NDArray fc1 = Activation.relu(Linear.linear(pooled.reshape(pooled.getShape().get(0), -1), w.get(6), w.get(7)).head());
                    NDArray logits = Linear.linear(fc1, w.get(8), w.get(9)).head();
                    NDArray picked = logits.logSoftmax(1).mul(ys[t - 1].toType(DataType.INT32, false).oneHot(10)).sum(new int[] {1});
                    NDArray loss = picked.neg().mean();
                    gc.backward(loss);
                    value = loss.getFloat();
                }
                losses.add(value);
                float rate = (float) (lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
                for (int k = 0; k < w.size(); k++) {
                    NDArray g = w.get(k).getGradient();
                    mean.set(k, mean.get(k).mul(beta1).add(g.mul(1 - beta1)));
                    var.set(k, var.get(k).mul(beta2).add(g.square().mul(1 - beta2)));
                    NDArray next = w.get(k).stopGradient().sub(mean.get(k).mul(rate).div(var.get(k).sqrt().add(eps)));
                    next.setRequiresGradient(true);
                    w.set(k, next);
                }
            }
        }
        return losses;
    }
}

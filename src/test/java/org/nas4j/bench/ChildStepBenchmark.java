package org.nas4j.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nas4j.spec.SpecLoader;
import org.nas4j.supernet.SupernetCompiler;
import org.nas4j.train.ChildTraining;

/**
 * ms/step of specs/mnist.yaml's child {conv1: conv5x5, skipcon: [conv2]} built from the spec,
 * against the same network written by hand in DJL, in one process, in alternating rounds after a
 * warm-up; then the live NDArray count over many steps of the spec-built child, and peak RSS.
 * Run by scripts/bench/child-step.sh; not a test.
 */
public final class ChildStepBenchmark {
    private ChildStepBenchmark() {
    }

    static Block handWritten() {
        Block conv3 = Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(64).build();
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(32).optPadding(new Shape(1, 1)).build())
                .add(Activation.reluBlock())
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(64).build())
                .add(new ParallelBlock(list -> new NDList(list.get(0).head().add(list.get(1).head())),
                        Arrays.asList(conv3, Blocks.identityBlock())))
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Dropout.builder().optRate(0.25f).build())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(128).build())
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(0.5f).build())
                .add(Linear.builder().setUnits(10).build());
    }

    /** Runs the benchmark: args are rounds, steps per round, steps for the NDArray count. */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int leakSteps = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        Engine.getInstance().setRandomSeed(1);
        SpecLoader.Checked c = SpecLoader.load(Path.of("specs/mnist.yaml"));
        Block spec = SupernetCompiler.child(c.spec(), Map.of("conv1", "conv5x5", "skipcon", List.of("conv2")));
        try (Model a = Model.newInstance("spec"); Model b = Model.newInstance("hand")) {
            a.setBlock(spec);
            b.setBlock(handWritten());
            Trainer ta = trainer(a);
            Trainer tb = trainer(b);
            NDManager m = NDManager.newBaseManager();
            NDArray x = m.randomNormal(new Shape(64, 1, 28, 28));
            NDArray y = m.randomInteger(0, 10, new Shape(64), ai.djl.ndarray.types.DataType.INT32).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            System.out.printf(Locale.ROOT, "parameters: spec-built %d, hand-written %d%n",
                    SupernetCompiler.trainableParameters(spec), SupernetCompiler.trainableParameters(b.getBlock()));
            for (int i = 0; i < 20; i++) {
                step(ta, x, y);
                step(tb, x, y);
            }
            List<Double> specMs = new ArrayList<>();
            List<Double> handMs = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                boolean specFirst = r % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    boolean isSpec = (k == 0) == specFirst;
                    Trainer t = isSpec ? ta : tb;
                    long start = System.nanoTime();
                    for (int i = 0; i < steps; i++) {
                        step(t, x, y);
                    }
                    (isSpec ? specMs : handMs).add((System.nanoTime() - start) / 1e6 / steps);
                }
            }
            double ms = median(specMs);
            double mh = median(handMs);
            System.out.printf(Locale.ROOT, "spec-built: median %.1f ms/step (IQR %.1f-%.1f)%n", ms, q(specMs, 25), q(specMs, 75));
            System.out.printf(Locale.ROOT, "hand-written: median %.1f ms/step (IQR %.1f-%.1f)%n", mh, q(handMs, 25), q(handMs, 75));
            System.out.printf(Locale.ROOT, "ratio spec-built / hand-written: %.3f%n", ms / mh);
            BaseNDManager manager = (BaseNDManager) a.getNDManager();
            int before = manager.getManagedArrays().size();
            for (int i = 0; i < leakSteps; i++) {
                step(ta, x, y);
                if ((i + 1) % (leakSteps / 4) == 0) {
                    System.out.printf(Locale.ROOT, "live NDArrays after %d more steps: %d (started at %d)%n", i + 1,
                            manager.getManagedArrays().size(), before);
                }
            }
            ta.close();
            tb.close();
            m.close();
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM")) {
                System.out.println("peak RSS " + line.substring(6).trim());
            }
        }
    }

    private static Trainer trainer(Model model) {
        Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.001f)).build()));
        t.initialize(new Shape(64, 1, 28, 28));
        return t;
    }

    /** One training step (the one every child's training runs) on a copy of the batch in a manager of its own, as a real batch has. */
    private static void step(Trainer t, NDArray x, NDArray y) {
        try (NDManager batch = t.getManager().newSubManager()) {
            NDArray xb = x.duplicate();
            NDArray yb = y.duplicate();
            xb.attach(batch);
            yb.attach(batch);
            ChildTraining.step(t, Loss.softmaxCrossEntropyLoss(), new NDList(xb), new NDList(yb), null);
        }
    }

    private static double median(List<Double> v) {
        return q(v, 50);
    }

    private static double q(List<Double> v, int percent) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get((int) Math.round((s.size() - 1) * percent / 100.0));
    }
}

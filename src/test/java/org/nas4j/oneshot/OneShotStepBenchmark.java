package org.nas4j.oneshot;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nas4j.search.Strategies;
import org.nas4j.spec.SpecLoader;
import org.nas4j.supernet.SupernetCompiler;
import org.nas4j.train.ChildTraining;
import org.nas4j.train.Datasets;

/**
 * ms/step of one-shot training on specs/mnist.yaml (batch 64, fixed random tensors), in one
 * process, modes in alternating rounds after a warm-up: the child {conv5x5, skip} alone; the
 * single-path supernet following that child's path (spos and random-oneshot's step); the other
 * child {conv3x3, skip}; the DARTS step (architecture step + weight step), first and second order; the
 * ProxylessNAS step (binary-gate architecture step + a drawn path's weight step); the ENAS weight step (a
 * controller sample + a path step; the controller's own steps come once per epoch). With "rss MODE STEPS"
 * it runs one mode alone and prints the process's peak RSS. Run by scripts/bench/oneshot-step.sh.
 */
public final class OneShotStepBenchmark {
    private static final Map<String, Object> CHILD5 = Map.of("conv1", "conv5x5", "skipcon", List.of("conv2"));
    private static final Map<String, Object> CHILD3 = Map.of("conv1", "conv3x3", "skipcon", List.of("conv2"));

    private OneShotStepBenchmark() {
    }

    /** A step of some mode, on batches that live only for the step. */
    private interface StepFn {
        void run(NDList x, NDList y, NDList vx, NDList vy);
    }

    /** Copies of the fixed batches in a manager of their own, so that nothing a step computes outlives it. */
    private static void step(NDManager m, StepFn f, NDList... batches) {
        try (NDManager step = m.newSubManager()) {
            NDList[] copies = new NDList[batches.length];
            for (int i = 0; i < batches.length; i++) {
                NDArray a = batches[i].head().duplicate();
                a.attach(step);
                copies[i] = new NDList(a);
            }
            f.run(copies[0], copies[1], copies[2], copies[3]);
        }
    }

    /** Args: rounds and steps per round; or "rss", a mode and a number of steps. */
    public static void main(String[] args) throws Exception {
        Engine.getInstance().setRandomSeed(1);
        SpecLoader.Checked c = SpecLoader.load(Path.of("specs/mnist.yaml"));
        NDManager m = NDManager.newBaseManager();
        Datasets.Splits data = Datasets.load(new org.nas4j.spec.Spec.DataSpec("synthetic", null, 64, 256, 0.5), c.spec().input(), 10, 0.5, 1, m);
        NDList x = new NDList(m.randomNormal(new Shape(64, 1, 28, 28)));
        NDList y = new NDList(m.randomInteger(0, 10, new Shape(64), DataType.INT32).toType(DataType.FLOAT32, false));
        NDList vx = new NDList(m.randomNormal(new Shape(64, 1, 28, 28)));
        NDList vy = new NDList(m.randomInteger(0, 10, new Shape(64), DataType.INT32).toType(DataType.FLOAT32, false));
        Map<String, StepFn> modes = new LinkedHashMap<>();
        List<AutoCloseable> open = new ArrayList<>();
        boolean rss = args.length > 0 && args[0].equals("rss");
        List<String> wanted = rss ? List.of(args[1]) : List.of("child", "single-path", "other-child", "darts", "darts-order2", "proxyless", "enas");
        for (String mode : wanted) {
            switch (mode) {
                case "child", "other-child" -> {
                    Model model = Model.newInstance(mode);
                    model.setBlock(SupernetCompiler.child(c.spec(), mode.equals("child") ? CHILD5 : CHILD3));
                    Trainer t = model.newTrainer(ChildTraining.config(Loss.softmaxCrossEntropyLoss(),
                            Optimizer.sgd().setLearningRateTracker(ai.djl.training.tracker.Tracker.fixed(0.01f)).build()));
                    t.initialize(new Shape(64, 1, 28, 28));
                    open.add(t);
                    modes.put(mode, (bx, by, bvx, bvy) -> childStep(t, bx, by));
                }
                case "single-path" -> {
                    OneShotTraining s = OneShotTraining.create(Strategies.SPOS, Strategies.SPOS.parse(Map.of()), c.spec(), c.space(), 1, 1, data);
                    open.add(s);
                    modes.put(mode, (bx, by, bvx, bvy) -> s.supernet().pathStep(org.nas4j.space.Architecture.of(CHILD5), bx, by));
                }
                case "enas" -> {
                    OneShotTraining s = OneShotTraining.create(Strategies.ENAS, Strategies.ENAS.parse(Map.of()), c.spec(), c.space(), 1, 1, data);
                    open.add(s);
                    java.util.Random random = new java.util.Random(1);
                    modes.put(mode, (bx, by, bvx, bvy) -> s.supernet().pathStep(((Enas) s.algorithm()).sample(random), bx, by));
                }
                case "proxyless" -> {
                    OneShotTraining s = OneShotTraining.create(Strategies.PROXYLESS, Strategies.PROXYLESS.parse(Map.of("warmup", "0")),
                            c.spec(), c.space(), 1, 1, data);
                    open.add(s);
                    java.util.Random random = new java.util.Random(1);
                    modes.put(mode, (bx, by, bvx, bvy) -> ((Proxyless) s.algorithm()).step(bx, by, bvx, bvy, random));
                }
                default -> {
                    Map<String, String> options = mode.equals("darts-order2") ? Map.of("order", "2") : Map.of();
                    OneShotTraining s = OneShotTraining.create(Strategies.DARTS, Strategies.DARTS.parse(options), c.spec(), c.space(), 1, 1, data);
                    open.add(s);
                    modes.put(mode, (bx, by, bvx, bvy) -> ((Darts) s.algorithm()).step(bx, by, bvx, bvy));
                }
            }
        }
        if (rss) {
            int steps = Integer.parseInt(args[2]);
            for (int i = 0; i < steps; i++) {
                step(m, modes.get(args[1]), x, y, vx, vy);
            }
            System.out.printf(Locale.ROOT, "%s: peak RSS %d MB after %d steps%n", args[1], peakRssKb() / 1024, steps);
            return;
        }
        int rounds = Integer.parseInt(args[0]);
        int steps = Integer.parseInt(args[1]);
        for (StepFn f : modes.values()) {
            for (int i = 0; i < 10; i++) {
                step(m, f, x, y, vx, vy);
            }
        }
        Map<String, List<Double>> ms = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(modes.keySet());
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < names.size(); k++) {
                String name = names.get((k + r) % names.size());
                long start = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    step(m, modes.get(name), x, y, vx, vy);
                }
                ms.computeIfAbsent(name, n -> new ArrayList<>()).add((System.nanoTime() - start) / 1e6 / steps);
            }
        }
        Map<String, Double> median = new LinkedHashMap<>();
        ms.forEach((name, v) -> {
            List<Double> sorted = v.stream().sorted().toList();
            median.put(name, sorted.get(sorted.size() / 2));
            System.out.printf(Locale.ROOT, "%-12s median %.1f ms/step (min %.1f, max %.1f)%n", name, median.get(name), sorted.get(0),
                    sorted.get(sorted.size() - 1));
        });
        System.out.printf(Locale.ROOT, "single-path / child: %.3f (target <= 1.10)%n", median.get("single-path") / median.get("child"));
        System.out.printf(Locale.ROOT, "darts / (child + other-child): %.3f (target <= 1.15)%n",
                median.get("darts") / (median.get("child") + median.get("other-child")));
        System.out.printf(Locale.ROOT, "darts order 2 / darts: %.3f%n", median.get("darts-order2") / median.get("darts"));
        System.out.printf(Locale.ROOT, "proxyless / child: %.3f%n", median.get("proxyless") / median.get("child"));
        System.out.printf(Locale.ROOT, "enas (controller sample + path step) / single-path: %.3f%n", median.get("enas") / median.get("single-path"));
        for (AutoCloseable a : open) {
            a.close();
        }
    }

    private static void childStep(Trainer t, NDList x, NDList y) {
        try (GradientCollector gc = t.newGradientCollector()) {
            NDArray l = t.getLoss().evaluate(y, t.forward(x));
            gc.backward(l);
            l.getFloat();
        }
        t.step();
    }

    private static long peakRssKb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}

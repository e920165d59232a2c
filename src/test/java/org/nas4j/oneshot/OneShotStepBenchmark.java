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
 * ms/step of one-shot training against the children it stands for, in one process, modes in
 * alternating rounds after a warm-up, on fixed random tensors.
 *
 * <p>On specs/mnist.yaml (batch 64): the child {conv5x5, skip} alone; the single-path supernet
 * following that child's path (spos and random-oneshot's step); the other child {conv3x3, skip};
 * the DARTS step (architecture step + weight step), first and second order; the ProxylessNAS step
 * (binary-gate architecture step + a drawn path's weight step); the ENAS weight step (a controller
 * sample + a path step; the controller's own steps come once per epoch).
 *
 * <p>With "nb201 BATCH" first, on specs/nas-bench-201.yaml: the five
 * one-op children (every edge none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3), the
 * single path of the nor_conv_3x3 child, a weight step on DARTS's mixture alone, and the DARTS step.
 *
 * <p>With "rss MODE STEPS" it runs one mode alone and prints the process's peak RSS. Run by
 * scripts/bench/oneshot-step.sh.
 */
public final class OneShotStepBenchmark {
    private static final Map<String, Object> CHILD5 = Map.of("conv1", "conv5x5", "skipcon", List.of("conv2"));
    private static final Map<String, Object> CHILD3 = Map.of("conv1", "conv3x3", "skipcon", List.of("conv2"));
    private static final List<String> NB201_OPS = List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3");

    /**
     * What is measured: a spec, a batch size, the children (by mode name), the child the single
     * path follows, the supernet's modes, and the steps of each mode before timing.
     */
    private record Bench(String spec, int batch, Map<String, Map<String, Object>> children, String pathChild, List<String> supernetModes,
                         int warmup) { }

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

    /** Args: ["nb201" BATCH], then rounds and steps per round, or "rss", a mode and a number of steps. */
    public static void main(String[] args) throws Exception {
        Engine.getInstance().setRandomSeed(1);
        List<String> rest = new ArrayList<>(List.of(args));
        Bench bench;
        if (!rest.isEmpty() && rest.get(0).equals("nb201")) {
            rest.remove(0);
            int batch = Integer.parseInt(rest.remove(0));
            Map<String, Map<String, Object>> children = new LinkedHashMap<>();
            SpecLoader.Checked nb = SpecLoader.load(Path.of("specs/nas-bench-201.yaml"));
            for (String op : NB201_OPS) {
                Map<String, Object> arch = new LinkedHashMap<>();
                nb.space().decisions().keySet().forEach(k -> arch.put(k, op));
                children.put(op, arch);
            }
            bench = new Bench("specs/nas-bench-201.yaml", batch, children, "nor_conv_3x3", List.of("single-path", "mixture", "darts"), 3);
        } else {
            Map<String, Map<String, Object>> children = new LinkedHashMap<>();
            children.put("child", CHILD5);
            children.put("other-child", CHILD3);
            bench = new Bench("specs/mnist.yaml", 64, children, "child", List.of("single-path", "darts", "darts-order2", "proxyless", "enas"), 10);
        }
        SpecLoader.Checked c = SpecLoader.load(Path.of(bench.spec()));
        NDManager m = NDManager.newBaseManager();
        int classes = c.shapes().outputs().iterator().next().dim(0);
        Shape input = new Shape(java.util.stream.LongStream.concat(java.util.stream.LongStream.of(bench.batch()),
                c.spec().input().dims().stream().mapToLong(Integer::longValue)).toArray());
        Datasets.Splits data = Datasets.load(new org.nas4j.spec.Spec.DataSpec("synthetic", null, bench.batch(), 4 * bench.batch(), 0.5),
                c.spec().input(), classes, 0.5, 1, m);
        NDList x = new NDList(m.randomNormal(input));
        NDList y = new NDList(m.randomInteger(0, classes, new Shape(bench.batch()), DataType.INT32).toType(DataType.FLOAT32, false));
        NDList vx = new NDList(m.randomNormal(input));
        NDList vy = new NDList(m.randomInteger(0, classes, new Shape(bench.batch()), DataType.INT32).toType(DataType.FLOAT32, false));
        Map<String, StepFn> modes = new LinkedHashMap<>();
        List<AutoCloseable> open = new ArrayList<>();
        boolean rss = !rest.isEmpty() && rest.get(0).equals("rss");
        List<String> wanted = new ArrayList<>();
        if (rss) {
            wanted.add(rest.get(1));
        } else {
            wanted.addAll(bench.children().keySet());
            wanted.addAll(bench.supernetModes());
        }
        for (String mode : wanted) {
            Map<String, Object> childArch = bench.children().get(mode);
            switch (childArch != null ? "child" : mode) {
                case "child" -> {
                    Model model = Model.newInstance(mode);
                    model.setBlock(SupernetCompiler.child(c.spec(), childArch));
                    Trainer t = ChildTraining.newTrainer(model, ChildTraining.config(Loss.softmaxCrossEntropyLoss(),
                            Optimizer.sgd().setLearningRateTracker(ai.djl.training.tracker.Tracker.fixed(0.01f)).build(), ai.djl.Device.cpu()));
                    t.initialize(input);
                    open.add(t);
                    modes.put(mode, (bx, by, bvx, bvy) -> childStep(t, bx, by));
                }
                case "single-path" -> {
                    OneShotTraining s = OneShotTraining.create(Strategies.SPOS, Strategies.SPOS.parse(Map.of()), c.spec(), c.space(), 1, 1, data, ai.djl.Device.cpu());
                    open.add(s);
                    org.nas4j.space.Architecture path = org.nas4j.space.Architecture.of(bench.children().get(bench.pathChild()));
                    modes.put(mode, (bx, by, bvx, bvy) -> s.supernet().pathStep(path, bx, by));
                }
                case "mixture" -> {
                    OneShotTraining s = OneShotTraining.create(Strategies.DARTS, Strategies.DARTS.parse(Map.of()), c.spec(), c.space(), 1, 1, data, ai.djl.Device.cpu());
                    open.add(s);
                    Darts darts = (Darts) s.algorithm();
                    modes.put(mode, (bx, by, bvx, bvy) -> {
                        try (NDManager weights = s.supernet().trainer().getManager().newSubManager()) {
                            s.supernet().graph().mix(darts.alpha.weights(weights, false));
                            s.supernet().weightStep(bx, by);
                        }
                    });
                }
                case "enas" -> {
                    OneShotTraining s = OneShotTraining.create(Strategies.ENAS, Strategies.ENAS.parse(Map.of()), c.spec(), c.space(), 1, 1, data, ai.djl.Device.cpu());
                    open.add(s);
                    java.util.Random random = new java.util.Random(1);
                    modes.put(mode, (bx, by, bvx, bvy) -> s.supernet().pathStep(((Enas) s.algorithm()).sample(random), bx, by));
                }
                case "proxyless" -> {
                    OneShotTraining s = OneShotTraining.create(Strategies.PROXYLESS, Strategies.PROXYLESS.parse(Map.of("warmup", "0")),
                            c.spec(), c.space(), 1, 1, data, ai.djl.Device.cpu());
                    open.add(s);
                    java.util.Random random = new java.util.Random(1);
                    modes.put(mode, (bx, by, bvx, bvy) -> ((Proxyless) s.algorithm()).step(bx, by, bvx, bvy, random));
                }
                default -> {
                    Map<String, String> options = mode.equals("darts-order2") ? Map.of("order", "2") : Map.of();
                    OneShotTraining s = OneShotTraining.create(Strategies.DARTS, Strategies.DARTS.parse(options), c.spec(), c.space(), 1, 1, data, ai.djl.Device.cpu());
                    open.add(s);
                    modes.put(mode, (bx, by, bvx, bvy) -> ((Darts) s.algorithm()).step(bx, by, bvx, bvy));
                }
            }
        }
        if (rss) {
            int steps = Integer.parseInt(rest.get(2));
            for (int i = 0; i < steps; i++) {
                step(m, modes.get(rest.get(1)), x, y, vx, vy);
            }
            System.out.printf(Locale.ROOT, "%s: peak RSS %d MB after %d steps (batch %d)%n", rest.get(1), peakRssKb() / 1024, steps,
                    bench.batch());
            return;
        }
        int rounds = Integer.parseInt(rest.get(0));
        int steps = Integer.parseInt(rest.get(1));
        for (StepFn f : modes.values()) {
            for (int i = 0; i < bench.warmup(); i++) {
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
        double children = bench.children().keySet().stream().mapToDouble(median::get).sum();
        System.out.printf(Locale.ROOT, "batch %d; single-path / %s: %.3f (target <= 1.10)%n", bench.batch(), bench.pathChild(),
                median.get("single-path") / median.get(bench.pathChild()));
        System.out.printf(Locale.ROOT, "darts / (%s): %.3f (target <= 1.15)%n", String.join(" + ", bench.children().keySet()),
                median.get("darts") / children);
        if (median.containsKey("mixture")) {
            System.out.printf(Locale.ROOT, "mixture weight step alone / the children: %.3f; DARTS's architecture step (darts - mixture) / the children: %.3f%n",
                    median.get("mixture") / children, (median.get("darts") - median.get("mixture")) / children);
        }
        if (median.containsKey("darts-order2")) {
            System.out.printf(Locale.ROOT, "darts order 2 / darts: %.3f%n", median.get("darts-order2") / median.get("darts"));
            System.out.printf(Locale.ROOT, "proxyless / child: %.3f%n", median.get("proxyless") / median.get("child"));
            System.out.printf(Locale.ROOT, "enas (controller sample + path step) / single-path: %.3f%n", median.get("enas") / median.get("single-path"));
        }
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

package org.nas4j.oneshot;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nas4j.search.Strategies;
import org.nas4j.search.StrategyOptions;
import org.nas4j.space.Architecture;
import org.nas4j.space.SearchSpace;
import org.nas4j.spec.Overrides;
import org.nas4j.spec.Spec;
import org.nas4j.spec.SpecLoader;
import org.nas4j.supernet.SupernetCompiler;
import org.nas4j.train.ChildTraining;
import org.nas4j.train.Datasets;
import org.nas4j.train.Engines;
import org.nas4j.train.Losses;
import org.nas4j.train.Optimizers;

/**
 * nas4j's side of scripts/bench/vs-pytorch.sh, with the spec's Adam 1e-3 on Fashion-MNIST batches
 * of 64, in one of four modes: {@code child}, specs/mnist.yaml's child {conv1: conv5x5, skipcon:
 * [conv2]} trained by the step every child's training runs ({@link ChildTraining#step});
 * {@code spos}, its single-path supernet trained by SPOS's step ({@link Supernet#pathStep}) on
 * uniformly drawn paths; {@code darts}, the supernet with every candidate mixed and DARTS's
 * first-order step ({@link Darts}: Adam 3e-4, betas 0.5/0.999, for the architecture weights on
 * the next batch as validation, then the weight step); {@code darts2}, the same with DARTS's
 * unrolled second-order architecture step (xi the DARTS weights' learning rate, 0.025);
 * {@code proxyless}, ProxylessNAS's step after its warm-up ({@link Proxyless}: the binary-gate
 * architecture step on the next batch, then a drawn path's weight step); {@code enas}, ENAS's
 * path step ({@link Enas}: a path drawn by the LSTM controller trains).
 *
 * <ul>
 *   <li>{@code export MODE DIR BATCHES}: writes the first BATCHES training batches (batches.f32,
 *       labels.f32), the initial weights (params.f32, params.txt: name and shape per line) and for
 *       spos and enas the paths drawn (paths.txt), for proxyless the architecture weights
 *       (alpha.txt) and each step's draws (draws.txt), for enas the controller's plan (plan.txt),
 *       for the PyTorch twin, and the losses of BATCHES steps
 *       from them with dropout off (losses.txt: the two sides must compute the same thing);</li>
 *   <li>{@code time MODE DIR WARMUP STEPS}: ms/step, the median of STEPS steps after WARMUP,
 *       dropout on, cycling over the exported batches (and paths).</li>
 * </ul>
 */
public final class VsPyTorchBenchmark {
    private static final Map<String, Object> CHILD = Map.of("conv1", "conv5x5", "skipcon", List.of("conv2"));

    private VsPyTorchBenchmark() {
    }

    /** Runs one mode; see the class comment. */
    public static void main(String[] args) throws Exception {
        String mode = args[1];
        Path dir = Path.of(args[2]);
        Engines.seed(1, 0);
        if (args[0].equals("export")) {
            exportAndCheck(mode, dir, Integer.parseInt(args[3]));
        } else {
            time(mode, dir, Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        }
    }

    private static Spec spec(boolean dropout) {
        List<Overrides.Override> off = dropout ? List.of()
                : List.of(Overrides.parse("model.7.rate=0"), Overrides.parse("model.11.rate=0"));
        SpecLoader.Checked c = SpecLoader.load(Path.of("specs/mnist.yaml"), off);
        if (!c.ok()) {
            throw new IllegalStateException(c.errors().toString());
        }
        return c.spec();
    }

    /** The network and its training step, set up as a search sets them up. */
    private interface Setup extends AutoCloseable {
        /** One training step on the {@code i}-th batch of the run ({@code vx}, {@code vy}: the validation batch DARTS's architecture step takes). */
        float step(int i, NDArray x, NDArray y, NDArray vx, NDArray vy);

        /** The trained block (its parameters are exported). */
        ai.djl.nn.Block block();

        @Override
        void close();

        static Setup of(String mode, Spec spec, Datasets.Splits data, List<Architecture> paths) throws Exception {
            if (mode.equals("child")) {
                return Child.of(spec);
            }
            Supernet net = new Supernet(spec, data, Optimizers.of(spec.training(), 1_000_000, 1000), null, ai.djl.Device.cpu());
            if (mode.equals("spos")) {
                return new SinglePath(net, paths);
            }
            SearchSpace space = SpecLoader.load(Path.of("specs/mnist.yaml")).space();
            if (mode.equals("enas")) {
                Enas enas = new Enas(net, space, Strategies.ENAS.parse(Map.of()));
                return new Controlled(net, enas, new java.util.Random(7), new ArrayList<>());
            }
            if (mode.equals("proxyless")) {
                return new Gated(net, new Proxyless(net, space, Strategies.PROXYLESS.parse(Map.of("warmup", "0")), 1), new java.util.Random(7),
                        new ArrayList<>());
            }
            StrategyOptions o = Strategies.DARTS.parse(Map.of("order", mode.equals("darts2") ? "2" : "1"));
            return new Mixture(net, new Darts(net, space, o, Darts.learningRate(o, 1_000_000)));
        }

        /** Runs {@code step} on copies of the batch in a manager of their own, as a real batch is. */
        static float onCopies(NDManager parent, NDArray x, NDArray y, java.util.function.BiFunction<NDList, NDList, Float> step) {
            try (NDManager batch = parent.newSubManager()) {
                NDArray xb = x.duplicate();
                NDArray yb = y.duplicate();
                xb.attach(batch);
                yb.attach(batch);
                return step.apply(new NDList(xb), new NDList(yb));
            }
        }
    }

    /** The child and its trainer, as every child's training sets them up. */
    private record Child(Model model, Trainer trainer, Loss loss) implements Setup {
        static Child of(Spec spec) throws Exception {
            Model model = Model.newInstance("child");
            model.setBlock(SupernetCompiler.child(spec, CHILD));
            Loss loss = Losses.of(spec.training());
            Trainer trainer = ChildTraining.newTrainer(model, ChildTraining.config(loss, Optimizers.of(spec.training(), 1_000_000, 1000),
                    model.getNDManager().getDevice()));
            trainer.initialize(ChildTraining.batchShape(spec.data().batchSize(), spec.input()));
            return new Child(model, trainer, loss);
        }

        @Override
        public float step(int i, NDArray x, NDArray y, NDArray vx, NDArray vy) {
            return Setup.onCopies(trainer.getManager(), x, y, (xb, yb) -> ChildTraining.step(trainer, loss, xb, yb, null).loss());
        }

        @Override
        public ai.djl.nn.Block block() {
            return model.getBlock();
        }

        @Override
        public void close() {
            trainer.close();
            model.close();
        }
    }

    /** The single-path supernet and SPOS's step, on the paths given in turn. */
    private record SinglePath(Supernet net, List<Architecture> paths) implements Setup {
        @Override
        public float step(int i, NDArray x, NDArray y, NDArray vx, NDArray vy) {
            return Setup.onCopies(net.trainer().getManager(), x, y, (xb, yb) -> net.pathStep(paths.get(i % paths.size()), xb, yb).loss());
        }

        @Override
        public ai.djl.nn.Block block() {
            return net.graph();
        }

        @Override
        public void close() {
            net.close();
        }
    }

    /** The supernet with every candidate mixed, and DARTS's first-order step (architecture step on the validation batch, then the weight step). */
    private record Mixture(Supernet net, Darts darts) implements Setup {
        @Override
        public float step(int i, NDArray x, NDArray y, NDArray vx, NDArray vy) {
            return Setup.onCopies(net.trainer().getManager(), x, y, (xb, yb) -> Setup.onCopies(net.trainer().getManager(), vx, vy,
                    (vxb, vyb) -> darts.step(xb, yb, vxb, vyb).loss()));
        }

        @Override
        public ai.djl.nn.Block block() {
            return net.graph();
        }

        /** The architecture weights as logits (the logarithms of their softmax: the same softmax). */
        List<String> logits() {
            List<String> out = new ArrayList<>();
            for (String key : darts.alpha.options().keySet()) {
                StringBuilder b = new StringBuilder(key);
                for (float p : darts.alpha.probabilities(key)) {
                    b.append(' ').append(String.format(Locale.ROOT, "%.9g", Math.log(p)));
                }
                out.add(b.toString());
            }
            return out;
        }

        @Override
        public void close() {
            darts.close();
            net.close();
        }
    }

    /**
     * ProxylessNAS's step after its warm-up: the binary-gate architecture step on the validation
     * batch, then a path drawn from the architecture weights trains. Timed as {@link Proxyless#step}
     * runs it; when exporting, the same calls one by one, each step's draws recorded for the twin
     * ({@code draws}: conv1's pair a b, the gate on, the skip's gate, the path's conv1 and skip).
     */
    private record Gated(Supernet net, Proxyless proxyless, java.util.Random random, List<String> draws) implements Setup {
        @Override
        public float step(int i, NDArray x, NDArray y, NDArray vx, NDArray vy) {
            return Setup.onCopies(net.trainer().getManager(), x, y, (xb, yb) -> Setup.onCopies(net.trainer().getManager(), vx, vy,
                    (vxb, vyb) -> draws == null ? proxyless.step(xb, yb, vxb, vyb, random).loss() : recorded(xb, yb, vxb, vyb)));
        }

        private float recorded(NDList x, NDList y, NDList vx, NDList vy) {
            ProxylessGates.GateDraw d = proxyless.gates.draw(random);
            proxyless.gates.step(vx, vy, d);
            Architecture path = proxyless.gates.drawPath(random);
            int[] pair = d.pairs().get("conv1");
            draws.add(pair[0] + " " + pair[1] + " " + pair[2] + " " + (d.inputs().get("skipcon")[0] ? 1 : 0) + " " + path.layer("conv1") + " "
                    + path.inputs("skipcon").size());
            return net.pathStep(path, x, y).loss();
        }

        /** The initial architecture weights as probabilities: conv1's options, their softmax, the skip's sigmoid. */
        List<String> probabilities() {
            StringBuilder names = new StringBuilder("conv1");
            proxyless.alpha.options().get("conv1").forEach(o -> names.append(' ').append(o));
            StringBuilder p = new StringBuilder("conv1");
            for (float v : proxyless.alpha.probabilities("conv1")) {
                p.append(' ').append(String.format(Locale.ROOT, "%.9g", v));
            }
            return List.of(names.toString(), p.toString(),
                    String.format(Locale.ROOT, "skipcon %.9g", proxyless.alpha.inputProbabilities("skipcon")[0]));
        }

        @Override
        public ai.djl.nn.Block block() {
            return net.graph();
        }

        @Override
        public void close() {
            proxyless.close();
            net.close();
        }
    }

    /**
     * ENAS's path step: a path sampled by the LSTM controller trains. Timed as {@link Enas#step}
     * runs it; when exporting, the same two calls, the paths recorded for the twin.
     */
    private record Controlled(Supernet net, Enas enas, java.util.Random random, List<Architecture> drawn) implements Setup {
        @Override
        public float step(int i, NDArray x, NDArray y, NDArray vx, NDArray vy) {
            return Setup.onCopies(net.trainer().getManager(), x, y, (xb, yb) -> {
                if (drawn == null) {
                    return enas.step(xb, yb, random).loss();
                }
                Architecture path = enas.sample(random);
                drawn.add(path);
                return net.pathStep(path, xb, yb).loss();
            });
        }

        @Override
        public ai.djl.nn.Block block() {
            return net.graph();
        }

        @Override
        public void close() {
            enas.close();
            net.close();
        }
    }

    /** Training batches of Fashion-MNIST (seeded, standardised as nas4j reads them). */
    private static Datasets.Splits data(Spec spec, int batches, NDManager m) throws Exception {
        return Datasets.load(new Spec.DataSpec("fashion-mnist", null, spec.data().batchSize(), batches * spec.data().batchSize() * 2, 0.0),
                spec.input(), 10, 0, 1, m);
    }

    /** SPOS's paths: uniformly drawn, as its step draws them, from a fixed seed. */
    private static List<Architecture> paths(int n) {
        SpecLoader.Checked c = SpecLoader.load(Path.of("specs/mnist.yaml"));
        org.nas4j.space.Sampler sampler = new org.nas4j.space.Sampler(c.space());
        java.util.Random random = new java.util.Random(7);
        List<Architecture> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(sampler.random(random));
        }
        return out;
    }

    private static void exportAndCheck(String mode, Path dir, int batches) throws Exception {
        Files.createDirectories(dir);
        Spec spec = spec(false);
        List<Architecture> paths = paths(batches);
        try (NDManager m = NDManager.newBaseManager()) {
            Datasets.Splits splits = data(spec, batches, m);
            Setup s = Setup.of(mode, spec, splits, paths);
            if (s instanceof Mixture mix) {
                Files.write(dir.resolve("alpha.txt"), mix.logits());
            }
            if (s instanceof Gated gated) {
                Files.write(dir.resolve("alpha.txt"), gated.probabilities());
            }
            if (s instanceof Controlled c) {
                Files.write(dir.resolve("plan.txt"), c.enas().controller.describe());
            }
            List<NDArray> xs = new ArrayList<>();
            List<NDArray> ys = new ArrayList<>();
            for (Batch b : splits.train().getData(m)) {
                if (xs.size() == batches) {
                    break;
                }
                xs.add(b.getData().head());
                ys.add(b.getLabels().head());
            }
            write(dir.resolve("batches.f32"), xs);
            write(dir.resolve("labels.f32"), ys);
            List<String> names = new ArrayList<>();
            List<NDArray> values = new ArrayList<>();
            for (var p : s.block().getParameters()) {
                Parameter param = p.getValue();
                names.add(p.getKey() + " " + param.getArray().getShape());
                values.add(param.getArray());
            }
            write(dir.resolve("params.f32"), values);
            Files.write(dir.resolve("params.txt"), names);
            List<String> losses = new ArrayList<>();
            for (int i = 0; i < batches; i++) {
                int v = (i + 1) % batches;
                losses.add(String.format(Locale.ROOT, "%.6f", s.step(i, xs.get(i), ys.get(i), xs.get(v), ys.get(v))));
            }
            s.close();
            if (s instanceof Gated gated) {
                Files.write(dir.resolve("draws.txt"), gated.draws());
            }
            Files.write(dir.resolve("losses.txt"), losses);
            List<Architecture> trained = s instanceof Controlled c ? c.drawn() : paths;
            Files.write(dir.resolve("paths.txt"), trained.stream().map(a -> a.layer("conv1") + " " + a.inputs("skipcon").size()).toList());
            System.out.println("nas4j losses without dropout: " + String.join(" ", losses));
        }
    }

    private static void write(Path file, List<NDArray> arrays) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            for (NDArray a : arrays) {
                float[] v = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                out.write(b.array());
            }
        }
    }

    private static void time(String mode, Path dir, int warmup, int steps) throws Exception {
        Spec spec = spec(true);
        int batch = spec.data().batchSize();
        try (NDManager m = NDManager.newBaseManager(); Setup s = timed(Setup.of(mode, spec, data(spec, 1, m), paths(8)))) {
            float[] x = floats(dir.resolve("batches.f32"));
            float[] y = floats(dir.resolve("labels.f32"));
            int batches = y.length / batch;
            List<NDArray> xs = new ArrayList<>();
            List<NDArray> ys = new ArrayList<>();
            int sample = x.length / y.length;
            for (int i = 0; i < batches; i++) {
                xs.add(m.create(java.util.Arrays.copyOfRange(x, i * batch * sample, (i + 1) * batch * sample),
                        ChildTraining.batchShape(batch, spec.input())));
                ys.add(m.create(java.util.Arrays.copyOfRange(y, i * batch, (i + 1) * batch)));
            }
            double[] ms = new double[steps];
            for (int i = 0; i < warmup + steps; i++) {
                long start = System.nanoTime();
                s.step(i, xs.get(i % batches), ys.get(i % batches), xs.get((i + 1) % batches), ys.get((i + 1) % batches));
                if (i >= warmup) {
                    ms[i - warmup] = (System.nanoTime() - start) / 1e6;
                }
            }
            java.util.Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "nas4j " + mode + " step: median %.1f ms (IQR %.1f-%.1f) over %d steps%n", ms[steps / 2], ms[steps / 4],
                    ms[3 * steps / 4], steps);
        }
    }

    /** The setup as timed: ProxylessNAS's and ENAS's steps as {@link Proxyless#step} and {@link Enas#step} run them, nothing recorded. */
    private static Setup timed(Setup s) {
        return s instanceof Gated g ? new Gated(g.net(), g.proxyless(), g.random(), null)
                : s instanceof Controlled c ? new Controlled(c.net(), c.enas(), c.random(), null) : s;
    }

    private static float[] floats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }
}

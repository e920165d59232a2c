package org.nas4j.search;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nas4j.space.Sampler;
import org.nas4j.space.SearchSpace;
import org.nas4j.spec.Spec;
import org.nas4j.supernet.CompileException;
import org.nas4j.supernet.GraphBlock;
import org.nas4j.supernet.SupernetCompiler;
import org.nas4j.train.ChildTraining;
import org.nas4j.train.Datasets;
import org.nas4j.train.Optimizers;
import org.nas4j.train.Progress;

/**
 * Trains a one-shot supernet an epoch at a time: DARTS's bi-level steps (an architecture step on
 * a validation batch, the model frozen; then a weight step on a training batch, the architecture
 * weights held fixed; first or second order), or one path per training batch, the candidates off
 * it frozen for the step: drawn uniformly (SPOS, random one-shot), from the architecture weights
 * that binary gates train (ProxylessNAS), or by ENAS's controller, which learns after each epoch.
 * Scores paths with the shared weights.
 */
final class SupernetTraining implements AutoCloseable {
    private final Spec spec;
    private final SearchSpace space;
    /** How the supernet trains. */
    enum Mode {
        /** DARTS: every candidate, weighted; architecture weights learnt by gradient. */
        DARTS,
        /** One uniformly drawn path per batch (spos, random-oneshot). */
        UNIFORM,
        /** ProxylessNAS: a path drawn from the architecture weights, which learn through binary gates. */
        PROXYLESS,
        /** ENAS: paths drawn by an LSTM controller, which learns by REINFORCE from validation accuracy. */
        ENAS
    }

    private final Mode mode;
    private final boolean darts;
    private final Datasets.Splits data;
    private final Model model;
    private final GraphBlock graph;
    private final Trainer trainer;
    private final Loss loss = Loss.softmaxCrossEntropyLoss();
    private final Double gradClip;
    private final ArchWeights alpha;
    private final Optimizer alphaOptimizer;
    private final Sampler sampler;
    private final long seed;
    private final int stepsPerEpoch;
    private Iterator<Batch> validationBatches;
    private final boolean secondOrder;
    private final Tracker weightLr;
    private final float weightDecay;
    /** Weight updates so far (the learning-rate schedule's position, for the second-order step). */
    private int updates;
    /** ProxylessNAS: steps of plain uniform path sampling before the architecture weights learn. */
    private final int warmupSteps;
    private final ProxylessGates gates;
    private final EnasController controller;

    /** What one epoch of supernet training ended with. */
    record Epoch(double loss, double accuracy, long samples, double seconds) { }

    /**
     * Builds the supernet of {@code spec} and its trainer for {@code epochs} epochs. DARTS's weights
     * train with SGD (lr 0.025 cosine to 0.001, momentum 0.9, weight decay 3e-4, gradient clip 5)
     * and its architecture weights with Adam (lr 3e-4, betas 0.5/0.999, weight decay 1e-3), each
     * changed by an option of the same name; path sampling trains as the spec's training section says.
     */
    SupernetTraining(Spec spec, SearchSpace space, Mode mode, Map<String, String> options, int epochs, long seed,
                     Datasets.Splits data) throws CompileException {
        this.spec = spec;
        this.space = space;
        this.mode = mode;
        this.darts = mode == Mode.DARTS;
        this.data = data;
        this.seed = seed;
        this.sampler = new Sampler(space);
        int batch = spec.data().batchSize();
        this.stepsPerEpoch = (int) Math.ceil(data.trainSize() / (double) batch);
        this.graph = SupernetCompiler.singlePath(spec);
        this.model = Model.newInstance("supernet");
        model.setBlock(graph);
        Optimizer weights;
        this.secondOrder = darts && option(options, "order", 1f) == 2f;
        this.weightDecay = option(options, "weight-decay", 3e-4f);
        this.weightLr = Tracker.cosine().setBaseValue(option(options, "lr", 0.025f)).optFinalValue(option(options, "min-lr", 0.001f))
                .setMaxUpdates(Math.max(1, epochs * stepsPerEpoch)).build();
        if (darts) {
            weights = Optimizer.sgd().setLearningRateTracker(weightLr).optMomentum(option(options, "momentum", 0.9f))
                    .optWeightDecays(weightDecay).build();
            this.gradClip = (double) option(options, "grad-clip", 5f);
        } else {
            weights = Optimizers.of(spec.training(), epochs * stepsPerEpoch, stepsPerEpoch);
            this.gradClip = spec.training().gradClip();
        }
        this.trainer = model.newTrainer(ChildTraining.config(loss, weights));
        trainer.initialize(ChildTraining.batchShape(batch, spec.input()));
        this.warmupSteps = Math.round(option(options, "warmup", 0.25f) * epochs * stepsPerEpoch);
        this.controller = mode == Mode.ENAS ? new EnasController(spec, space, trainer.getManager(), options, stepsPerEpoch) : null;
        if (darts) {
            this.alpha = new ArchWeights(space, trainer.getManager(), false);
            this.alphaOptimizer = Optimizer.adam().optLearningRateTracker(Tracker.fixed(option(options, "arch-lr", 3e-4f)))
                    .optBeta1(0.5f).optBeta2(0.999f).optWeightDecays(option(options, "arch-weight-decay", 1e-3f)).build();
        } else if (mode == Mode.PROXYLESS) {
            this.alpha = new ArchWeights(space, trainer.getManager(), true);
            // ProxylessNAS's architecture optimizer: Adam 1e-3, betas (0, 0.999), no weight decay.
            this.alphaOptimizer = Optimizer.adam().optLearningRateTracker(Tracker.fixed(option(options, "arch-lr", 1e-3f)))
                    .optBeta1(0f).optBeta2(0.999f).optWeightDecays(option(options, "arch-weight-decay", 0f)).build();
        } else {
            this.alpha = null;
            this.alphaOptimizer = null;
        }
        // Candidates' parameters are counted now, before any step freezes some of them.
        this.gates = mode == Mode.PROXYLESS ? new ProxylessGates(alpha, alphaOptimizer, trainer, graph, loss, sampler,
                option(options, "cost-weight", 0f), graph.candidateParameters()) : null;
    }

    private static float option(Map<String, String> options, String name, float fallback) {
        return (float) Strategies.number(options, name, fallback);
    }

    /** The architecture weights (DARTS), or null. */
    ArchWeights alpha() {
        return alpha;
    }

    /** Training steps per epoch. */
    int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** The loss of a weight step and how many of its samples the supernet got right. */
    record Step(float loss, long correct) { }

    /** Trains one epoch; path sampling draws from a generator seeded by the run's seed and the epoch, so a resumed epoch repeats. */
    Epoch epoch(int epoch, int epochs, Progress progress) throws IOException, ChildTraining.DivergedException {
        Random random = new Random(seed * 1_000_003L + epoch);
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        int step = 0;
        long start = System.nanoTime();
        try {
            for (Batch batch : trainer.iterateDataset(data.train())) {
                try (batch) {
                    Step s;
                    if (darts) {
                        try (Batch v = nextValidationBatch()) {
                            s = dartsStep(batch.getData(), batch.getLabels(), v.getData(), v.getLabels());
                        }
                    } else if (mode == Mode.ENAS) {
                        Map<String, Object> path;
                        try (NDManager m = trainer.getManager().newSubManager()) {
                            path = controller.sample(random, m).architecture();
                        }
                        s = pathStep(path, batch.getData(), batch.getLabels());
                    } else if (mode == Mode.PROXYLESS) {
                        if (updates >= warmupSteps) {
                            try (Batch v = nextValidationBatch()) {
                                binaryGateStep(v.getData(), v.getLabels(), random);
                            }
                        }
                        s = pathStep(updates < warmupSteps ? sampler.random(random) : drawPath(random), batch.getData(), batch.getLabels());
                    } else {
                        s = pathStep(sampler.random(random), batch.getData(), batch.getLabels());
                    }
                    if (!Float.isFinite(s.loss())) {
                        throw new ChildTraining.DivergedException("the supernet's loss became " + s.loss() + " in epoch " + epoch
                                + ", step " + (step + 1));
                    }
                    long n = batch.getLabels().head().getShape().get(0);
                    lossSum += s.loss() * n;
                    correct += s.correct();
                    seen += n;
                    step++;
                    progress.step(epoch, epochs, step, stepsPerEpoch, lossSum / seen, correct / (double) seen,
                            seen / ((System.nanoTime() - start) / 1e9));
                }
            }
            if (mode == Mode.ENAS) {
                trainController(random);
            }
        } catch (TranslateException e) {
            throw new IOException("could not read a batch: " + e.getMessage(), e);
        }
        return new Epoch(lossSum / Math.max(1, seen), correct / (double) Math.max(1, seen), seen, (System.nanoTime() - start) / 1e9);
    }

    /**
     * One DARTS step (first order): an architecture step on the validation batch, gradients
     * reaching only the architecture weights, then a weight step on the training batch with the
     * architecture weights held fixed.
     */
    Step dartsStep(NDList x, NDList y, NDList validationX, NDList validationY) {
        try (NDManager stepManager = trainer.getManager().newSubManager()) {
            if (secondOrder) {
                unrolledArchitectureStep(x, y, validationX, validationY, stepManager);
                graph.mix(alpha.weights(stepManager, false));
                return weightStep(x, y);
            }
            try (GradientCollector gc = trainer.newGradientCollector()) {
                // Inside the collector: the engine records operations (so the weights' gradient reaches the logits) only there.
                graph.mix(alpha.weights(stepManager, true));
                GraphBlock.freeze(graph, true);
                gc.backward(loss.evaluate(validationY, trainer.forward(validationX)));
            }
            alpha.update(alphaOptimizer);
            graph.mix(alpha.weights(stepManager, false));
            return weightStep(x, y);
        }
    }

    /**
     * DARTS's second-order architecture step: the gradient of the validation loss at the weights
     * after one virtual SGD step (w' = w - xi (dL_train/dw + wd w), xi the weights' learning
     * rate), minus xi times the Hessian-vector product, taken by finite differences at
     * w +- eps dL_val/dw' with eps = 0.01 / ||dL_val/dw'||. The weights end where they began.
     */
    private void unrolledArchitectureStep(NDList x, NDList y, NDList vx, NDList vy, NDManager stepManager) {
        List<Parameter> weights = graph.getParameters().values().stream()
                .filter(p -> p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR).toList();
        float xi = weightLr.getNewValue(updates);
        List<NDArray> backup = new ArrayList<>();
        for (Parameter p : weights) {
            NDArray b = p.getArray().duplicate();
            b.attach(stepManager);
            backup.add(b);
        }
        graph.mix(alpha.weights(stepManager, false));
        backward(x, y);
        for (Parameter p : weights) {
            try (NDArray g = p.getArray().getGradient(); NDArray decay = p.getArray().mul(weightDecay); NDArray step = g.add(decay)) {
                p.getArray().subi(step.muli(xi));
                g.subi(g);
            }
        }
        try (GradientCollector gc = trainer.newGradientCollector()) {
            graph.mix(alpha.weights(stepManager, true));
            gc.backward(loss.evaluate(vy, trainer.forward(vx)));
        }
        List<NDArray> dAlpha = alpha.takeGradients(stepManager);
        List<NDArray> dw = new ArrayList<>();
        double squares = 0;
        for (Parameter p : weights) {
            try (NDArray g = p.getArray().getGradient()) {
                NDArray copy = g.duplicate();
                copy.attach(stepManager);
                dw.add(copy);
                try (NDArray sq = g.square(); NDArray sum = sq.sum()) {
                    squares += sum.getFloat();
                }
                g.subi(g);
            }
        }
        float eps = (float) (0.01 / Math.max(Math.sqrt(squares), 1e-12));
        List<NDArray> plus = alphaGradientAt(weights, backup, dw, eps, x, y, stepManager);
        List<NDArray> minus = alphaGradientAt(weights, backup, dw, -eps, x, y, stepManager);
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i).getArray();
            w.subi(w).addi(backup.get(i));
        }
        List<NDArray> gradient = new ArrayList<>();
        for (int k = 0; k < dAlpha.size(); k++) {
            gradient.add(dAlpha.get(k).sub(plus.get(k).sub(minus.get(k)).div(2 * eps).mul(xi)));
        }
        alpha.apply(alphaOptimizer, gradient);
    }

    /** The training loss's gradient for the architecture weights at w = backup + eps * dw (the model frozen). */
    private List<NDArray> alphaGradientAt(List<Parameter> weights, List<NDArray> backup, List<NDArray> dw, float eps, NDList x, NDList y,
                                          NDManager stepManager) {
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i).getArray();
            try (NDArray shift = dw.get(i).mul(eps)) {
                w.subi(w).addi(backup.get(i)).addi(shift);
            }
        }
        try (GradientCollector gc = trainer.newGradientCollector()) {
            graph.mix(alpha.weights(stepManager, true));
            GraphBlock.freeze(graph, true);
            gc.backward(loss.evaluate(y, trainer.forward(x)));
        }
        return alpha.takeGradients(stepManager);
    }

    /** Gradients of the training loss, for the weights (the architecture weights held fixed); no update. */
    private void backward(NDList x, NDList y) {
        try (GradientCollector gc = trainer.newGradientCollector()) {
            gc.backward(loss.evaluate(y, trainer.forward(x)));
        }
    }

    /**
     * ENAS's controller phase: each step samples a path, and the controller learns from the
     * path's accuracy on a validation batch (shared weights, inference mode).
     */
    private void trainController(Random random) throws TranslateException, IOException {
        for (int step = 1; step <= controller.steps(); step++) {
            try (NDManager m = trainer.getManager().newSubManager(); Batch v = nextValidationBatch()) {
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    EnasController.Sample sample = controller.sample(random, m);
                    graph.follow(sample.architecture());
                    GraphBlock.freeze(graph, true);
                    NDArray predicted = graph.forward(new ai.djl.training.ParameterStore(m, false), v.getData(), false).head().argMax(1);
                    NDArray labels = v.getLabels().head().toType(ai.djl.ndarray.types.DataType.INT64, false);
                    gc.backward(controller.reinforce(sample, predicted.eq(labels).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                            .mean().getFloat()));
                }
                controller.stepDone(step);
            }
        }
    }

    /** A path sampled from the ENAS controller, nothing kept. */
    Map<String, Object> sampleFromController(Random random) {
        try (NDManager m = trainer.getManager().newSubManager()) {
            return controller.sample(random, m).architecture();
        }
    }

    /** A path drawn from the architecture weights (ProxylessNAS). */
    Map<String, Object> drawPath(Random random) {
        return gates.drawPath(random);
    }

    /** ProxylessNAS's architecture step on a validation batch (see {@link ProxylessGates#step}). */
    void binaryGateStep(NDList vx, NDList vy, Random random) {
        gates.step(vx, vy, random);
    }

    /** One step of path sampling: only the path's candidates compute and move. */
    Step pathStep(Map<String, Object> path, NDList x, NDList y) {
        graph.follow(path);
        return weightStep(x, y);
    }

    private Step weightStep(NDList x, NDList y) {
        float batchLoss;
        long correct;
        try (GradientCollector gc = trainer.newGradientCollector()) {
            NDList predictions = trainer.forward(x);
            NDArray l = loss.evaluate(y, predictions);
            gc.backward(l);
            batchLoss = l.getFloat();
            correct = predictions.head().argMax(1).eq(y.head().toType(ai.djl.ndarray.types.DataType.INT64, false)).sum().getLong();
        }
        if (gradClip != null && Float.isFinite(batchLoss)) {
            ChildTraining.clipGradients(graph, gradClip);
        }
        if (Float.isFinite(batchLoss)) {
            trainer.step();
            updates++;
        }
        return new Step(batchLoss, correct);
    }

    private Batch nextValidationBatch() throws TranslateException, IOException {
        if (validationBatches == null || !validationBatches.hasNext()) {
            validationBatches = trainer.iterateDataset(data.validation()).iterator();
        }
        return validationBatches.next();
    }

    /**
     * The validation accuracy of one path with the shared weights, after re-estimating the
     * batch-norm statistics for that path on {@code batches} training batches.
     */
    double pathAccuracy(Map<String, Object> architecture, int batches) throws IOException {
        graph.follow(architecture);
        for (Parameter p : graph.getParameters().values()) {
            if (p.getType() == Parameter.Type.RUNNING_MEAN) {
                p.getArray().subi(p.getArray());
            } else if (p.getType() == Parameter.Type.RUNNING_VAR) {
                p.getArray().subi(p.getArray()).addi(1);
            }
        }
        try (NDManager manager = trainer.getManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(manager, false);
            int k = 0;
            for (Batch b : trainer.iterateDataset(data.train())) {
                try (b) {
                    if (k++ >= batches) {
                        break;
                    }
                    graph.forward(ps, b.getData(), true);
                }
            }
        } catch (TranslateException e) {
            throw new IOException("could not read a batch: " + e.getMessage(), e);
        }
        return ChildTraining.accuracy(model, data.validation(), trainer.getManager());
    }

    /** Writes the supernet's parameters (and the architecture weights) into {@code dir}. */
    void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("supernet.params")))) {
            graph.saveParameters(out);
        }
        if (alpha != null) {
            alpha.save(dir.resolve("alpha.ndlist"));
        }
        if (controller != null) {
            controller.save(dir);
        }
    }

    /** Reads what {@link #save} wrote. */
    void load(Path dir) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve("supernet.params")))) {
            graph.loadParameters(trainer.getManager(), in);
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException(dir.resolve("supernet.params") + ": " + e.getMessage(), e);
        }
        if (alpha != null) {
            alpha.load(dir.resolve("alpha.ndlist"));
        }
        if (controller != null) {
            controller.load(dir);
        }
    }

    /** The number of live NDArrays under the model's manager, parameters and trainer included (for leak checks). */
    long liveArrays() {
        return ((ai.djl.ndarray.BaseNDManager) model.getNDManager()).getManagedArrays().size();
    }

    /** The underlying supernet. */
    GraphBlock graph() {
        return graph;
    }

    @Override
    public void close() {
        if (alpha != null) {
            alpha.close();
        }
        if (controller != null) {
            controller.close();
        }
        trainer.close();
        model.close();
    }
}

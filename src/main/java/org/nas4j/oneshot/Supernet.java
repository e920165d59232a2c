package org.nas4j.oneshot;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import org.nas4j.space.Architecture;
import org.nas4j.spec.Spec;
import org.nas4j.supernet.CompileException;
import org.nas4j.supernet.GraphBlock;
import org.nas4j.supernet.SupernetCompiler;
import org.nas4j.train.ChildTraining;
import org.nas4j.train.Datasets;
import org.nas4j.train.Losses;

/**
 * What every one-shot algorithm trains: the spec's whole supernet with its trainer and data, the
 * weight step (forward, backward, clip, update) on the path or mixture the graph is set to, the
 * validation batches, and the scoring of one path with the shared weights.
 */
final class Supernet implements AutoCloseable {
    private final Model model;
    private final GraphBlock graph;
    private final Trainer trainer;
    /** The parameters' file in a checkpoint (by name; the DJL block format of earlier versions was loaded where the trainer never saw it). */
    private static final String PARAMS = "supernet.ndlist";
    private final Loss loss;
    private final Double gradClip;
    private final Datasets.Splits data;
    private final int stepsPerEpoch;
    private Iterator<Batch> validationBatches;
    /** Weight updates so far (the learning-rate schedule's position). */
    private int updates;

    /** The loss of a weight step and how many of its samples the supernet got right. */
    record Step(float loss, long correct) { }

    /**
     * Builds the supernet of {@code spec} on {@code device}, trained by {@code weights} (gradient
     * norm clipped to {@code gradClip} when not null).
     */
    Supernet(Spec spec, Datasets.Splits data, Optimizer weights, Double gradClip, ai.djl.Device device) throws CompileException {
        this.data = data;
        this.gradClip = gradClip;
        this.loss = Losses.of(spec.training());
        int batch = spec.data().batchSize();
        this.stepsPerEpoch = stepsPerEpoch(spec, data);
        this.graph = SupernetCompiler.singlePath(spec);
        this.model = Model.newInstance("supernet", device);
        model.setBlock(graph);
        this.trainer = ChildTraining.newTrainer(model, ChildTraining.config(loss, weights, device));
        trainer.initialize(ChildTraining.batchShape(batch, spec.input()));
    }

    /** Training steps per epoch of {@code data} at the spec's batch size. */
    static int stepsPerEpoch(Spec spec, Datasets.Splits data) {
        return (int) Math.ceil(data.trainSize() / (double) spec.data().batchSize());
    }

    /** Training steps per epoch. */
    int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** The supernet's graph (its choice steps follow a path or a mixture). */
    GraphBlock graph() {
        return graph;
    }

    /** Its trainer. */
    Trainer trainer() {
        return trainer;
    }

    /** Its loss. */
    Loss loss() {
        return loss;
    }

    /** A training batch's images as the weights see them: augmented when the spec asks. */
    NDList trainingInput(NDList x) {
        return data.trainingInput(x);
    }

    /** The training batches, in a new order each time. */
    Iterable<Batch> trainingBatches() throws TranslateException, IOException {
        return trainer.iterateDataset(data.train());
    }

    /** Weight updates so far. */
    int updates() {
        return updates;
    }

    /** One step of path sampling: only the path's candidates compute and move. */
    Step pathStep(Architecture path, NDList x, NDList y) {
        graph.follow(path.asMap());
        return weightStep(x, y);
    }

    /** A weight step on the path or mixture the graph is set to: the step a child's training takes ({@link ChildTraining#step}). */
    Step weightStep(NDList x, NDList y) {
        ChildTraining.StepOutcome o = ChildTraining.step(trainer, loss, x, y, gradClip);
        if (Float.isFinite(o.loss())) {
            updates++;
        }
        return new Step(o.loss(), o.correct());
    }

    /** Gradients of the training loss for the weights; no update. */
    void backward(NDList x, NDList y) {
        try (GradientCollector gc = trainer.newGradientCollector()) {
            gc.backward(loss.evaluate(y, trainer.forward(x)));
        }
    }

    /** The next validation batch, starting over when they run out. */
    Batch nextValidationBatch() throws TranslateException, IOException {
        if (validationBatches == null || !validationBatches.hasNext()) {
            validationBatches = trainer.iterateDataset(data.validation()).iterator();
        }
        return validationBatches.next();
    }

    /**
     * The validation accuracy of one path with the shared weights, after re-estimating the
     * batch-norm statistics for that path on {@code batches} training batches.
     */
    double pathAccuracy(Architecture architecture, int batches) throws IOException {
        graph.follow(architecture.asMap());
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
        } catch (java.io.UncheckedIOException e) {
            // An image folder's file that turned out unreadable mid-training: its message names it.
            throw e.getCause();
        }
        return ChildTraining.accuracy(model, data.validation(), trainer.getManager());
    }

    /** Writes the supernet's parameters into {@code folder}. */
    void save(Path folder) throws IOException {
        ChildTraining.saveParameters(graph, folder.resolve(PARAMS));
    }

    /** Reads what {@link #save} wrote into the arrays its trainer trains. */
    void load(Path folder) throws IOException {
        ChildTraining.loadParameters(graph, folder.resolve(PARAMS), trainer.getManager());
    }

    /** The number of live NDArrays under the model's manager, parameters and trainer included (for leak checks). */
    long liveArrays() {
        return ((ai.djl.ndarray.BaseNDManager) model.getNDManager()).getManagedArrays().size();
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}

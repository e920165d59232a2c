package org.nas4j.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nas4j.spec.SampleShape;
import org.nas4j.spec.Spec;

/** Trains a model on a dataset as a spec's {@code training} section says, and measures it. */
public final class ChildTraining {
    /** A child state's files: its parameters, and its optimizer's state. */
    private static final String PARAMS = "child.ndlist";
    private static final String OPTIMIZER = "optimizer.ndlist";

    private ChildTraining() {
    }

    /**
     * What a training run ended with; {@code curve} is the validation accuracy after each epoch
     * it trained (fewer than asked when an {@link EpochCheck} stopped it).
     */
    public record Result(double loss, double accuracy, double validationAccuracy, long samples, double seconds, java.util.List<Double> curve) { }

    /** Asked after each report (each epoch, or each 1/n of one) with its validation accuracy: whether training goes on. */
    public interface EpochCheck {
        /** Never stops. */
        EpochCheck NEVER = (report, validation) -> true;

        /** Whether to train on, given the validation accuracy at report {@code report} (from 1; the epoch when there is one per epoch). */
        boolean keepGoing(int report, double validation);
    }

    /** A loss value that is not finite: the run cannot go on. */
    public static final class DivergedException extends Exception {
        private static final long serialVersionUID = 1L;

        public DivergedException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Trains {@code model} (its block not yet initialised) for {@code epochs} epochs; weights start
     * as PyTorch's do (uniform within 1/sqrt(fan-in)).
     */
    public static Result train(Model model, Spec.TrainingSpec training, int epochs, Datasets.Splits data, int batchSize,
                               SampleShape input, Progress progress) throws IOException, DivergedException {
        return train(model, training, epochs, data, batchSize, input, progress, EpochCheck.NEVER);
    }

    /** The same, asking {@code check} after each epoch whether to go on. */
    public static Result train(Model model, Spec.TrainingSpec training, int epochs, Datasets.Splits data, int batchSize,
                               SampleShape input, Progress progress, EpochCheck check) throws IOException, DivergedException {
        return train(model, training, Span.fresh(epochs), epochs, data, batchSize, input, progress, 1, check);
    }

    /** Writes a trained child's state (its parameters and its optimizer's) into the folder it is given. */
    @FunctionalInterface
    public interface StateWriter {
        /** Writes into {@code folder}. */
        void write(Path folder) throws IOException;
    }

    /** Takes a trained child's state when training ends at the end of an epoch: its writer, its epochs and its validation curve from the start. */
    @FunctionalInterface
    public interface StateSink {
        /** Saves the state {@code writer} writes after {@code epochs} epochs, with {@code curve}. */
        void save(StateWriter writer, int epochs, java.util.List<Double> curve) throws IOException;
    }

    /**
     * Where a training run starts and what it keeps: {@code from} holds this child's state after
     * {@code done} epochs ({@link #saveState}'s files; null: fresh weights, done 0) and
     * {@code curve} its validation curve so far; the learning-rate schedule spans {@code horizon}
     * epochs, so a child trained to a budget is the start of a horizon-long run and can be
     * continued as one; {@code sink} (null: none) takes the state at the end.
     */
    public record Span(int done, Path from, java.util.List<Double> curve, int horizon, StateSink sink) {
        /** Fresh weights, a schedule over {@code epochs}, nothing kept. */
        public static Span fresh(int epochs) {
            return new Span(0, null, java.util.List.of(), epochs, null);
        }
    }

    /**
     * Trains {@code model} (its block not yet initialised) to epoch {@code epochs}, from where
     * {@code span} starts (its checkpoint's weights, optimizer state and batch order, continued as
     * if training had not stopped), measuring the validation accuracy {@code reports} times an epoch
     * (evenly, by steps; the last at its end) and asking {@code check} after each whether to go on.
     */
    public static Result train(Model model, Spec.TrainingSpec training, Span span, int epochs, Datasets.Splits data, int batchSize,
                               SampleShape input, Progress progress, int reports, EpochCheck check) throws IOException, DivergedException {
        java.util.List<Double> curve = new java.util.ArrayList<>(span.curve());
        int stepsPerEpoch = (int) Math.ceil(data.trainSize() / (double) batchSize);
        if (reports > stepsPerEpoch) {
            throw new IOException(reports + " reports per epoch (search.report-every) need as many steps, an epoch has " + stepsPerEpoch);
        }
        Loss loss = Losses.of(training);
        ai.djl.training.optimizer.Optimizer optimizer = Optimizers.of(training, Math.max(epochs, span.horizon()) * stepsPerEpoch,
                stepsPerEpoch);
        DefaultTrainingConfig config = config(loss, optimizer, model.getNDManager().getDevice());
        long start = System.nanoTime();
        long samples = 0;
        double lastLoss = Double.NaN;
        double lastAccuracy = Double.NaN;
        double validation = Double.NaN;
        try (Trainer trainer = newTrainer(model, config)) {
            trainer.initialize(batchShape(batchSize, input));
            if (span.from() != null) {
                loadState(model, optimizer, span.from(), trainer.getManager());
                data.advance(span.done());
            }
            boolean stopped = false;
            int done = span.done();
            for (int epoch = span.done() + 1; epoch <= epochs && !stopped; epoch++) {
                double lossSum = 0;
                long correct = 0;
                long seen = 0;
                int step = 0;
                long epochStart = System.nanoTime();
                for (Batch batch : trainer.iterateDataset(data.train())) {
                    try (batch) {
                        long n = batch.getLabels().head().getShape().get(0);
                        StepOutcome o = step(trainer, loss, data.trainingInput(batch.getData()), batch.getLabels(), training.gradClip());
                        if (!Float.isFinite(o.loss())) {
                            throw new DivergedException("the loss became " + o.loss() + " in epoch " + epoch + ", step " + (step + 1)
                                    + " (try a smaller learning rate or training.grad-clip)");
                        }
                        float batchLoss = o.loss();
                        correct += o.correct();
                        lossSum += batchLoss * n;
                        seen += n;
                        step++;
                        double seconds = (System.nanoTime() - epochStart) / 1e9;
                        progress.step(epoch, epochs, step, stepsPerEpoch, lossSum / seen, correct / (double) seen, seen / seconds);
                    }
                    if (step < stepsPerEpoch && (long) step * reports / stepsPerEpoch > (long) (step - 1) * reports / stepsPerEpoch) {
                        // A report inside the epoch: the last one falls at its end, below.
                        validation = data.validationSize() > 0 ? accuracy(model, data.validation(), trainer.getManager()) : Double.NaN;
                        curve.add(validation);
                        if (!check.keepGoing(curve.size(), validation)) {
                            stopped = true;
                            break;
                        }
                    }
                }
                samples += seen;
                lastLoss = lossSum / Math.max(1, seen);
                lastAccuracy = correct / (double) Math.max(1, seen);
                if (stopped) {
                    break;
                }
                validation = data.validationSize() > 0 ? accuracy(model, data.validation(), trainer.getManager()) : Double.NaN;
                progress.epoch(epoch, epochs, lastLoss, lastAccuracy, validation);
                curve.add(validation);
                if (epoch < epochs && !check.keepGoing(curve.size(), validation)) {
                    stopped = true;
                }
                done = epoch;
            }
            if (span.sink() != null && curve.size() == done * reports) {
                // Only a state at the end of an epoch can be continued (the batches resume by epoch).
                span.sink().save(folder -> saveState(model, optimizer, folder, trainer.getManager()), done, java.util.List.copyOf(curve));
            }
        } catch (TranslateException e) {
            throw new IOException("could not read a batch: " + e.getMessage(), e);
        } catch (java.io.UncheckedIOException e) {
            // An image folder's file that turned out unreadable mid-training: its message names it.
            throw e.getCause();
        }
        return new Result(lastLoss, lastAccuracy, validation, samples, (System.nanoTime() - start) / 1e9, java.util.List.copyOf(curve));
    }

    /** What one training step gave: the batch's mean loss (not finite when training diverged: nothing was updated) and how many samples were right. */
    public record StepOutcome(float loss, long correct) { }

    /**
     * One training step as every child's training runs it (and the step benchmarks time it):
     * forward, loss, backward, the gradients clipped to {@code gradClip} (null: not), update.
     */
    public static StepOutcome step(Trainer trainer, Loss loss, NDList input, NDList labels, Double gradClip) {
        float batchLoss;
        long correct;
        try (GradientCollector gc = trainer.newGradientCollector()) {
            NDList predictions = trainer.forward(input);
            NDArray l = loss.evaluate(labels, predictions);
            gc.backward(l);
            batchLoss = l.getFloat();
            correct = predictions.head().argMax(1).eq(labels.head().toType(ai.djl.ndarray.types.DataType.INT64, false)).sum().getLong();
        }
        if (!Float.isFinite(batchLoss)) {
            return new StepOutcome(batchLoss, correct);
        }
        if (gradClip != null) {
            clipGradients(trainer.getModel().getBlock(), gradClip);
        }
        trainer.step();
        return new StepOutcome(batchLoss, correct);
    }

    /** Writes a child's parameters and its optimizer's state into {@code folder}. */
    private static void saveState(Model model, ai.djl.training.optimizer.Optimizer optimizer, Path folder, NDManager manager)
            throws IOException {
        saveParameters(model.getBlock(), folder.resolve(PARAMS));
        OptimizerState.save(optimizer, parameterNames(model, true), folder.resolve(OPTIMIZER), manager);
    }

    /** Reads what {@link #saveState} wrote into a model a trainer has initialised and its unused optimizer. */
    private static void loadState(Model model, ai.djl.training.optimizer.Optimizer optimizer, Path folder, NDManager manager)
            throws IOException {
        loadParameters(model.getBlock(), folder.resolve(PARAMS), manager);
        OptimizerState.load(optimizer, parameterNames(model, false), folder.resolve(OPTIMIZER), manager);
    }

    /** Writes every parameter of {@code block} (batch-norm statistics too) to {@code file}, by name. */
    public static void saveParameters(ai.djl.nn.Block block, Path file) throws IOException {
        NDList all = new NDList();
        for (var p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            a.setName(p.getKey());
            all.add(a);
        }
        Files.write(file, all.encode());
    }

    /**
     * Copies what {@link #saveParameters} wrote into the live arrays of {@code block}, by name.
     * In place, because a trainer keeps the arrays it was initialised with: DJL's own
     * Block.loadParameters puts new arrays into the parameters, which the trainer never sees
     * (it goes on training the old ones) and which have no gradients.
     */
    public static void loadParameters(ai.djl.nn.Block block, Path file, NDManager manager) throws IOException {
        try (NDManager m = manager.newSubManager()) {
            java.util.Map<String, NDArray> saved = new java.util.HashMap<>();
            for (NDArray a : NDList.decode(m, Files.readAllBytes(file))) {
                saved.put(a.getName(), a);
            }
            for (var p : block.getParameters()) {
                NDArray a = saved.remove(p.getKey());
                if (a == null || !a.getShape().equals(p.getValue().getArray().getShape())) {
                    throw new IOException(file + ": " + (a == null ? "no parameter " : "another shape for ") + p.getKey());
                }
                Engines.copyInto(p.getValue().getArray(), a);
            }
            if (!saved.isEmpty()) {
                throw new IOException(file + ": parameters this network does not have, e.g. " + saved.keySet().iterator().next());
            }
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a parameter file (" + e.getMessage() + ")", e);
        }
    }

    /** Each parameter's id to its name ({@code byId}), or name to id. */
    private static java.util.Map<String, String> parameterNames(Model model, boolean byId) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (var p : model.getBlock().getParameters()) {
            m.put(byId ? p.getValue().getId() : p.getKey(), byId ? p.getKey() : p.getValue().getId());
        }
        return m;
    }

    /**
     * A trainer for {@code model}. DJL's trainer refuses its first step when the gradients sum to
     * exactly zero (to catch a forgotten backward pass); a child that cuts its input off
     * (NAS-Bench-201's cells whose edges into the output are all 'none': the classifier's bias
     * gradients then cancel) has just such gradients and must still train, so that check is
     * marked done. Under a DJL without the check's field, its check stays.
     */
    public static Trainer newTrainer(Model model, ai.djl.training.TrainingConfig config) {
        Trainer trainer = model.newTrainer(config);
        try {
            java.lang.reflect.Field checked = Trainer.class.getDeclaredField("gradientsChecked");
            checked.setAccessible(true);
            checked.setBoolean(trainer, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Another DJL: its check stays, and only such children fail.
        }
        return trainer;
    }

    /**
     * A training configuration on {@code device} alone (DJL's default is every GPU it sees, with
     * batches split across them), whose weights start as PyTorch's do (uniform within 1/sqrt(fan-in)).
     */
    public static DefaultTrainingConfig config(Loss loss, ai.djl.training.optimizer.Optimizer optimizer, ai.djl.Device device) {
        return new DefaultTrainingConfig(loss).optOptimizer(optimizer).optDevices(new ai.djl.Device[] {device})
                .optInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 1f),
                        Parameter.Type.WEIGHT);
    }

    /** Scales all gradients of a block's trainable parameters together so that their L2 norm is at most {@code maxNorm}. */
    public static void clipGradients(ai.djl.nn.Block block, double maxNorm) {
        double sumSquares = 0;
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                // The intermediate arrays would otherwise live as long as the parameter's manager.
                try (NDArray g = p.getArray().getGradient(); NDArray squares = g.square(); NDArray sum = squares.sum()) {
                    sumSquares += sum.getFloat();
                }
            }
        }
        double norm = Math.sqrt(sumSquares);
        if (norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (Parameter p : block.getParameters().values()) {
                if (p.requiresGradient()) {
                    try (NDArray g = p.getArray().getGradient()) {
                        g.muli(scale);
                    }
                }
            }
        }
    }

    /** The accuracy of a model (in inference mode) on a dataset. */
    public static double accuracy(Model model, ai.djl.training.dataset.RandomAccessDataset dataset, NDManager parent) throws IOException {
        long correct = 0;
        long seen = 0;
        try (NDManager manager = parent.newSubManager()) {
            ParameterStore ps = new ParameterStore(manager, false);
            for (Batch batch : dataset.getData(manager)) {
                try (batch) {
                    NDArray labels = batch.getLabels().head();
                    NDArray predicted = model.getBlock().forward(ps, batch.getData(), false).head().argMax(1);
                    correct += predicted.eq(labels.toType(ai.djl.ndarray.types.DataType.INT64, false)).sum().getLong();
                    seen += labels.getShape().get(0);
                }
            }
        } catch (TranslateException e) {
            throw new IOException("could not read a batch: " + e.getMessage(), e);
        } catch (java.io.UncheckedIOException e) {
            // An image folder's file that turned out unreadable mid-training: its message names it.
            throw e.getCause();
        }
        return correct / (double) Math.max(1, seen);
    }

    /** The shape of a batch of {@code batch} samples of {@code input}. */
    public static Shape batchShape(int batch, SampleShape input) {
        long[] dims = new long[input.rank() + 1];
        dims[0] = batch;
        for (int i = 0; i < input.rank(); i++) {
            dims[i + 1] = input.dim(i);
        }
        return new Shape(dims);
    }
}

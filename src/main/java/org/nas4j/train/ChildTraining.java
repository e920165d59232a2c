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
import org.nas4j.spec.SampleShape;
import org.nas4j.spec.Spec;

/** Trains a model on a dataset as a spec's {@code training} section says, and measures it. */
public final class ChildTraining {
    private ChildTraining() {
    }

    /**
     * What a training run ended with; {@code curve} is the validation accuracy after each epoch
     * it trained (fewer than asked when an {@link EpochCheck} stopped it).
     */
    public record Result(double loss, double accuracy, double validationAccuracy, long samples, double seconds, java.util.List<Double> curve) { }

    /** Asked after each epoch with its validation accuracy: whether training goes on. */
    public interface EpochCheck {
        /** Never stops. */
        EpochCheck NEVER = (epoch, validation) -> true;

        /** Whether to train epoch {@code epoch + 1}, given the validation accuracy after epoch {@code epoch} (from 1). */
        boolean keepGoing(int epoch, double validation);
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
        java.util.List<Double> curve = new java.util.ArrayList<>();
        int stepsPerEpoch = (int) Math.ceil(data.trainSize() / (double) batchSize);
        Loss loss = Losses.of(training);
        DefaultTrainingConfig config = config(loss, Optimizers.of(training, epochs * stepsPerEpoch, stepsPerEpoch),
                model.getNDManager().getDevice());
        long start = System.nanoTime();
        long samples = 0;
        double lastLoss = Double.NaN;
        double lastAccuracy = Double.NaN;
        double validation = Double.NaN;
        try (Trainer trainer = newTrainer(model, config)) {
            trainer.initialize(batchShape(batchSize, input));
            for (int epoch = 1; epoch <= epochs; epoch++) {
                double lossSum = 0;
                long correct = 0;
                long seen = 0;
                int step = 0;
                long epochStart = System.nanoTime();
                for (Batch batch : trainer.iterateDataset(data.train())) {
                    try (batch) {
                        NDArray labels = batch.getLabels().head();
                        long n = labels.getShape().get(0);
                        float batchLoss;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList predictions = trainer.forward(data.trainingInput(batch.getData()));
                            NDArray l = loss.evaluate(batch.getLabels(), predictions);
                            gc.backward(l);
                            batchLoss = l.getFloat();
                            correct += predictions.head().argMax(1).eq(labels.toType(ai.djl.ndarray.types.DataType.INT64, false))
                                    .sum().getLong();
                        }
                        if (!Float.isFinite(batchLoss)) {
                            throw new DivergedException("the loss became " + batchLoss + " in epoch " + epoch + ", step " + (step + 1)
                                    + " (try a smaller learning rate or training.grad-clip)");
                        }
                        if (training.gradClip() != null) {
                            clipGradients(model.getBlock(), training.gradClip());
                        }
                        trainer.step();
                        lossSum += batchLoss * n;
                        seen += n;
                        step++;
                        double seconds = (System.nanoTime() - epochStart) / 1e9;
                        progress.step(epoch, epochs, step, stepsPerEpoch, lossSum / seen, correct / (double) seen, seen / seconds);
                    }
                }
                samples += seen;
                lastLoss = lossSum / Math.max(1, seen);
                lastAccuracy = correct / (double) Math.max(1, seen);
                validation = data.validationSize() > 0 ? accuracy(model, data.validation(), trainer.getManager()) : Double.NaN;
                progress.epoch(epoch, epochs, lastLoss, lastAccuracy, validation);
                curve.add(validation);
                if (epoch < epochs && !check.keepGoing(epoch, validation)) {
                    break;
                }
            }
        } catch (TranslateException e) {
            throw new IOException("could not read a batch: " + e.getMessage(), e);
        } catch (java.io.UncheckedIOException e) {
            // An image folder's file that turned out unreadable mid-training: its message names it.
            throw e.getCause();
        }
        return new Result(lastLoss, lastAccuracy, validation, samples, (System.nanoTime() - start) / 1e9, java.util.List.copyOf(curve));
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

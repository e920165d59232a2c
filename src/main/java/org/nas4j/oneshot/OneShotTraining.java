package org.nas4j.oneshot;

import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.nas4j.search.StrategyInfo;
import org.nas4j.search.StrategyOptions;
import org.nas4j.space.Architecture;
import org.nas4j.space.SearchSpace;
import org.nas4j.spec.Spec;
import org.nas4j.supernet.CompileException;
import org.nas4j.train.ChildTraining;
import org.nas4j.train.Datasets;
import org.nas4j.train.Optimizers;
import org.nas4j.train.Progress;

/**
 * The loop every one-shot algorithm shares: a supernet trained an epoch at a time over the
 * training batches, each batch handed to the algorithm, the loss and accuracy tracked and shown,
 * a diverging loss stopped; and the checkpoint of both the supernet and what the algorithm learnt.
 * A new algorithm is a class implementing {@link OneShotAlgorithm} and one case in {@link #create}.
 */
final class OneShotTraining implements AutoCloseable {
    private final Supernet net;
    private final OneShotAlgorithm algorithm;
    private final long seed;

    /** What one epoch of supernet training ended with. */
    record Epoch(double loss, double accuracy, long samples, double seconds) { }

    private OneShotTraining(Supernet net, OneShotAlgorithm algorithm, long seed) {
        this.net = net;
        this.algorithm = algorithm;
        this.seed = seed;
    }

    /**
     * The supernet of {@code spec} and the algorithm {@code info} names, for {@code epochs} epochs
     * of {@code data}, on {@code device}. DARTS trains the weights with its own SGD (its options);
     * the others as the spec's training section says.
     */
    static OneShotTraining create(StrategyInfo info, StrategyOptions o, Spec spec, SearchSpace space, int epochs, long seed,
                                  Datasets.Splits data, ai.djl.Device device) throws CompileException {
        int steps = epochs * Supernet.stepsPerEpoch(spec, data);
        Tracker dartsLr = info.name().equals("darts") ? Darts.learningRate(o, steps) : null;
        Optimizer weights = dartsLr != null ? Darts.weights(o, dartsLr) : Optimizers.of(spec.training(), steps, Supernet.stepsPerEpoch(spec, data));
        Double gradClip = dartsLr != null ? Double.valueOf(o.number("grad-clip")) : spec.training().gradClip();
        Supernet net = new Supernet(spec, data, weights, gradClip, device);
        OneShotAlgorithm algorithm = switch (info.name()) {
            case "darts" -> new Darts(net, space, o, dartsLr);
            case "proxyless" -> new Proxyless(net, space, o, epochs);
            case "enas" -> new Enas(net, space, o);
            case "spos", "random-oneshot" -> new UniformPaths(net, space, info, o);
            default -> throw new IllegalArgumentException(info.name() + " is not a one-shot strategy");
        };
        return new OneShotTraining(net, algorithm, seed);
    }

    /** The supernet. */
    Supernet supernet() {
        return net;
    }

    /** The algorithm. */
    OneShotAlgorithm algorithm() {
        return algorithm;
    }

    /** Trains one epoch; the algorithm draws from a generator seeded by the run's seed and the epoch, so a resumed epoch repeats. */
    Epoch epoch(int epoch, int epochs, Progress progress) throws IOException, ChildTraining.DivergedException {
        Random random = new Random(seed * 1_000_003L + epoch);
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        int step = 0;
        long start = System.nanoTime();
        try {
            for (Batch batch : net.trainingBatches()) {
                try (batch) {
                    Supernet.Step s = algorithm.step(net.trainingInput(batch.getData()), batch.getLabels(), random);
                    if (!Float.isFinite(s.loss())) {
                        throw new ChildTraining.DivergedException("the supernet's loss became " + s.loss() + " in epoch " + epoch
                                + ", step " + (step + 1));
                    }
                    long n = batch.getLabels().head().getShape().get(0);
                    lossSum += s.loss() * n;
                    correct += s.correct();
                    seen += n;
                    step++;
                    progress.step(epoch, epochs, step, net.stepsPerEpoch(), lossSum / seen, correct / (double) seen,
                            seen / ((System.nanoTime() - start) / 1e9));
                }
            }
            algorithm.endEpoch(random);
        } catch (TranslateException e) {
            throw new IOException("could not read a batch: " + e.getMessage(), e);
        } catch (java.io.UncheckedIOException e) {
            // An image folder's file that turned out unreadable mid-training: its message names it.
            throw e.getCause();
        }
        return new Epoch(lossSum / Math.max(1, seen), correct / (double) Math.max(1, seen), seen, (System.nanoTime() - start) / 1e9);
    }

    /** The validation accuracy of one path with the shared weights (batch-norm statistics re-estimated on {@code batches}). */
    double pathAccuracy(Architecture architecture, int batches) throws IOException {
        return net.pathAccuracy(architecture, batches);
    }

    /** Writes the supernet's weights and what the algorithm learnt into a checkpoint folder. */
    void save(Path folder) throws IOException {
        net.save(folder);
        algorithm.save(folder);
    }

    /** Reads what {@link #save} wrote. */
    void load(Path folder) throws IOException {
        net.load(folder);
        algorithm.load(folder);
    }

    /** The live arrays of the supernet's model, the algorithm's included (for leak checks). */
    long liveArrays() {
        return net.liveArrays();
    }

    @Override
    public void close() {
        algorithm.close();
        net.close();
    }
}

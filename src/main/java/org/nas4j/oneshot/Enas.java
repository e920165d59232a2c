package org.nas4j.oneshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Predicate;
import org.nas4j.search.Strategy;
import org.nas4j.search.StrategyOptions;
import org.nas4j.search.Unseen;
import org.nas4j.space.Architecture;
import org.nas4j.space.SearchSpace;
import org.nas4j.supernet.GraphBlock;

/**
 * ENAS (Pham et al., 2018): each batch trains one path drawn by an LSTM controller
 * ({@link EnasController}); after each epoch the controller learns by REINFORCE from the accuracy
 * of the paths it draws on validation batches. The final choice is the best of its samples,
 * scored with the shared weights.
 */
final class Enas implements OneShotAlgorithm {
    private final Supernet net;
    /** The controller (package-visible so the step benchmark can describe it to its twin). */
    final EnasController controller;

    Enas(Supernet net, SearchSpace space, StrategyOptions o) {
        this.net = net;
        this.controller = new EnasController(space, net.trainer().getManager(), o, net.stepsPerEpoch());
    }

    @Override
    public Supernet.Step step(NDList x, NDList y, Random random) {
        return net.pathStep(sample(random), x, y);
    }

    /** A path sampled from the controller, nothing kept. */
    Architecture sample(Random random) {
        try (NDManager m = net.trainer().getManager().newSubManager()) {
            return controller.sample(random, m).architecture();
        }
    }

    /** The controller's phase: each step samples a path and learns from its accuracy on a validation batch (shared weights, inference mode). */
    @Override
    public void endEpoch(Random random) throws TranslateException, IOException {
        GraphBlock graph = net.graph();
        for (int step = 1; step <= controller.steps(); step++) {
            try (NDManager m = net.trainer().getManager().newSubManager(); Batch v = net.nextValidationBatch()) {
                try (GradientCollector gc = net.trainer().newGradientCollector()) {
                    EnasController.Sample sample = controller.sample(random, m);
                    graph.follow(sample.architecture().asMap());
                    GraphBlock.freeze(graph, true);
                    NDArray predicted = graph.forward(new ParameterStore(m, false), v.getData(), false).head().argMax(1);
                    NDArray labels = v.getLabels().head().toType(DataType.INT64, false);
                    gc.backward(controller.reinforce(sample, predicted.eq(labels).toType(DataType.FLOAT32, false).mean().getFloat()));
                }
                controller.stepDone(step);
            }
        }
    }

    @Override
    public Strategy pathSearch(long seed, Predicate<Architecture> admissible) {
        return new ControllerSamples(new Random(seed), admissible);
    }

    @Override
    public void save(Path folder) throws IOException {
        controller.save(folder);
    }

    @Override
    public void load(Path folder) throws IOException {
        controller.load(folder);
    }

    @Override
    public void close() {
        controller.close();
    }

    /** ENAS's final choice: paths sampled from the trained controller (each new one once). */
    private final class ControllerSamples implements Strategy {
        /**
         * Draws before the samples count as used up: a controller trained into one path gives
         * the others rarely (one in hundreds on a small space), and 100 draws then ended the
         * scoring after one path, at random (a flaky resume test showed it).
         */
        private static final int MAX_TRIES = 2_000;
        private final Random random;
        private final Unseen unseen;

        ControllerSamples(Random random, Predicate<Architecture> admissible) {
            this.random = random;
            this.unseen = new Unseen(admissible, true);
        }

        @Override
        public Architecture propose() {
            return unseen.first(MAX_TRIES, () -> sample(random));
        }

        @Override
        public void report(Architecture architecture, double score) {
            unseen.saw(architecture);
        }
    }
}

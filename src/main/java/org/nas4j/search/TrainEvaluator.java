package org.nas4j.search;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nas4j.space.Architecture;
import org.nas4j.space.InputException;
import org.nas4j.spec.Spec;
import org.nas4j.supernet.SupernetCompiler;
import org.nas4j.train.ChildTraining;
import org.nas4j.train.Datasets;
import org.nas4j.train.Progress;

/** Trains each child for the trial budget on the training split and scores its validation accuracy. */
public final class TrainEvaluator implements Evaluator, AutoCloseable {
    private final Spec spec;
    private final int epochs;
    private final Progress progress;
    /** Where children train. */
    private final ai.djl.Device device;
    private final NDManager manager;
    private final Datasets.Splits data;
    /** The run's seed, from which each child's own comes. */
    private final long seed;
    /** The run's children's parameters and FLOPs, counted once each. */
    private final ChildCounts counts;
    /** The median stopping rule when the spec asks for it; else null. */
    private final MedianStop stop;
    /** A child's latency (predicted from the run's table), when an objective needs it; else null. */
    private final java.util.function.ToDoubleFunction<Architecture> latency;

    /**
     * Loads the data once for all trials, onto {@code device} where the children train; validation
     * is carved from the training data (10% unless the spec says).
     */
    public TrainEvaluator(Spec spec, int classes, int epochs, long seed, Progress progress, ChildCounts counts, ai.djl.Device device)
            throws InputException {
        this.spec = spec;
        this.device = device;
        this.manager = NDManager.newBaseManager(device);
        this.progress = progress;
        this.epochs = epochs;
        this.seed = seed;
        this.counts = counts;
        this.latency = SearchRun.latency(spec, device);
        this.stop = spec.search().earlyStop() == null ? null : new MedianStop(spec.search().earlyStop());
        Spec.DataSpec d = spec.data();
        Integer limit = spec.search().trialLimit() != null ? spec.search().trialLimit() : d.limit();
        this.data = Datasets.load(d.withLimit(limit), spec.input(), classes, 0.1, seed, manager);
    }

    /** A journal's trial: its learning curve, for the stopping rule. */
    @Override
    public void heard(Trial trial) {
        if (stop != null && trial.metrics().get("curve") instanceof List<?> curve) {
            stop.heard(curve.stream().map(v -> v instanceof Number n ? n.doubleValue() : Double.NaN).toList());
        }
    }

    /** What a user should know about how the data was read (rows of a CSV table left out), or null. */
    public String dataNote() {
        return data.note();
    }

    @Override
    public Evaluation evaluate(Architecture architecture) throws Exception {
        return evaluate(architecture, null);
    }

    /** Trains the child for {@code budget} epochs (null: the run's epochs per trial) from fresh weights, and scores it. */
    @Override
    public Evaluation evaluate(Architecture architecture, Integer budget) throws Exception {
        int epochs = budget != null ? budget : this.epochs;
        ChildCounts.Counts child = counts.of(architecture);
        // Each child starts from weights of its own seed: the same search gives the same scores,
        // and a trial run again after a crash scores as it would have.
        org.nas4j.train.Engines.seed(seed, architecture.hashCode());
        data.restart(Datasets.childSeed(seed, architecture.hashCode()));
        try (Model model = Model.newInstance("trial", device)) {
            model.setBlock(SupernetCompiler.child(spec, architecture.asMap()));
            double[] best = {Double.NEGATIVE_INFINITY};
            ChildTraining.Result r = ChildTraining.train(model, spec.training(), epochs, data, spec.data().batchSize(),
                    spec.input(), progress, stop == null ? ChildTraining.EpochCheck.NEVER : (epoch, validation) -> {
                        best[0] = Math.max(best[0], validation);
                        return stop.keepGoing(epoch, best[0]);
                    });

            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("accuracy", r.validationAccuracy());
            metrics.put("train_loss", r.loss());
            metrics.put("params", child.params());
            metrics.put("flops", child.flops());
            metrics.put("curve", r.curve());
            if (r.curve().size() < epochs) {
                metrics.put("stopped-after", r.curve().size());
            }
            if (latency != null) {
                metrics.put(Objective.LATENCY, spec.search().latency().table() ? latency.applyAsDouble(architecture)
                        : org.nas4j.train.Latency.measure(model.getBlock(), spec.input(), spec.search().latency().batch(), device));
            }
            return new Evaluation(r.validationAccuracy(), metrics);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}

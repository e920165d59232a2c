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
    /** Children's saved states, to continue them at a larger budget; null when trials have no budgets. */
    private final ChildStates states;
    /** The top budget of a multi-fidelity search: every trial's schedule spans it, and a child trained to it is done. */
    private final int horizon;
    /** A child's latency (predicted from the run's table), when an objective needs it; else null. */
    private final java.util.function.ToDoubleFunction<Architecture> latency;

    /**
     * Loads the data once for all trials, onto {@code device} where the children train; validation
     * is carved from the training data (10% unless the spec says).
     */
    public TrainEvaluator(Spec spec, int classes, int epochs, long seed, Progress progress, ChildCounts counts, ai.djl.Device device)
            throws InputException {
        this(spec, classes, epochs, seed, progress, counts, device, null, epochs);
    }

    /**
     * The same for a multi-fidelity search: a child given a budget continues from its state in
     * {@code states} when it has one of fewer epochs, its schedule spanning {@code horizon} epochs
     * (the top budget), and leaves its state there for a later budget unless it reached the top.
     */
    TrainEvaluator(Spec spec, int classes, int epochs, long seed, Progress progress, ChildCounts counts, ai.djl.Device device,
                   ChildStates states, int horizon) throws InputException {
        this.spec = spec;
        this.states = states;
        this.horizon = horizon;
        this.device = device;
        this.manager = NDManager.newBaseManager(device);
        this.progress = progress;
        this.epochs = epochs;
        this.seed = seed;
        this.counts = counts;
        this.latency = SearchRun.latency(spec, device);
        this.stop = spec.search().earlyStop() == null ? null : new MedianStop(spec.search().earlyStop(), spec.search().reportsPerEpoch());
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

    /**
     * Trains the child to {@code budget} epochs (null: the run's epochs per trial), continuing from
     * its saved state when a multi-fidelity search trained it before to fewer, and scores it.
     */
    @Override
    public Evaluation evaluate(Architecture architecture, Integer budget) throws Exception {
        int epochs = budget != null ? budget : this.epochs;
        ChildStates.Saved saved = states != null && budget != null ? states.of(architecture) : null;
        if (saved != null && saved.epochs() >= epochs) {
            saved = null; // this very trial, saved before a crash kept its result from the journal: trained again
        }
        ChildCounts.Counts child = counts.of(architecture);
        // Each child starts from weights of its own seed: the same search gives the same scores,
        // and a trial run again after a crash scores as it would have.
        org.nas4j.train.Engines.seed(seed, architecture.hashCode());
        data.restart(Datasets.childSeed(seed, architecture.hashCode()));
        try (Model model = Model.newInstance("trial", device)) {
            model.setBlock(SupernetCompiler.child(spec, architecture.asMap()));
            double[] best = {Double.NEGATIVE_INFINITY};
            if (saved != null) {
                saved.curve().forEach(v -> best[0] = Math.max(best[0], v));
            }
            boolean top = budget == null || states == null || epochs >= horizon;
            ChildTraining.StateSink keep = top ? null : (writer, done, curve) -> states.save(architecture, done, curve, writer::write);
            ChildTraining.Span span = saved != null ? new ChildTraining.Span(saved.epochs(), saved.folder(), saved.curve(), horizon, keep)
                    : new ChildTraining.Span(0, null, List.of(), budget == null ? epochs : horizon, keep);
            int reports = spec.search().reportsPerEpoch();
            ChildTraining.Result r = ChildTraining.train(model, spec.training(), span, epochs, data, spec.data().batchSize(),
                    spec.input(), progress, reports, stop == null ? ChildTraining.EpochCheck.NEVER : (report, validation) -> {
                        best[0] = Math.max(best[0], validation);
                        return stop.keepGoing(report, best[0]);
                    });

            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("accuracy", r.validationAccuracy());
            metrics.put("train_loss", r.loss());
            metrics.put("params", child.params());
            metrics.put("flops", child.flops());
            metrics.put("curve", r.curve());
            if (r.curve().size() < epochs * reports) {
                // In epochs: a fraction when it stopped between reports inside an epoch.
                metrics.put("stopped-after", reports == 1 ? (Object) r.curve().size() : r.curve().size() / (double) reports);
            }
            if (saved != null) {
                metrics.put("continued-from", saved.epochs());
            }
            if (top && states != null && budget != null) {
                states.drop(architecture); // trained to the top budget: it goes no further
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

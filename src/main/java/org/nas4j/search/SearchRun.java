package org.nas4j.search;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.nas4j.space.Architecture;
import org.nas4j.space.ArchitectureException;
import org.nas4j.space.InputException;
import org.nas4j.spec.Spec;
import org.nas4j.spec.SpecLoader;
import org.nas4j.train.Engines;
import org.nas4j.train.Progress;

/**
 * A multi-trial search in its {@link RunDirectory}: trials.jsonl journals every finished trial,
 * proposals.jsonl when each was proposed, architecture.json holds the best so far. A run resumes
 * by replaying its journal into a fresh strategy with the same seed, so it goes on exactly as the
 * uninterrupted run would have.
 */
public final class SearchRun {
    private SearchRun() {
    }

    /**
     * Limits of one invocation: stop after {@code maxFailures} failed trials (null: never), or once
     * {@code maxSeconds} have passed (null: never; the run stays resumable).
     */
    public record Limits(Integer maxFailures, Long maxSeconds) {
        /** No limits. */
        public static final Limits NONE = new Limits(null, null);
    }

    /** How an invocation ended. */
    public enum Ending { BUDGET_SPENT, SPACE_EXHAUSTED, TOO_MANY_FAILURES, OUT_OF_TIME }

    /** The trials of a run and how this invocation ended. */
    public record Outcome(List<Trial> trials, Ending ending) {
        /** Whether trials ran and none of them gave a score. */
        public boolean allFailed() {
            return !trials.isEmpty() && trials.stream().noneMatch(Trial::ok);
        }
    }

    /**
     * Runs (or resumes) a multi-trial run until its budget is spent or the strategy has nothing left;
     * {@code trialProgress} hears the training inside each trial (train evaluator, in process),
     * {@code updated} runs after each finished trial or epoch (to refresh a report).
     *
     * <p>Trials may finish out of order when they run in parallel, so besides the journal (trials in
     * the order they finished) the run keeps proposals.jsonl: for each trial, how many results the
     * strategy had heard when it proposed it. Replaying both in that interleaving rebuilds the
     * strategy exactly; a trial proposed but never finished (running at a crash) runs again.
     * The trials run on {@code cluster}, or on this machine as {@code placement} says (null).
     */
    public static Outcome run(RunDirectory run, Limits limits, Placement placement, Cluster cluster, Progress trialProgress, PrintWriter out,
                              Runnable updated) throws IOException, InputException, ArchitectureException {
        long deadline = limits.maxSeconds() == null ? Long.MAX_VALUE : System.nanoTime() + limits.maxSeconds() * 1_000_000_000L;
        RunSettings s = run.settings();
        SpecLoader.Checked checked = run.spec();
        Strategy strategy;
        try {
            StrategyInfo info = Strategies.info(s.strategy());
            strategy = Strategies.create(info, info.parse(s.options()), checked.space(), s.seed(), admissible(checked.spec(), run.childCounts()),
                    objectives(checked.spec()));
        } catch (IllegalArgumentException e) {
            throw new InputException(run.path().resolve("run.json") + ": " + e.getMessage());
        }
        ClusterRunner onCluster = cluster == null ? null : ClusterRunner.find(cluster.master());
        return trials(run, strategy, () -> onCluster != null
                ? onCluster.open(run, cluster, placement.workers(), Math.max(1, placement.threadsEach()), placement.device())
                : placement.workers() > 1 ? new WorkerPool(run, placement)
                : TrialRunner.inProcess(said(evaluator(run, trialProgress, Engines.device(placement.device()), checked.spec()), out)),
                limits, deadline, out, updated);
    }

    /** The evaluator, once what it noticed reading its data (bad CSV rows left out) is said. */
    private static Evaluator said(Evaluator evaluator, PrintWriter out) {
        if (evaluator instanceof TrainEvaluator t && t.dataNote() != null) {
            out.println("search: " + t.dataNote());
        }
        return evaluator;
    }

    /** Makes the runner of a run's trials (after the journal is read, so a bad run directory fails first). */
    @FunctionalInterface
    public interface RunnerFactory {
        /** The runner. */
        TrialRunner create() throws IOException, InputException;
    }

    /** The journal read back: finished trials in order, the trials to run again by id, and how many were proposed. */
    private record Replayed(List<Trial> trials, Map<Integer, Proposal> rerun, int lastId, boolean exact) { }

    /** The trial loop of a run: replays the journal into {@code strategy}, then runs trials until the budget or a limit. */
    public static Outcome trials(RunDirectory run, Strategy strategy, RunnerFactory runners, Limits limits, long deadline, PrintWriter out,
                          Runnable updated) throws IOException, InputException, ArchitectureException {
        RunSettings s = run.settings();
        Journal.Contents trialLines = run.trialLines();
        Journal.Contents proposalLines = run.proposalLines();
        for (Journal.Contents c : List.of(trialLines, proposalLines)) {
            if (!c.bad().isEmpty()) {
                throw new InputException(c.firstProblem() + "; nothing was changed. `nas runs repair " + run.path()
                        + "` (or --resume with --skip-bad-lines) sets unreadable lines aside in " + c.file().getFileName() + ".rejected");
            }
        }
        if (trialLines.torn() != null) {
            out.println("search: the journal's last line was cut off by a crash (kept in trials.jsonl.torn); that trial runs again");
        }
        Replayed replayed = replay(run, trialLines, proposalLines, strategy);
        run.saveSettings();
        List<Trial> trials = replayed.trials();
        Map<Integer, Proposal> rerun = replayed.rerun();
        Set<Proposal> finished = new HashSet<>();
        trials.forEach(t -> finished.add(new Proposal(t.architecture(), Proposal.budgetOf(t))));
        int lastId = replayed.lastId();
        int proposed = trials.size() + rerun.size();
        int fromJournal = trials.size();
        if (fromJournal > 0 || !rerun.isEmpty()) {
            out.printf(Locale.ROOT, "search: resuming after %d trial%s%s%s%n", fromJournal, fromJournal == 1 ? "" : "s",
                    rerun.isEmpty() ? "" : "; " + rerun.size() + " cut off by the crash run" + (rerun.size() == 1 ? "s" : "") + " again",
                    replayed.exact() ? "" : " (lines were set aside by a repair: the finished trials are taught to the strategy as they are)");
        }
        Ending ending = Ending.BUDGET_SPENT;
        int failures = 0;
        Map<Integer, Proposal> running = new TreeMap<>();
        long started = System.nanoTime();
        long firstFinished = 0;
        boolean stopping = false;
        Trial best = trials.isEmpty() ? null : best(trials);
        try (Journal journal = run.append(trialLines);
             Journal proposals = run.append(proposalLines);
             TrialRunner runner = runners.create()) {
            trials.forEach(runner::heard);
            while (true) {
                while (!stopping && running.size() < runner.capacity()) {
                    Proposal next;
                    int id;
                    if (!rerun.isEmpty()) {
                        id = rerun.keySet().iterator().next();
                        next = rerun.remove(id);
                    } else if (proposed >= s.trials()) {
                        break;
                    } else if (System.nanoTime() > deadline) {
                        out.printf("search: --max-duration reached after %d trials; continue with nas search --resume %s%n",
                                trials.size(), run.path());
                        ending = Ending.OUT_OF_TIME;
                        stopping = true;
                        break;
                    } else {
                        next = replayed.exact() ? strategy.next() : unseen(strategy, finished, trials.size());
                        if (next == Proposal.WAIT && !running.isEmpty()) {
                            break; // a multi-fidelity strategy's rung needs the running trials' results first
                        }
                        if (next == null || next == Proposal.WAIT) {
                            out.println("search: the strategy has no new architecture left to try (the admissible space is exhausted)");
                            ending = Ending.SPACE_EXHAUSTED;
                            stopping = true;
                            break;
                        }
                        proposed++;
                        id = ++lastId;
                        JsonObject p = new JsonObject();
                        p.addProperty("id", id);
                        p.addProperty("heard", trials.size());
                        proposals.append(p);
                    }
                    runner.submit(id, next.architecture(), next.budget());
                    running.put(id, next);
                }
                if (running.isEmpty()) {
                    break;
                }
                Trial t = runner.take();
                running.remove(t.id());
                run.appendTrial(journal, t);
                runner.heard(t);
                strategy.report(t.architecture(), t.score(), t.metrics());
                trials.add(t);
                finished.add(new Proposal(t.architecture(), Proposal.budgetOf(t)));
                if (best == null || outscores(t, best)) {
                    best = t;
                }
                if (best == t && t.ok()) {
                    run.writeArchitecture(t.architecture());
                }
                int runHere = trials.size() - fromJournal;
                if (runHere == 1) {
                    firstFinished = System.nanoTime();
                }
                out.printf(Locale.ROOT, "trial %d/%d  %s  score %.4f  best %.4f (trial %d)  ETA %s%s%s%n", t.id(), s.trials(),
                        t.status(), t.score(), best.score(), best.id(),
                        duration(perTrial(started, firstFinished, runHere) * Math.max(0, s.trials() - trials.size())),
                        running.isEmpty() ? "" : "  running " + running.keySet(), t.error() == null ? "" : "  " + t.error());
                out.flush();
                updated.run();
                if (!t.ok() && limits.maxFailures() != null && ++failures >= limits.maxFailures() && !stopping) {
                    out.printf("search: stopped: %d trial%s failed in this run (--max-failures %d); the last: %s%n", failures,
                            failures == 1 ? "" : "s", limits.maxFailures(), t.error());
                    ending = Ending.TOO_MANY_FAILURES;
                    stopping = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputException("search: interrupted; continue with nas search --resume " + run.path());
        }
        if (ending == Ending.BUDGET_SPENT || ending == Ending.SPACE_EXHAUSTED) {
            // The search is over: no child will train further (a resume with a larger budget trains them afresh).
            run.childStates().dropAll();
        }
        return new Outcome(trials, ending);
    }

    /**
     * Seconds per trial for the ETA: after two trials, the time between the first and the last
     * finished (the first also paid for loading data and warming the engine); before, the first's.
     */
    private static double perTrial(long started, long firstFinished, int runHere) {
        long now = System.nanoTime();
        return runHere >= 2 ? (now - firstFinished) / 1e9 / (runHere - 1) : (now - started) / 1e9;
    }

    /** A proposal not among the finished trials (a repaired run's strategy does not know every trial it proposed). */
    private static Proposal unseen(Strategy strategy, Set<Proposal> finished, int tries) {
        for (int i = 0; i <= tries + 1_000; i++) {
            Proposal p = strategy.next();
            if (p == null || p == Proposal.WAIT || !finished.contains(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Replays the journal into a fresh strategy, proposals and results interleaved as they first
     * happened, checking that the strategy proposes again what the journal holds. A repaired run
     * (lines set aside) cannot be replayed exactly: its trials are reported to the strategy in order.
     */
    private static Replayed replay(RunDirectory run, Journal.Contents journal, Journal.Contents proposals, Strategy strategy)
            throws InputException {
        List<Trial> done = run.trials(journal);
        Map<Integer, Trial> byId = new HashMap<>();
        Map<Integer, Integer> lineOf = new HashMap<>();
        for (int k = 0; k < done.size(); k++) {
            byId.put(done.get(k).id(), done.get(k));
            lineOf.put(done.get(k).id(), journal.lines().get(k).number());
        }
        Map<Integer, Integer> heard = new HashMap<>();
        Map<Integer, Integer> proposalLine = new HashMap<>();
        for (Journal.Line p : proposals.lines()) {
            com.google.gson.JsonElement h = p.json().get("heard");
            if (h == null || !h.isJsonPrimitive() || !h.getAsJsonPrimitive().isNumber() || h.getAsInt() < 0) {
                throw new InputException(proposals.file() + ":" + p.number() + ": no whole-number 'heard' of at least 0");
            }
            heard.put(p.json().get("id").getAsInt(), h.getAsInt());
            proposalLine.put(p.json().get("id").getAsInt(), p.number());
        }
        int last = Math.max(done.stream().mapToInt(Trial::id).max().orElse(0), heard.keySet().stream().mapToInt(i -> i).max().orElse(0));
        List<Trial> trials = new ArrayList<>();
        if (run.repaired()) {
            for (Trial t : done) {
                strategy.report(t.architecture(), t.score(), t.metrics());
                trials.add(t);
            }
            return new Replayed(trials, new TreeMap<>(), last, false);
        }
        Map<Integer, Proposal> rerun = new TreeMap<>();
        for (int id = 1; id <= last; id++) {
            // Runs from before proposals.jsonl ran one trial at a time: trial id was proposed after id - 1 results.
            int before = heard.getOrDefault(id, id - 1);
            while (trials.size() < before) {
                if (trials.size() == done.size()) {
                    throw new InputException((proposalLine.containsKey(id) ? proposals.file() + ":" + proposalLine.get(id) : journal.file())
                            + ": trial " + id + " was proposed after " + before + " results, but the journal holds only " + done.size()
                            + "; was it edited?");
                }
                Trial t = done.get(trials.size());
                strategy.report(t.architecture(), t.score(), t.metrics());
                trials.add(t);
            }
            Proposal proposed = strategy.next();
            Trial t = byId.get(id);
            if (t == null) {
                if (proposed == null || proposed == Proposal.WAIT) {
                    throw new InputException(journal.file() + ": the strategy proposes nothing on replay where trial " + id + " was proposed");
                }
                rerun.put(id, proposed);
            } else if (proposed == null || proposed == Proposal.WAIT || !proposed.ranAs(t)) {
                throw new InputException(journal.file() + ":" + lineOf.get(id) + ": trial " + id + " is not what the strategy proposes on "
                        + "replay; was the line edited, or the spec, seed or strategy changed? `nas runs repair " + run.path()
                        + "` cannot fix this: copy the run and remove the line to go on");
            }
        }
        for (Trial t : done.subList(trials.size(), done.size())) {
            strategy.report(t.architecture(), t.score(), t.metrics());
            trials.add(t);
        }
        return new Replayed(trials, rerun, last, true);
    }

    /** Parameters and FLOPs of a child when an objective needs them (a table may not hold them); else null. */
    static java.util.function.Function<Architecture, long[]> counts(Spec spec, ChildCounts counts) {
        if (spec.search().objectives().stream().noneMatch(o -> o.metric().equals("params") || o.metric().equals("flops"))) {
            return null;
        }
        return arch -> new long[] {counts.of(arch).params(), counts.of(arch).flops()};
    }

    /** Whether an objective is the measured latency. */
    static boolean measuresLatency(Spec spec) {
        return spec.search().objectives().stream().anyMatch(o -> o.metric().equals(Objective.LATENCY));
    }

    /**
     * A child's latency when an objective needs it (else null): predicted from a per-block table
     * kept for the run (search.latency.predict: table), or measured on the child built untrained
     * (the time of a forward pass does not depend on the weights' values), on {@code device}.
     */
    static java.util.function.ToDoubleFunction<Architecture> latency(Spec spec, ai.djl.Device device) {
        if (!measuresLatency(spec)) {
            return null;
        }
        int batch = spec.search().latency().batch();
        org.nas4j.train.LatencyTable table = spec.search().latency().table() ? new org.nas4j.train.LatencyTable(spec, batch, device) : null;
        return arch -> {
            try {
                return table != null ? table.predict(arch.asMap())
                        : org.nas4j.train.Latency.measure(org.nas4j.supernet.SupernetCompiler.child(spec, arch.asMap()), spec.input(), batch, device);
            } catch (org.nas4j.supernet.CompileException e) {
                throw new IllegalArgumentException("cannot build the child to time it: " + e.getMessage(), e);
            }
        };
    }

    /** The spec's search.objectives (empty: the evaluator's score alone). */
    public static List<Objective> objectives(Spec spec) {
        return spec.search().objectives().stream().map(o -> new Objective(o.metric(), o.maximize())).toList();
    }

    /** Whether a child meets search.constraints (max-params, max-flops); every strategy proposes only those. */
    public static Predicate<Architecture> admissible(Spec spec, ChildCounts counts) {
        Long maxParams = spec.search().maxParams();
        Long maxFlops = spec.search().maxFlops();
        if (maxParams == null && maxFlops == null) {
            return arch -> true;
        }
        return arch -> {
            ChildCounts.Counts c = counts.of(arch);
            return (maxParams == null || c.params() <= maxParams) && (maxFlops == null || c.flops() <= maxFlops);
        };
    }

    /**
     * The evaluator the spec of {@code run} asks for (train or table), training or timing children
     * on {@code device} as {@code trained} says (the run's spec, its data perhaps read from a copy:
     * {@link ShippedData}); under a multi-fidelity strategy, trained children keep their state in
     * the run for a larger budget.
     */
    static Evaluator evaluator(RunDirectory run, Progress trialProgress, ai.djl.Device device, Spec trained) throws IOException, InputException {
        SpecLoader.Checked checked = run.spec();
        RunSettings s = run.settings();
        ChildCounts counts = run.childCounts();
        Spec.EvaluatorSpec e = checked.spec().search().evaluator();
        if (e != null && !Spec.EvaluatorSpec.TYPES.contains(e.type())) {
            return Plugins.evaluator(e, checked, s.seed(), device);
        }
        if (e != null && "table".equals(e.type())) {
            return new TableEvaluator(tablePath(checked.spec(), s.spec()), e.key(), e.metric(), counts(checked.spec(), counts),
                    latency(checked.spec(), device));
        }
        int classes = checked.shapes().outputs().iterator().next().dim(0);
        int epochs = s.trialEpochs() != null ? s.trialEpochs() : 1;
        StrategyInfo info = Strategies.info(s.strategy());
        if (info.multiFidelity()) {
            List<Integer> rungs = Rungs.of(info.parse(s.options())).budgets();
            return new TrainEvaluator(trained, classes, epochs, s.seed(), trialProgress, counts, device, run.childStates(),
                    rungs.get(rungs.size() - 1));
        }
        return new TrainEvaluator(trained, classes, epochs, s.seed(), trialProgress, counts, device);
    }

    /** The table file of a table evaluator, relative to the spec's folder unless absolute. */
    static Path tablePath(Spec spec, String specFile) {
        Path table = Path.of(spec.search().evaluator().table());
        return table.isAbsolute() ? table : Path.of(specFile).toAbsolutePath().getParent().resolve(table).normalize();
    }

    /** Evaluates one trial at {@code budget} (null: the run's), recorded in its metrics; a failure is recorded in the trial, never thrown. */
    static Trial evaluate(int id, Architecture arch, Integer budget, Evaluator evaluator) {
        long start = System.nanoTime();
        try {
            Evaluator.Evaluation e = evaluator.evaluate(arch, budget);
            Map<String, Object> metrics = withBudget(e.metrics(), budget);
            if (!Double.isFinite(e.score())) {
                return new Trial(id, arch, "failed", Double.NaN, metrics, seconds(start), "the score is " + e.score());
            }
            return new Trial(id, arch, "ok", e.score(), metrics, seconds(start), null);
        } catch (Exception ex) {
            String reason = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            return new Trial(id, arch, "failed", Double.NaN, withBudget(Map.of(), budget), seconds(start), reason);
        }
    }

    /** A trial's metrics with the budget it ran at (a failed one's too: a resumed strategy must know which rung failed). */
    public static Map<String, Object> withBudget(Map<String, Object> metrics, Integer budget) {
        if (budget == null) {
            return metrics;
        }
        Map<String, Object> m = new java.util.LinkedHashMap<>(metrics);
        m.put("budget", budget);
        return m;
    }

    /** "m:ss" or "h:mm:ss". */
    private static String duration(double seconds) {
        long t = Math.round(seconds);
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
                : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Whether {@code t} would be {@link #best} in place of {@code best}: a higher score, or as high from an earlier trial. */
    private static boolean outscores(Trial t, Trial best) {
        return t.ok() && (!best.ok() || t.score() > best.score() || (t.score() == best.score() && t.id() < best.id()));
    }

    /** The best trial that did not fail, or the first one when all failed. */
    static Trial best(List<Trial> trials) {
        return trials.stream().filter(Trial::ok).max(Comparator.comparingDouble(Trial::score)
                .thenComparing(Comparator.comparingInt(Trial::id).reversed())).orElse(trials.get(0));
    }
}

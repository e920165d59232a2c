package org.nas4j.search;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nas4j.space.ArchitectureException;
import org.nas4j.space.Json;
import org.nas4j.space.Sampler;
import org.nas4j.spec.Spec;
import org.nas4j.spec.SpecLoader;
import org.nas4j.supernet.CompileException;
import org.nas4j.train.ChildTraining;
import org.nas4j.train.DataException;
import org.nas4j.train.Datasets;
import org.nas4j.train.Engines;
import org.nas4j.train.Progress;

/**
 * A one-shot search in its run directory. The supernet trains for the run's epochs, with a
 * checkpoint (weights, architecture weights, epoch) after each, and one line per epoch in
 * epochs.jsonl (loss, accuracy, each key's probabilities for DARTS, the architecture chosen so
 * far); architecture.json always holds the current choice. DARTS then reads its architecture
 * off the weights; spos and random-oneshot search paths scored with the shared weights, as a
 * multi-trial search whose journal (trials.jsonl) resumes as any other.
 */
final class OneShotRun {
    private OneShotRun() {
    }

    /** Runs or resumes the one-shot run in {@code run}. */
    static SearchRun.Outcome run(RunDirectory run, SearchRun.Limits limits, long deadline, Progress progress,
                                 PrintWriter out, Runnable updated) throws IOException, DataException, ArchitectureException {
        RunSettings s = run.settings();
        SpecLoader.Checked checked = run.spec();
        Spec spec = checked.spec();
        boolean darts = s.strategy().equals("darts");
        // Strategies that learn architecture weights: their choice is read off the weights, not searched.
        boolean learnsWeights = darts || s.strategy().equals("proxyless");
        SupernetTraining.Mode mode = darts ? SupernetTraining.Mode.DARTS
                : s.strategy().equals("proxyless") ? SupernetTraining.Mode.PROXYLESS
                : s.strategy().equals("enas") ? SupernetTraining.Mode.ENAS : SupernetTraining.Mode.UNIFORM;
        try {
            Strategies.check(s.strategy(), s.options());
        } catch (IllegalArgumentException e) {
            throw new DataException(e.getMessage());
        }
        int epochs = s.epochs() != null ? s.epochs() : 1;
        int done = run.checkpointEpoch();
        Journal.Contents epochLines = epochLines(run);
        int classes = checked.shapes().outputs().iterator().next().dim(0);
        Engines.seed(s.seed());
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            // DARTS carves its validation half from the training data (the paper's 50/50); the others 10% unless the spec says.
            Datasets.Splits splits = Datasets.load(spec.data(), spec.input(), classes, learnsWeights ? 0.5 : 0.1, s.seed(), manager);
            if (splits.validationSize() == 0) {
                throw new DataException("one-shot search needs validation data: set data.validation above 0");
            }
            try (SupernetTraining training = new SupernetTraining(spec, checked.space(), mode, s.options(), epochs, s.seed(), splits)) {
                if (done > 0) {
                    run.loadCheckpoint(training::load);
                    out.printf("search: resuming after epoch %d of %d%n", done, epochs);
                }
                if (epochLines.lines().size() > done) {
                    // Epochs a crash cut off before their checkpoint run again: their lines go (only now that the checkpoint loaded).
                    run.keepEpochs(epochLines, done);
                    epochLines = run.epochLines();
                }
                try (Journal epochsLog = run.append(epochLines)) {
                    for (int epoch = done + 1; epoch <= epochs; epoch++) {
                        if (System.nanoTime() > deadline) {
                            out.printf("search: --max-duration reached after epoch %d; continue with nas search --resume %s%n", epoch - 1,
                                    run.path());
                            return new SearchRun.Outcome(List.of(), SearchRun.Ending.OUT_OF_TIME);
                        }
                        SupernetTraining.Epoch e = training.epoch(epoch, epochs, progress);
                        Map<String, Object> arch = learnsWeights ? training.alpha().derive(spec, checked.space())
                                : bestOfSampled(training, checked, s, epoch);
                        JsonObject line = new JsonObject();
                        line.addProperty("epoch", epoch);
                        line.addProperty("loss", e.loss());
                        line.addProperty("accuracy", e.accuracy());
                        line.addProperty("seconds", Math.round(e.seconds() * 1000) / 1000.0);
                        if (learnsWeights) {
                            line.add("probabilities", Json.LINE.toJsonTree(training.alpha().probabilities()));
                        }
                        line.add("architecture", Json.LINE.toJsonTree(arch));
                        epochsLog.append(line);
                        run.saveCheckpoint(epoch, training::save);
                        run.writeArchitecture(arch);
                        out.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  accuracy %.4f  %.0f s  architecture %s%n", epoch, epochs, e.loss(),
                                e.accuracy(), e.seconds(), Json.LINE.toJson(arch));
                        out.flush();
                        updated.run();
                    }
                }
                if (learnsWeights) {
                    return new SearchRun.Outcome(List.of(), SearchRun.Ending.BUDGET_SPENT);
                }
                Strategy paths = mode == SupernetTraining.Mode.ENAS
                        ? new ControllerSamples(training, s.seed(), SearchRun.admissible(spec))
                        : Strategies.create(s.strategy().equals("spos") ? "spos" : "random", checked.space(), s.seed(),
                        s.strategy().equals("spos") ? Strategies.without(s.options(), "bn-batches") : Map.of(), SearchRun.admissible(spec));
                int bnBatches = Strategies.positive(s.options(), "bn-batches", 10);
                out.printf("search: scoring %d paths with the shared weights (%s)%n", s.trials(), s.strategy());
                return SearchRun.trials(run, paths, () -> TrialRunner.inProcess(arch -> {
                    double accuracy = training.pathAccuracy(arch, bnBatches);
                    Map<String, Object> metrics = new LinkedHashMap<>();
                    metrics.put("accuracy", accuracy);
                    return new Evaluator.Evaluation(accuracy, metrics);
                }), limits, deadline, out, updated);
            }
        } catch (CompileException e) {
            throw new DataException(s.strategy() + " cannot build this spec's supernet: " + e.getMessage());
        } catch (ChildTraining.DivergedException e) {
            throw new DataException(e.getMessage() + "; the last checkpoint is kept: resume with nas search --resume " + run.path());
        }
    }

    /**
     * epochs.jsonl, checked: its lines must be epochs 1, 2, ... in order.
     */
    private static Journal.Contents epochLines(RunDirectory run) throws DataException {
        Journal.Contents c = run.epochLines();
        if (!c.bad().isEmpty()) {
            throw new DataException(c.firstProblem() + "; nothing was changed. `nas runs repair " + run.path()
                    + "` (or --resume with --skip-bad-lines) sets unreadable lines aside in epochs.jsonl.rejected");
        }
        for (int i = 0; i < c.lines().size(); i++) {
            int epoch = c.lines().get(i).json().get("epoch").getAsInt();
            if (epoch != i + 1 && !run.repaired()) {
                throw new DataException(c.file() + ":" + c.lines().get(i).number() + ": epoch " + epoch + " where epoch " + (i + 1)
                        + " was expected; was the file edited?");
            }
        }
        return c;
    }

    /** ENAS's final choice: paths sampled from the trained controller (each new one once), scored with the shared weights. */
    private static final class ControllerSamples implements Strategy {
        private static final int MAX_TRIES = 100;
        private final java.util.Random random;
        private final java.util.function.Predicate<Map<String, Object>> admissible;
        private final SupernetTraining training;
        private final java.util.Set<String> seen = new java.util.HashSet<>();

        ControllerSamples(SupernetTraining training, long seed, java.util.function.Predicate<Map<String, Object>> admissible) {
            this.random = new java.util.Random(seed);
            this.admissible = admissible;
            this.training = training;
        }

        @Override
        public Map<String, Object> propose() {
            for (int i = 0; i < MAX_TRIES; i++) {
                Map<String, Object> arch = training.sampleFromController(random);
                if (admissible.test(arch) && seen.add(arch.toString())) {
                    return arch;
                }
            }
            return null;
        }

        @Override
        public void report(Map<String, Object> architecture, double score) {
            seen.add(architecture.toString());
        }
    }


    /** Path sampling's choice so far: the best of a few uniformly drawn paths on the shared weights. */
    private static Map<String, Object> bestOfSampled(SupernetTraining training, SpecLoader.Checked checked, RunSettings s,
                                                     int epoch) throws IOException {
        java.util.Random random = new java.util.Random(s.seed() + 7919L * epoch);
        Sampler sampler = new Sampler(checked.space());
        Map<String, Object> best = null;
        double bestScore = -1;
        for (int k = 0; k < 3; k++) {
            Map<String, Object> arch = sampler.random(random);
            double score = training.pathAccuracy(arch, 5);
            if (score > bestScore) {
                best = arch;
                bestScore = score;
            }
        }
        return best;
    }
}

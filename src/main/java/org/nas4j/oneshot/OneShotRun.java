package org.nas4j.oneshot;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.nas4j.search.Evaluator;
import org.nas4j.search.Journal;
import org.nas4j.search.RunDirectory;
import org.nas4j.search.RunSettings;
import org.nas4j.search.SearchRun;
import org.nas4j.search.Strategies;
import org.nas4j.search.Strategy;
import org.nas4j.search.StrategyInfo;
import org.nas4j.search.StrategyOptions;
import org.nas4j.search.TrialRunner;
import org.nas4j.space.Architecture;
import org.nas4j.space.ArchitectureException;
import org.nas4j.space.InputException;
import org.nas4j.space.Json;
import org.nas4j.space.Sampler;
import org.nas4j.spec.Spec;
import org.nas4j.spec.SpecLoader;
import org.nas4j.supernet.CompileException;
import org.nas4j.train.ChildTraining;
import org.nas4j.train.Datasets;
import org.nas4j.train.Engines;
import org.nas4j.train.Progress;

/**
 * A one-shot search in its run directory. The supernet trains for the run's epochs, with a
 * checkpoint (weights and what the algorithm learnt, epoch) after each, and one line per epoch in
 * epochs.jsonl (loss, accuracy, each key's probabilities where the algorithm learns them, the
 * architecture chosen so far); architecture.json always holds the current choice. darts and
 * proxyless then read their architecture off the weights; the others score paths with the shared
 * weights, as a multi-trial search whose journal (trials.jsonl) resumes as any other.
 */
public final class OneShotRun {
    private OneShotRun() {
    }

    /** Runs or resumes the one-shot run in {@code run}, its supernet and data on {@code device} (cpu, gpu, gpu:N). */
    public static SearchRun.Outcome run(RunDirectory run, SearchRun.Limits limits, String device, Progress progress, PrintWriter out,
                                        Runnable updated) throws IOException, InputException, ArchitectureException {
        long deadline = limits.maxSeconds() == null ? Long.MAX_VALUE : System.nanoTime() + limits.maxSeconds() * 1_000_000_000L;
        RunSettings s = run.settings();
        SpecLoader.Checked checked = run.spec();
        Spec spec = checked.spec();
        StrategyInfo info;
        StrategyOptions options;
        try {
            info = Strategies.info(s.strategy());
            options = info.parse(s.options());
        } catch (IllegalArgumentException e) {
            throw new InputException(run.path().resolve("run.json") + ": " + e.getMessage());
        }
        boolean learnsWeights = !info.hasTrials();
        int epochs = s.epochs() != null ? s.epochs() : 1;
        int done = run.checkpointEpoch();
        run.checkEpochs();
        int classes = checked.shapes().outputs().iterator().next().dim(0);
        Engines.seed(s.seed());
        ai.djl.Device dev = Engines.device(device);
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager(dev)) {
            // DARTS carves its validation half from the training data (the paper's 50/50); the others 10% unless the spec says.
            Datasets.Splits splits = Datasets.load(spec.data(), spec.input(), classes, learnsWeights ? 0.5 : 0.1, s.seed(), manager);
            if (splits.validationSize() == 0) {
                throw new InputException("one-shot search needs validation data: set data.validation above 0");
            }
            try (OneShotTraining training = OneShotTraining.create(info, options, spec, checked.space(), epochs, s.seed(), splits, dev)) {
                if (done > 0) {
                    run.loadCheckpoint(training::load);
                    out.printf("search: resuming after epoch %d of %d%n", done, epochs);
                }
                try (Journal epochsLog = run.appendEpochs(done)) {
                    for (int epoch = done + 1; epoch <= epochs; epoch++) {
                        if (System.nanoTime() > deadline) {
                            out.printf("search: --max-duration reached after epoch %d; continue with nas search --resume %s%n", epoch - 1,
                                    run.path());
                            return new SearchRun.Outcome(List.of(), SearchRun.Ending.OUT_OF_TIME);
                        }
                        OneShotTraining.Epoch e = training.epoch(epoch, epochs, progress);
                        Architecture arch = learnsWeights ? training.algorithm().chosen() : bestOfSampled(training, checked, s, epoch);
                        epochsLog.append(line(epoch, e, training.algorithm().probabilities(), arch));
                        run.saveCheckpoint(epoch, training::save);
                        run.writeArchitecture(arch);
                        out.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  accuracy %.4f  %.0f s  architecture %s%n", epoch, epochs, e.loss(),
                                e.accuracy(), e.seconds(), Json.LINE.toJson(arch.asMap()));
                        out.flush();
                        updated.run();
                    }
                }
                if (learnsWeights) {
                    return new SearchRun.Outcome(List.of(), SearchRun.Ending.BUDGET_SPENT);
                }
                Strategy paths = training.algorithm().pathSearch(s.seed(), SearchRun.admissible(spec, run.childCounts()));
                int bnBatches = options.whole("bn-batches");
                out.printf("search: scoring %d paths with the shared weights (%s)%n", s.trials(), s.strategy());
                return SearchRun.trials(run, paths, () -> TrialRunner.inProcess(arch -> {
                    double accuracy = training.pathAccuracy(arch, bnBatches);
                    Map<String, Object> metrics = new LinkedHashMap<>();
                    metrics.put("accuracy", accuracy);
                    return new Evaluator.Evaluation(accuracy, metrics);
                }), limits, deadline, out, updated);
            }
        } catch (CompileException e) {
            throw new InputException(s.strategy() + " cannot build this spec's supernet: " + e.getMessage());
        } catch (ChildTraining.DivergedException e) {
            throw new InputException(e.getMessage() + "; the last checkpoint is kept: resume with nas search --resume " + run.path());
        }
    }

    /** An epoch's line in epochs.jsonl. */
    private static JsonObject line(int epoch, OneShotTraining.Epoch e, Map<String, Map<String, Double>> probabilities,
                                   Architecture arch) {
        JsonObject line = new JsonObject();
        line.addProperty("epoch", epoch);
        line.addProperty("loss", e.loss());
        line.addProperty("accuracy", e.accuracy());
        line.addProperty("seconds", Math.round(e.seconds() * 1000) / 1000.0);
        if (probabilities != null) {
            line.add("probabilities", Json.LINE.toJsonTree(probabilities));
        }
        line.add("architecture", Json.LINE.toJsonTree(arch.asMap()));
        return line;
    }

    /** Path sampling's choice so far: the best of a few uniformly drawn paths on the shared weights. */
    private static Architecture bestOfSampled(OneShotTraining training, SpecLoader.Checked checked, RunSettings s, int epoch)
            throws IOException {
        Random random = new Random(s.seed() + 7919L * epoch);
        Sampler sampler = new Sampler(checked.space());
        Architecture best = null;
        double bestScore = -1;
        for (int k = 0; k < 3; k++) {
            Architecture arch = sampler.random(random);
            double score = training.pathAccuracy(arch, 5);
            if (score > bestScore) {
                best = arch;
                bestScore = score;
            }
        }
        return best;
    }
}

package org.nas4j.search;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nas4j.space.ArchitectureException;
import org.nas4j.space.Architectures;
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
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private OneShotRun() {
    }

    /** Runs or resumes the one-shot run in {@code dir} (its settings already read). */
    static SearchRun.Outcome run(Path dir, SearchRun.Settings s, SearchRun.Limits limits, long deadline, Progress progress,
                                 PrintWriter out, Runnable updated) throws IOException, DataException, ArchitectureException {
        SpecLoader.Checked checked = SearchRun.spec(dir, s);
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
        Path checkpoint = dir.resolve("checkpoint");
        Path previous = dir.resolve("checkpoint.old");
        if (!Files.exists(checkpoint) && Files.exists(previous.resolve("state.json"))) {
            // A crash between the two moves of saveCheckpoint: the previous checkpoint is whole.
            Files.move(previous, checkpoint, StandardCopyOption.ATOMIC_MOVE);
        }
        int done = Files.exists(checkpoint.resolve("state.json"))
                ? GSON.fromJson(Files.readString(checkpoint.resolve("state.json")), JsonObject.class).get("epoch").getAsInt() : 0;
        int classes = checked.shapes().outputs().iterator().next().dim(0);
        Engines.seed(s.seed());
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            // DARTS carves its validation half from the training data (the paper's 50/50); the others 10% unless the spec says.
            Datasets.Splits splits = Datasets.load(spec.data(), spec.input(), classes, learnsWeights ? 0.5 : 0.1, s.seed(), manager);
            if (splits.validationSize() == 0) {
                throw new DataException("one-shot search needs validation data: set data.validation above 0");
            }
            try (SupernetTraining training = new SupernetTraining(spec, checked.space(), mode, s.options(), epochs, s.seed(), splits)) {
                keepEpochs(dir.resolve("epochs.jsonl"), done);
                if (done > 0) {
                    training.load(checkpoint);
                    out.printf("search: resuming after epoch %d of %d (checkpoint %s)%n", done, epochs, checkpoint);
                }
                for (int epoch = done + 1; epoch <= epochs; epoch++) {
                    if (System.nanoTime() > deadline) {
                        out.printf("search: --max-duration reached after epoch %d; continue with nas search --resume %s%n", epoch - 1, dir);
                        return new SearchRun.Outcome(List.of(), SearchRun.Ending.OUT_OF_TIME);
                    }
                    SupernetTraining.Epoch e = training.epoch(epoch, epochs, progress);
                    Map<String, Object> arch = learnsWeights ? training.alpha().derive(spec, checked.space()) : bestOfSampled(training, checked, s, epoch);
                    JsonObject line = new JsonObject();
                    line.addProperty("epoch", epoch);
                    line.addProperty("loss", e.loss());
                    line.addProperty("accuracy", e.accuracy());
                    line.addProperty("seconds", Math.round(e.seconds() * 1000) / 1000.0);
                    if (learnsWeights) {
                        line.add("probabilities", GSON.toJsonTree(training.alpha().probabilities()));
                    }
                    line.add("architecture", GSON.toJsonTree(arch));
                    try (Journal epochsLog = Journal.open(dir.resolve("epochs.jsonl"))) {
                        epochsLog.append(line);
                    }
                    saveCheckpoint(training, checkpoint, epoch);
                    SearchRun.writeAtomically(dir.resolve("architecture.json"), Architectures.write(arch));
                    out.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  accuracy %.4f  %.0f s  architecture %s%n", epoch, epochs, e.loss(),
                            e.accuracy(), e.seconds(), GSON.toJson(arch));
                    out.flush();
                    updated.run();
                }
                if (learnsWeights) {
                    return new SearchRun.Outcome(List.of(), SearchRun.Ending.BUDGET_SPENT);
                }
                Strategy paths = mode == SupernetTraining.Mode.ENAS
                        ? new ControllerSamples(training, s.seed(), SearchRun.admissible(spec))
                        : Strategies.create(s.strategy().equals("spos") ? "spos" : "random", checked.space(), s.seed(),
                        s.strategy().equals("spos") ? without(s.options(), "bn-batches") : Map.of(), SearchRun.admissible(spec));
                int bnBatches = Strategies.positive(s.options(), "bn-batches", 10);
                out.printf("search: scoring %d paths with the shared weights (%s)%n", s.trials(), s.strategy());
                return SearchRun.trials(dir, s, checked, paths, () -> TrialRunner.inProcess(arch -> {
                    double accuracy = training.pathAccuracy(arch, bnBatches);
                    Map<String, Object> metrics = new LinkedHashMap<>();
                    metrics.put("accuracy", accuracy);
                    return new Evaluator.Evaluation(accuracy, metrics);
                }), limits, deadline, out, updated);
            }
        } catch (CompileException e) {
            throw new DataException(s.strategy() + " cannot build this spec's supernet: " + e.getMessage());
        } catch (ChildTraining.DivergedException e) {
            throw new DataException(e.getMessage() + "; the last checkpoint is kept: resume with nas search --resume " + dir);
        }
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

    /** Drops the lines of epochs a crash cut off before their checkpoint (they run again). */
    private static void keepEpochs(Path file, int done) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<JsonObject> entries;
        try (Journal log = Journal.open(file)) {
            entries = log.entries();
        }
        List<JsonObject> kept = entries.stream().filter(e -> e.get("epoch").getAsInt() <= done).toList();
        if (kept.size() < entries.size()) {
            // Replaced in one step: a crash here must not lose the epochs that are kept.
            StringBuilder text = new StringBuilder();
            kept.forEach(e -> text.append(GSON.toJson(e)).append('\n'));
            SearchRun.writeAtomically(file, text.toString());
        }
    }

    private static Map<String, String> without(Map<String, String> options, String key) {
        Map<String, String> m = new LinkedHashMap<>(options);
        m.remove(key);
        return m;
    }

    /** Path sampling's choice so far: the best of a few uniformly drawn paths on the shared weights. */
    private static Map<String, Object> bestOfSampled(SupernetTraining training, SpecLoader.Checked checked, SearchRun.Settings s,
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

    /** Writes the checkpoint beside the old one, then swaps it in, so a crash never leaves half a checkpoint. */
    private static void saveCheckpoint(SupernetTraining training, Path checkpoint, int epoch) throws IOException {
        Path fresh = checkpoint.resolveSibling("checkpoint.new");
        Path old = checkpoint.resolveSibling("checkpoint.old");
        deleteTree(fresh);
        training.save(fresh);
        Files.writeString(fresh.resolve("state.json"), "{\"epoch\": " + epoch + "}\n");
        deleteTree(old);
        if (Files.exists(checkpoint)) {
            Files.move(checkpoint, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, checkpoint, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (var walk = Files.walk(dir)) {
            walk.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.delete(all.get(i));
        }
    }
}

package org.nas4j.search;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.nas4j.space.ArchitectureException;
import org.nas4j.space.Architectures;
import org.nas4j.spec.Diagnostics;
import org.nas4j.spec.Overrides;
import org.nas4j.spec.ShapeChecker;
import org.nas4j.spec.Spec;
import org.nas4j.spec.SpecLoader;
import org.nas4j.train.DataException;
import org.nas4j.train.Progress;

/**
 * A multi-trial search in its run directory: spec.yaml (as given), run.json (the resolved
 * settings), trials.jsonl (the journal) and architecture.json (the best so far, replaced
 * atomically). A run resumes by replaying its journal into a fresh strategy with the same seed,
 * so it goes on exactly as the uninterrupted run would have.
 */
public final class SearchRun {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** What run.json holds. */
    public record Settings(String spec, List<String> overrides, String strategy, int trials, long seed,
                           Map<String, String> options, Integer trialEpochs) { }

    /** One finished trial, as the journal holds it. */
    public record Trial(int id, Map<String, Object> architecture, String status, double score, Map<String, Object> metrics,
                        double seconds, String error) { }

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
    public record Outcome(List<Trial> trials, Ending ending) { }

    /** Starts a new run in {@code dir} (which must not hold one) and runs it to its budget. */
    public static Outcome start(Path dir, byte[] specBytes, Settings settings, Limits limits, Progress trialProgress, PrintWriter out)
            throws IOException, DataException, ArchitectureException {
        if (Files.exists(dir.resolve("run.json"))) {
            throw new DataException(dir + " already holds a run; continue it with nas search --resume " + dir);
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve("spec.yaml"), specBytes);
        Files.writeString(dir.resolve("run.json"), GSON.toJson(settings) + "\n");
        return run(dir, limits, trialProgress, out);
    }

    /** Reads a run's settings. */
    public static Settings settings(Path dir) throws DataException {
        try {
            Settings s = GSON.fromJson(Files.readString(dir.resolve("run.json")), Settings.class);
            if (s == null || s.strategy() == null) {
                throw new DataException(dir.resolve("run.json") + ": not written by nas search");
            }
            return s;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new DataException(dir + " is not a search run: it has no run.json");
        } catch (IOException | com.google.gson.JsonParseException e) {
            throw new DataException(dir.resolve("run.json") + ": cannot be read: " + e.getMessage());
        }
    }

    /** The spec of a run, as it was given (file and overrides). */
    public static SpecLoader.Checked spec(Path dir, Settings s) throws DataException, IOException {
        SpecLoader.Checked c = SpecLoader.check(dir.resolve("spec.yaml").toString(), Files.readAllBytes(dir.resolve("spec.yaml")),
                s.overrides().stream().map(Overrides::parse).toList());
        if (!c.ok()) {
            throw new DataException(dir.resolve("spec.yaml") + " no longer validates: " + c.errors().get(0));
        }
        return c;
    }

    /**
     * Runs (or resumes) the run in {@code dir} until its budget is spent or the strategy has nothing
     * left; {@code trialProgress} hears the training inside each trial (train evaluator).
     */
    public static Outcome run(Path dir, Limits limits, Progress trialProgress, PrintWriter out)
            throws IOException, DataException, ArchitectureException {
        long deadline = limits.maxSeconds() == null ? Long.MAX_VALUE : System.nanoTime() + limits.maxSeconds() * 1_000_000_000L;
        Settings s = settings(dir);
        SpecLoader.Checked checked = spec(dir, s);
        Spec spec = checked.spec();
        Predicate<Map<String, Object>> admissible = admissible(spec);
        Strategy strategy;
        try {
            strategy = Strategies.create(s.strategy(), checked.space(), s.seed(), s.options(), admissible);
        } catch (IllegalArgumentException e) {
            throw new DataException(e.getMessage());
        }
        List<Trial> trials = new ArrayList<>();
        Ending ending = Ending.BUDGET_SPENT;
        int failures = 0;
        Evaluator evaluator = evaluator(checked, s, trialProgress);
        try (Journal journal = Journal.open(dir.resolve("trials.jsonl"))) {
            if (journal.droppedTornLine()) {
                out.println("search: the journal's last line was cut off by a crash; that trial runs again");
            }
            for (JsonObject entry : journal.entries()) {
                Trial t = trial(entry, checked);
                Map<String, Object> proposed = strategy.propose();
                if (!t.architecture().equals(proposed)) {
                    throw new DataException(dir.resolve("trials.jsonl") + ": trial " + t.id()
                            + " is not what the strategy proposes on replay; was the spec, seed or strategy changed?");
                }
                strategy.report(t.architecture(), t.score());
                trials.add(t);
            }
            int replayed = trials.size();
            if (replayed > 0) {
                out.printf(Locale.ROOT, "search: resuming after %d trial%s%n", replayed, replayed == 1 ? "" : "s");
            }
            long started = System.nanoTime();
            while (trials.size() < s.trials()) {
                if (System.nanoTime() > deadline) {
                    out.printf("search: --max-duration reached after %d trials; continue with nas search --resume %s%n", trials.size(), dir);
                    ending = Ending.OUT_OF_TIME;
                    break;
                }
                Map<String, Object> arch = strategy.propose();
                if (arch == null) {
                    out.println("search: the strategy has no new architecture left to try (the admissible space is exhausted)");
                    ending = Ending.SPACE_EXHAUSTED;
                    break;
                }
                Trial t = evaluate(trials.size() + 1, arch, evaluator);
                journal.append(json(t));
                strategy.report(arch, t.score());
                trials.add(t);
                Trial best = best(trials);
                if (best == t) {
                    writeAtomically(dir.resolve("architecture.json"), Architectures.write(arch));
                }
                int runHere = trials.size() - replayed;
                double perTrial = (System.nanoTime() - started) / 1e9 / runHere;
                out.printf(Locale.ROOT, "trial %d/%d  %s  score %.4f  best %.4f (trial %d)  ETA %s%s%n", t.id(), s.trials(), t.status(),
                        t.score(), best.score(), best.id(), duration(perTrial * (s.trials() - trials.size())),
                        t.error() == null ? "" : "  " + t.error());
                out.flush();
                if (Double.isNaN(t.score()) && limits.maxFailures() != null && ++failures >= limits.maxFailures()) {
                    out.printf("search: stopped: %d trial%s failed in this run (--max-failures %d); the last: %s%n", failures,
                            failures == 1 ? "" : "s", limits.maxFailures(), t.error());
                    ending = Ending.TOO_MANY_FAILURES;
                    break;
                }
            }
        } finally {
            if (evaluator instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    out.println("search: " + e.getMessage());
                }
            }
        }
        return new Outcome(trials, ending);
    }

    /** Whether a child meets search.constraints (max-params, max-flops); every strategy proposes only those. */
    static Predicate<Map<String, Object>> admissible(Spec spec) {
        Long maxParams = spec.search().maxParams();
        Long maxFlops = spec.search().maxFlops();
        if (maxParams == null && maxFlops == null) {
            return arch -> true;
        }
        Map<String, Boolean> cache = new HashMap<>();
        return arch -> cache.computeIfAbsent(arch.toString(), k -> {
            ShapeChecker.Child child = ShapeChecker.child(spec, arch, new Diagnostics());
            return (maxParams == null || child.params() <= maxParams) && (maxFlops == null || child.flops() <= maxFlops);
        });
    }

    private static Evaluator evaluator(SpecLoader.Checked checked, Settings s, Progress trialProgress) throws IOException, DataException {
        Spec.EvaluatorSpec e = checked.spec().search().evaluator();
        if (e != null && "table".equals(e.type())) {
            Path table = Path.of(checked.spec().search().evaluator().table());
            if (!table.isAbsolute()) {
                table = Path.of(s.spec()).toAbsolutePath().getParent().resolve(table).normalize();
            }
            return new TableEvaluator(table, e.key(), e.metric());
        }
        int classes = checked.shapes().outputs().iterator().next().dim(0);
        int epochs = s.trialEpochs() != null ? s.trialEpochs() : 1;
        return new TrainEvaluator(checked.spec(), classes, epochs, s.seed(), trialProgress);
    }

    private static Trial evaluate(int id, Map<String, Object> arch, Evaluator evaluator) {
        long start = System.nanoTime();
        try {
            Evaluator.Evaluation e = evaluator.evaluate(arch);
            if (!Double.isFinite(e.score())) {
                return new Trial(id, arch, "failed", Double.NaN, e.metrics(), seconds(start), "the score is " + e.score());
            }
            return new Trial(id, arch, "ok", e.score(), e.metrics(), seconds(start), null);
        } catch (Exception ex) {
            String reason = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            return new Trial(id, arch, "failed", Double.NaN, Map.of(), seconds(start), reason);
        }
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

    /** The best trial that did not fail, or the first one when all failed. */
    static Trial best(List<Trial> trials) {
        return trials.stream().filter(t -> !Double.isNaN(t.score())).max(Comparator.comparingDouble(Trial::score)
                .thenComparing(Comparator.comparingInt(Trial::id).reversed())).orElse(trials.get(0));
    }

    private static JsonObject json(Trial t) {
        JsonObject o = new JsonObject();
        o.addProperty("id", t.id());
        o.add("architecture", GSON.toJsonTree(t.architecture()));
        o.addProperty("status", t.status());
        if (!Double.isNaN(t.score())) {
            o.addProperty("score", t.score());
        }
        o.add("metrics", GSON.toJsonTree(t.metrics()));
        o.addProperty("seconds", Math.round(t.seconds() * 1000) / 1000.0);
        if (t.error() != null) {
            o.addProperty("error", t.error());
        }
        return o;
    }

    /** A journal entry back as a trial, its architecture in the canonical forms. */
    static Trial trial(JsonObject o, SpecLoader.Checked checked) throws ArchitectureException {
        Map<String, Object> arch = Architectures.read(o.get("architecture").toString(), checked.space());
        JsonElement score = o.get("score");
        Map<String, Object> metrics = GSON.fromJson(o.get("metrics"), Map.class);
        return new Trial(o.get("id").getAsInt(), arch, o.get("status").getAsString(),
                score == null ? Double.NaN : score.getAsDouble(), metrics == null ? Map.of() : metrics,
                o.get("seconds").getAsDouble(), o.has("error") ? o.get("error").getAsString() : null);
    }

    /** The finished trials of a run, read without changing anything (a torn last line is ignored). */
    public static List<Trial> trials(Path dir, SpecLoader.Checked checked) throws IOException, ArchitectureException {
        List<Trial> trials = new ArrayList<>();
        Path file = dir.resolve("trials.jsonl");
        if (!Files.exists(file)) {
            return trials;
        }
        for (String line : Files.readString(file).split("\n", -1)) {
            try {
                trials.add(trial(com.google.gson.JsonParser.parseString(line).getAsJsonObject(), checked));
            } catch (RuntimeException e) {
                // an empty or torn last line
            }
        }
        return trials;
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

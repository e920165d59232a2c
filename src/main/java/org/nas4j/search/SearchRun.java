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
import java.util.TreeMap;
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
                           Map<String, String> options, Integer trialEpochs, Integer epochs) { }

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

    /**
     * How trials run in this invocation: in this process ({@code workers} 1), or in that many worker
     * processes with {@code threadsEach} engine threads each.
     */
    public record Parallelism(int workers, int threadsEach) {
        /** One trial at a time, in this process. */
        public static final Parallelism IN_PROCESS = new Parallelism(1, 0);
    }

    /** Starts a new run in {@code dir} (which must not hold one) and runs it to its budget. */
    public static Outcome start(Path dir, byte[] specBytes, Settings settings, Limits limits, Parallelism parallelism,
                                Progress trialProgress, PrintWriter out, Runnable updated)
            throws IOException, DataException, ArchitectureException {
        if (Files.exists(dir.resolve("run.json"))) {
            throw new DataException(dir + " already holds a run; continue it with nas search --resume " + dir);
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve("spec.yaml"), specBytes);
        Files.writeString(dir.resolve("run.json"), GSON.toJson(settings) + "\n");
        return run(dir, limits, parallelism, trialProgress, out, updated);
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
     * left; {@code trialProgress} hears the training inside each trial (train evaluator, in process),
     * {@code updated} runs after each finished trial or epoch (to refresh a report).
     *
     * <p>Trials may finish out of order when they run in parallel, so besides the journal (trials in
     * the order they finished) the run keeps proposals.jsonl: for each trial, how many results the
     * strategy had heard when it proposed it. Replaying both in that interleaving rebuilds the
     * strategy exactly; a trial proposed but never finished (running at a crash) runs again.
     */
    public static Outcome run(Path dir, Limits limits, Parallelism parallelism, Progress trialProgress, PrintWriter out,
                              Runnable updated) throws IOException, DataException, ArchitectureException {
        long deadline = limits.maxSeconds() == null ? Long.MAX_VALUE : System.nanoTime() + limits.maxSeconds() * 1_000_000_000L;
        Settings s = settings(dir);
        if (Strategies.ONE_SHOT.contains(s.strategy())) {
            return OneShotRun.run(dir, s, limits, deadline, trialProgress, out, updated);
        }
        SpecLoader.Checked checked = spec(dir, s);
        Strategy strategy;
        try {
            strategy = Strategies.create(s.strategy(), checked.space(), s.seed(), s.options(), admissible(checked.spec()));
        } catch (IllegalArgumentException e) {
            throw new DataException(e.getMessage());
        }
        return trials(dir, s, checked, strategy, () -> parallelism.workers() > 1
                ? new WorkerPool(dir, checked, parallelism.workers(), parallelism.threadsEach())
                : TrialRunner.inProcess(evaluator(checked, s, trialProgress)), limits, deadline, out, updated);
    }

    /** Makes the runner of a run's trials (after the journal is open, so a bad run directory fails first). */
    @FunctionalInterface
    interface RunnerFactory {
        /** The runner. */
        TrialRunner create() throws IOException, DataException;
    }

    /** The trial loop of a run: replays the journal into {@code strategy}, then runs trials until the budget or a limit. */
    static Outcome trials(Path dir, Settings s, SpecLoader.Checked checked, Strategy strategy, RunnerFactory runners, Limits limits,
                          long deadline, PrintWriter out, Runnable updated) throws IOException, DataException, ArchitectureException {
        List<Trial> trials = new ArrayList<>();
        Ending ending = Ending.BUDGET_SPENT;
        int failures = 0;
        try (Journal journal = Journal.open(dir.resolve("trials.jsonl"));
             Journal proposals = Journal.open(dir.resolve("proposals.jsonl"))) {
            if (journal.droppedTornLine()) {
                out.println("search: the journal's last line was cut off by a crash; that trial runs again");
            }
            Map<Integer, Map<String, Object>> rerun = replay(dir, journal, proposals, strategy, checked, trials);
            int proposed = trials.size() + rerun.size();
            int replayed = trials.size();
            if (replayed > 0 || !rerun.isEmpty()) {
                out.printf(Locale.ROOT, "search: resuming after %d trial%s%s%n", replayed, replayed == 1 ? "" : "s",
                        rerun.isEmpty() ? "" : "; " + rerun.size() + " cut off by the crash run" + (rerun.size() == 1 ? "s" : "") + " again");
            }
            Map<Integer, Map<String, Object>> running = new TreeMap<>();
            long started = System.nanoTime();
            boolean stopping = false;
            try (TrialRunner runner = runners.create()) {
                while (true) {
                    while (!stopping && running.size() < runner.capacity()) {
                        Map<String, Object> arch;
                        int id;
                        if (!rerun.isEmpty()) {
                            id = rerun.keySet().iterator().next();
                            arch = rerun.remove(id);
                        } else if (proposed >= s.trials()) {
                            break;
                        } else if (System.nanoTime() > deadline) {
                            out.printf("search: --max-duration reached after %d trials; continue with nas search --resume %s%n",
                                    trials.size(), dir);
                            ending = Ending.OUT_OF_TIME;
                            stopping = true;
                            break;
                        } else {
                            arch = strategy.propose();
                            if (arch == null) {
                                out.println("search: the strategy has no new architecture left to try (the admissible space is exhausted)");
                                ending = Ending.SPACE_EXHAUSTED;
                                stopping = true;
                                break;
                            }
                            id = ++proposed;
                            JsonObject p = new JsonObject();
                            p.addProperty("id", id);
                            p.addProperty("heard", trials.size());
                            proposals.append(p);
                        }
                        runner.submit(id, arch);
                        running.put(id, arch);
                    }
                    if (running.isEmpty()) {
                        break;
                    }
                    Trial t = runner.take();
                    running.remove(t.id());
                    journal.append(json(t));
                    strategy.report(t.architecture(), t.score());
                    trials.add(t);
                    Trial best = best(trials);
                    if (best == t) {
                        writeAtomically(dir.resolve("architecture.json"), Architectures.write(t.architecture()));
                    }
                    int runHere = trials.size() - replayed;
                    double perTrial = (System.nanoTime() - started) / 1e9 / runHere;
                    out.printf(Locale.ROOT, "trial %d/%d  %s  score %.4f  best %.4f (trial %d)  ETA %s%s%s%n", t.id(), s.trials(),
                            t.status(), t.score(), best.score(), best.id(), duration(perTrial * (s.trials() - trials.size())),
                            running.isEmpty() ? "" : "  running " + running.keySet(), t.error() == null ? "" : "  " + t.error());
                    out.flush();
                    updated.run();
                    if (Double.isNaN(t.score()) && limits.maxFailures() != null && ++failures >= limits.maxFailures() && !stopping) {
                        out.printf("search: stopped: %d trial%s failed in this run (--max-failures %d); the last: %s%n", failures,
                                failures == 1 ? "" : "s", limits.maxFailures(), t.error());
                        ending = Ending.TOO_MANY_FAILURES;
                        stopping = true;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DataException("search: interrupted; continue with nas search --resume " + dir);
            }
        }
        return new Outcome(trials, ending);
    }

    /**
     * Replays the journal into a fresh strategy, proposals and results interleaved as they first
     * happened; fills {@code trials} and returns the trials proposed but never finished, by id.
     */
    private static Map<Integer, Map<String, Object>> replay(Path dir, Journal journal, Journal proposals, Strategy strategy,
                                                            SpecLoader.Checked checked, List<Trial> trials)
            throws DataException, ArchitectureException {
        List<Trial> done = new ArrayList<>();
        Map<Integer, Trial> byId = new HashMap<>();
        for (JsonObject entry : journal.entries()) {
            Trial t = trial(entry, checked);
            done.add(t);
            byId.put(t.id(), t);
        }
        Map<Integer, Integer> heard = new HashMap<>();
        for (JsonObject p : proposals.entries()) {
            heard.put(p.get("id").getAsInt(), p.get("heard").getAsInt());
        }
        int last = Math.max(done.stream().mapToInt(Trial::id).max().orElse(0), heard.keySet().stream().mapToInt(i -> i).max().orElse(0));
        Map<Integer, Map<String, Object>> rerun = new TreeMap<>();
        Path file = dir.resolve("trials.jsonl");
        for (int id = 1; id <= last; id++) {
            // Runs from before proposals.jsonl ran one trial at a time: trial id was proposed after id - 1 results.
            int before = heard.getOrDefault(id, id - 1);
            while (trials.size() < before) {
                if (trials.size() == done.size()) {
                    throw new DataException(file + ": trial " + id + " was proposed after " + before + " results, but the journal holds "
                            + done.size() + "; was it edited?");
                }
                Trial t = done.get(trials.size());
                strategy.report(t.architecture(), t.score());
                trials.add(t);
            }
            Map<String, Object> proposed = strategy.propose();
            Trial t = byId.get(id);
            if (t == null) {
                if (proposed == null) {
                    throw new DataException(file + ": the strategy proposes nothing on replay where trial " + id + " was proposed");
                }
                rerun.put(id, proposed);
            } else if (!t.architecture().equals(proposed)) {
                throw new DataException(file + ": trial " + id
                        + " is not what the strategy proposes on replay; was the spec, seed or strategy changed?");
            }
        }
        for (Trial t : done.subList(trials.size(), done.size())) {
            strategy.report(t.architecture(), t.score());
            trials.add(t);
        }
        return rerun;
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

    /** The evaluator the spec asks for (train or table). */
    static Evaluator evaluator(SpecLoader.Checked checked, Settings s, Progress trialProgress) throws IOException, DataException {
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

    /** Evaluates one trial; a failure is recorded in the trial, never thrown. */
    static Trial evaluate(int id, Map<String, Object> arch, Evaluator evaluator) {
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

    /** A trial as its journal line. */
    static JsonObject json(Trial t) {
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

    /** Replaces a file's content in one step (a reader sees the old or the new, never half). */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

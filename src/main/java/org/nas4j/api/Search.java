package org.nas4j.api;

import ai.djl.nn.Block;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nas4j.search.Evaluator;
import org.nas4j.search.RunDirectory;
import org.nas4j.search.RunSettings;
import org.nas4j.search.SearchRun;
import org.nas4j.search.Strategies;
import org.nas4j.search.Strategy;
import org.nas4j.search.StrategyInfo;
import org.nas4j.search.TrialRunner;
import org.nas4j.space.Architecture;
import org.nas4j.space.InputException;

/**
 * A multi-trial search of a spec with the caller's evaluator, in a run directory that
 * {@code nas report}, {@code nas export} and {@link SearchResult#read} understand. Running it
 * again on the same directory resumes it: the finished trials are kept and the strategy goes on
 * exactly as if it had not stopped.
 *
 * <pre>{@code
 * SearchResult r = Search.of(spec).strategy("evolution").trials(20).seed(1)
 *         .evaluator(child -> myAccuracy(child.block())).runIn(Path.of("runs/mine")).run();
 * }</pre>
 */
public final class Search {
    private final NasSpec spec;
    private String strategy = "random";
    private Map<String, String> options = Map.of();
    private int trials = 10;
    private long seed;
    private ChildEvaluator evaluator;
    private Path dir;
    private PrintWriter log = new PrintWriter(OutputStream.nullOutputStream());

    private Search(NasSpec spec) {
        this.spec = spec;
    }

    /** A search of {@code spec}: random, 10 trials, seed 0, until set otherwise. */
    public static Search of(NasSpec spec) {
        return new Search(spec);
    }

    /** The multi-trial strategy, by the name {@code nas strategies} lists (random, grid, evolution, tpe, nsga2). */
    public Search strategy(String name) {
        this.strategy = name;
        return this;
    }

    /** The strategy's options, as {@code nas search --option NAME=VALUE} gives them. */
    public Search options(Map<String, String> given) {
        this.options = new TreeMap<>(given);
        return this;
    }

    /** How many trials the run has in all (a resumed run goes on until it has this many). */
    public Search trials(int n) {
        this.trials = n;
        return this;
    }

    /** The seed of the strategy's choices. */
    public Search seed(long s) {
        this.seed = s;
        return this;
    }

    /** Scores each child; required. */
    public Search evaluator(ChildEvaluator e) {
        this.evaluator = e;
        return this;
    }

    /** The run directory (created, or resumed when it holds this search already); required. */
    public Search runIn(Path directory) {
        this.dir = directory;
        return this;
    }

    /** Where the search says what it does, one line per trial (default: nowhere). */
    public Search log(OutputStream out) {
        this.log = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        return this;
    }

    /**
     * Runs the trials the run still lacks and returns them all.
     *
     * @throws NasException when the spec has problems, the strategy or its options are unknown, the
     *                      directory holds something else, or the evaluator or directory are missing
     */
    public SearchResult run() throws NasException {
        if (evaluator == null || dir == null) {
            throw new NasException("a search needs " + (evaluator == null ? "an evaluator (Search.evaluator)" : "a run directory (Search.runIn)"));
        }
        if (trials < 1) {
            throw new NasException("a search needs at least 1 trial, got " + trials);
        }
        StrategyInfo info;
        try {
            info = Strategies.info(strategy);
            if (info.oneShot() || info.multiFidelity()) {
                throw new IllegalArgumentException("strategy " + strategy + " trains children itself; an evaluator of one's own goes with "
                        + "random, grid, evolution, tpe or nsga2");
            }
            info.parse(options);
        } catch (IllegalArgumentException e) {
            throw new NasException(e.getMessage());
        }
        try (RunDirectory run = open(info)) {
            Strategy s = Strategies.create(info, info.parse(run.settings().options()), spec.valid().space(), run.settings().seed(),
                    SearchRun.admissible(spec.valid().spec(), run.childCounts()), SearchRun.objectives(spec.valid().spec()));
            SearchRun.Outcome outcome = SearchRun.trials(run, s, () -> TrialRunner.inProcess(this::evaluate), SearchRun.Limits.NONE,
                    Long.MAX_VALUE, log, () -> { });
            return SearchResult.of(outcome.trials());
        } catch (InputException | IOException e) {
            throw new NasException(e.getMessage());
        }
    }

    private RunDirectory open(StrategyInfo info) throws InputException, NasException {
        if (RunDirectory.holdsRun(dir)) {
            RunDirectory run = RunDirectory.resume(dir);
            if (!run.settings().strategy().equals(info.name())) {
                run.close();
                throw new NasException(dir + " holds a search with strategy " + run.settings().strategy() + ", not " + info.name());
            }
            run.updateSettings(run.settings().withTrials(trials));
            return run;
        }
        return RunDirectory.create(dir, spec.bytes(), new RunSettings(Path.of(spec.file()).toAbsolutePath().normalize().toString(), List.of(),
                info.name(), trials, seed, options, null, null, org.nas4j.search.Plugins.installed()));
    }

    private Evaluator.Evaluation evaluate(Architecture arch) throws Exception {
        Map<String, Object> values = arch.asMap();
        double score = evaluator.evaluate(new Child() {
            @Override
            public Map<String, Object> architecture() {
                return values;
            }

            @Override
            public Block block() throws NasException {
                return spec.child(values);
            }

            @Override
            public long parameters() {
                try {
                    return spec.counts().of(arch).params();
                } catch (NasException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        return new Evaluator.Evaluation(score, Map.of());
    }
}

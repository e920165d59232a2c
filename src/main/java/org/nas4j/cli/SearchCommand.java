package org.nas4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nas4j.oneshot.OneShotRun;
import org.nas4j.report.SpecSummary;
import org.nas4j.search.Cluster;
import org.nas4j.search.ClusterLostException;
import org.nas4j.search.Placement;
import org.nas4j.search.Plugins;
import org.nas4j.search.Preflight;
import org.nas4j.search.RunDirectory;
import org.nas4j.search.RunSettings;
import org.nas4j.search.SearchRun;
import org.nas4j.search.ShippedData;
import org.nas4j.search.Strategies;
import org.nas4j.search.StrategyInfo;
import org.nas4j.search.Trial;
import org.nas4j.space.InputException;
import org.nas4j.space.IoReason;
import org.nas4j.spec.Overrides;
import org.nas4j.spec.SpecLoader;
import org.nas4j.train.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code nas search}: a multi-trial search, journalled in a run directory that survives a crash. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Search a spec's space: the strategy proposes architectures, the evaluator scores them "
                + "(search.evaluator: train the child on the training split and score its validation accuracy, or look it up "
                + "in a benchmark table). Every finished trial is journalled in DIR/trials.jsonl and the best so far is in "
                + "DIR/architecture.json; after a crash, `nas search --resume DIR` continues exactly where it stopped.",
                "One-shot strategies train one supernet instead (darts, proxyless: architecture weights learnt with the weights; enas: "
                        + "paths drawn by an LSTM controller trained by REINFORCE, then controller samples scored; spos and "
                        + "random-oneshot: one uniformly drawn path per batch, then paths scored with the shared weights), with a "
                        + "checkpoint every epoch in DIR/checkpoint and the probabilities per epoch in DIR/epochs.jsonl.",
                "`nas strategies` lists every strategy with its options and their defaults."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the search ran to its budget", "1:invalid spec, run directory or data", "2:usage error"})
public final class SearchCommand implements Callable<Integer> {
    @Option(names = "--spec", paramLabel = "FILE", description = "The spec (YAML).")
    private Path spec;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR with its spec and settings; only --trials (a new budget), --max-duration, "
            + "--max-failures, --parallel, --threads, --device, --gpus-per-worker, --cluster, --cluster-files, --skip-bad-lines and --no-report "
            + "may be given with it.")
    private Path resume;

    @Option(names = "--strategy", paramLabel = "S", description = "Multi-trial: random, grid, evolution, tpe, nsga2; multi-fidelity (each trial "
            + "trained min-budget to max-budget epochs): hyperband, asha, bohb; one-shot: darts, enas, proxyless, spos, random-oneshot (default: the spec's search.strategy, else random). `nas strategies` lists their options.")
    private String strategy;

    @Option(names = "--trials", paramLabel = "N", description = "Trials (for hyperband, asha and bohb: trainings, a child "
            + "promoted to a higher budget counting again), or for spos and random-oneshot the paths scored after training "
            + "(default: the spec's search.trials, else the whole space for grid, 40 for one-shot, 22 for hyperband and bohb, 30 for "
            + "asha and 20 otherwise).")
    private Integer trials;

    @Option(names = "--epochs", paramLabel = "N", description = "Multi-trial: epochs per trial (default: search.trial.epochs, else 1; "
            + "hyperband, asha and bohb give each trial its epochs, from --option min-budget to max-budget). "
            + "One-shot: epochs of supernet training (default: search.epochs, else 1).")
    private Integer epochs;

    @Option(names = "--option", paramLabel = "K=V", description = "A strategy option (repeatable), e.g. --option population=50.")
    private Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @CommandLine.Mixin
    private PluginOption plugins;

    @CommandLine.Mixin
    private ThreadsOption threads;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
            description = "Run N trials at once, each in its own worker process with cores/N engine threads (or --threads each); "
                    + "a worker that dies fails its trial, not the search. Default: ${DEFAULT-VALUE}, in this process.")
    private int parallel;

    @Option(names = "--cluster", paramLabel = "URL", description = "Run the trials on a cluster: spark://HOST:PORT (a standalone Spark "
            + "master, e.g. from scripts/spark-cluster.sh start); each trial one task starting a worker process there, up to --parallel "
            + "at once, each of --threads cores (default 1). The run directory must be readable and writable where the tasks run "
            + "(docs/cluster.md).")
    private String cluster;

    @Option(names = "--cluster-files", description = "With --cluster: ship the spec's data (its file or folder, up to 1 GB) to each "
            + "task's host through the cluster's file distribution, instead of reading it from a path every host reaches.")
    private boolean clusterFiles;

    @CommandLine.Mixin
    private DeviceOption device;

    @Option(names = "--gpus-per-worker", paramLabel = "F", description = "With --parallel N --device gpu: the share of a GPU each "
            + "worker gets. 1 (the default) gives each worker a GPU of its own, round robin over CUDA_VISIBLE_DEVICES (else every "
            + "GPU the engine sees); 0.5 puts two workers on each GPU.")
    private Double gpusPerWorker;

    @Option(names = "--out", paramLabel = "DIR", description = "The run directory (default: runs/<spec>-<time>).")
    private Path out;

    @Option(names = "--max-failures", paramLabel = "N", description = "Stop (exit 1) once N trials have failed in this invocation.")
    private Integer maxFailures;

    @Option(names = "--max-duration", paramLabel = "D", description = "Stop cleanly after D (e.g. 90s, 30m, 2h; at most "
            + MAX_DURATION_HOURS + "h); the run stays resumable.")
    private String maxDuration;

    @Option(names = "--skip-bad-lines", description = "With --resume: first set unreadable journal lines aside, as `nas runs repair DIR` "
            + "does (they are kept in FILE.rejected), then continue.")
    private boolean skipBadLines;

    @Option(names = "--early-stop", paramLabel = "RULE", description = "median: stop a trained trial whose best validation score so "
            + "far is below the median of the finished trials' scores at the same epoch (after one epoch, once 3 have one); "
            + "the same as --set search.early-stop=median, which also takes {rule: median, warmup: E, min-trials: K}.")
    private String earlyStop;

    @Option(names = "--no-report", description = "Do not draw DIR/report.html, during or after the search (a scripted search that "
            + "never looks at it; `nas report --run DIR` draws it any time). By default it is redrawn as trials finish, taking "
            + "under 5%% of the search.")
    private boolean noReport;

    @CommandLine.Mixin
    private OverrideOptions overrides;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec self;

    /** The longest --max-duration taken (a year): anything longer is a typo, and would overflow nanoseconds. */
    static final long MAX_DURATION_HOURS = 24 * 366;

    /** Options that change what a run searches: fixed in its run.json, so refused with --resume. */
    private static final List<String> FIXED_BY_RUN = List.of("--strategy", "--epochs", "--option", "--seed", "--out", "--set", "--early-stop");

    @Override
    public Integer call() {
        PrintWriter o = self.commandLine().getOut();
        PrintWriter err = self.commandLine().getErr();
        checkUsage();
        threads.apply();
        // A cluster task's cores are the cluster's, not this machine's: one each unless --threads says.
        int threadsEach = threads.threads() != null ? threads.threads()
                : cluster != null ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors() / parallel);
        SearchRun.Limits limits = new SearchRun.Limits(maxFailures, maxDuration == null ? null : seconds(maxDuration));
        RunDirectory run = null;
        try {
            if (resume != null) {
                run = RunDirectory.resume(resume);
                if (parallel > 1 && Strategies.oneShot(run.settings().strategy())) {
                    throw new CommandLine.ParameterException(self.commandLine(), "--parallel runs multi-trial trials in worker "
                            + "processes; " + run.settings().strategy() + " trains one supernet in this process (use --threads)");
                }
                if (skipBadLines) {
                    run.repair().forEach(line -> o.println("search: " + line));
                }
                if (trials != null && trials != run.settings().trials()) {
                    o.printf("search: the trial budget changes from %d to %d%n", run.settings().trials(), trials);
                    run.updateSettings(run.settings().withTrials(trials));
                }
            } else {
                run = start(o, err);
                if (run == null) {
                    return 1;
                }
            }
            Path dir = run.path();
            if (cluster != null && Strategies.oneShot(run.settings().strategy())) {
                run.discardIfUnstarted();
                throw new InputException("--cluster runs the trials of a multi-trial search; " + run.settings().strategy()
                        + " trains one supernet, in this process");
            }
            SearchRun.Outcome done;
            try {
                // Where trials train is this invocation's (--device, else the spec's): a resumed run may move to another machine.
                String where = device.or(run.spec().spec().training().device());
                done = Strategies.oneShot(run.settings().strategy())
                        ? OneShotRun.run(run, limits, where, trialProgress(o), o, reporter(run, err, false))
                        : SearchRun.run(run, limits, cluster != null ? new Placement(parallel, threadsEach, where, null)
                                : Placement.of(parallel, threadsEach, where, gpusPerWorker != null ? gpusPerWorker : 1),
                                cluster == null ? null : new Cluster(cluster, clusterFiles ? ShippedData.of(run.spec().spec().data()) : null),
                                trialProgress(o), o, reporter(run, err, false));
            } catch (ClusterLostException e) {
                run.discardIfUnstarted();
                throw new InputException(e.getMessage() + (Files.isDirectory(dir)
                        ? "; the run stays resumable, the trials that were running run again: nas search --resume " + dir + " --cluster URL"
                        : "; no trial had finished, so no run directory is left: run the same command again once the cluster is up"));
            } catch (InputException | IOException | RuntimeException e) {
                run.discardIfUnstarted();
                throw e;
            }
            if (done.trials().stream().anyMatch(Trial::ok)) {
                printTop(done.trials(), o);
            }
            if (!noReport) {
                reporter(run, err, true).run();
                o.println("report: " + run.reportFile());
            }
            if (done.allFailed()) {
                err.printf("nas search: all %d trials failed, so there is no best architecture (none written); the first failure: %s%n",
                        done.trials().size(), done.trials().get(0).error());
                return 1;
            }
            if (run.architecture().isPresent()) {
                o.println("best architecture: " + dir.resolve("architecture.json"));
            }
            return done.ending() == SearchRun.Ending.TOO_MANY_FAILURES ? 1 : 0;
        } catch (InputException | IOException e) {
            err.println("nas search: " + IoReason.describe(e));
            return 1;
        } finally {
            if (run != null) {
                run.close();
            }
        }
    }

    /** Usage errors (exit 2): counts out of range, options that --resume does not take. */
    private void checkUsage() {
        if ((spec == null) == (resume == null)) {
            throw usage("give either --spec FILE or --resume DIR");
        }
        atLeastOne("--trials", trials);
        atLeastOne("--epochs", epochs);
        atLeastOne("--max-failures", maxFailures);
        if (parallel < 1 || parallel > 64) {
            throw usage("--parallel takes 1 to 64 workers, got " + parallel);
        }
        if (clusterFiles && cluster == null) {
            throw usage("--cluster-files ships the data to the tasks of --cluster URL");
        }
        if (gpusPerWorker != null && parallel == 1) {
            throw usage("--gpus-per-worker shares GPUs among the workers of --parallel N --device gpu");
        }
        CommandLine.ParseResult given = self.commandLine().getParseResult();
        if (resume != null) {
            for (String option : FIXED_BY_RUN) {
                if (given.hasMatchedOption(option)) {
                    throw usage(option + " cannot be changed when resuming: the run keeps the settings in " + resume.resolve("run.json")
                            + " (only --trials, --max-duration, --max-failures, --parallel, --threads, --device, --gpus-per-worker, --cluster,"
                            + " --cluster-files, --skip-bad-lines and --no-report may be given with --resume)");
                }
            }
        } else if (skipBadLines) {
            throw usage("--skip-bad-lines goes with --resume DIR");
        }
    }

    private void atLeastOne(String option, Integer value) {
        if (value != null && value < 1) {
            throw usage(option + " must be at least 1, got " + value);
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(self.commandLine(), message);
    }

    /** Checks everything for a new run, then makes its directory; null (after printing why) when it cannot start. */
    private RunDirectory start(PrintWriter o, PrintWriter err) throws InputException, IOException {
        List<Overrides.Override> given = new java.util.ArrayList<>(overrides.overrides());
        if (earlyStop != null) {
            // An override like any --set: run.json keeps it, so a resumed run stops trials by the same rule.
            given.add(Overrides.parse("search.early-stop=" + earlyStop));
        }
        SpecLoader.Checked checked = SpecLoader.load(spec, given);
        if (!checked.ok()) {
            SpecSummary.errors(checked, err);
            return null;
        }
        String s = strategy != null ? strategy : checked.spec().search().strategy();
        if (s == null) {
            s = "random";
            o.println("search: no strategy given (--strategy or search.strategy); using random");
        }
        StrategyInfo info;
        try {
            info = Strategies.info(s);
        } catch (IllegalArgumentException e) {
            err.println("nas search: " + IoReason.describe(e));
            return null;
        }
        Map<String, String> opts = new LinkedHashMap<>(checked.spec().search().options());
        if (strategy != null && !strategy.equals(checked.spec().search().strategy())) {
            // The spec's options are for the spec's strategy: another one given with --strategy keeps only those it takes.
            List<String> foreign = opts.keySet().stream().filter(k -> info.option(k) == null).toList();
            if (!foreign.isEmpty()) {
                o.printf("search: search.options %s are not options of %s; left out%n", String.join(", ", foreign), s);
                foreign.forEach(opts::remove);
            }
        }
        opts.putAll(options);
        boolean oneShot = info.oneShot();
        if (oneShot && parallel > 1) {
            throw usage("--parallel runs multi-trial trials in worker processes; " + s + " trains one supernet in this process (use --threads)");
        }
        List<String> problems = new java.util.ArrayList<>(Preflight.problems(checked, spec.toString(), s, opts).all());
        BigInteger size = checked.space().size();
        Integer asked = trials != null ? trials : checked.spec().search().trials();
        int n = info.trials(asked, size);
        if (oneShot && asked != null && asked > n && info.hasTrials()) {
            o.printf("search: the space holds %d architectures; %d paths will be scored, not %d%n", n, n, asked);
        }
        boolean dedup = !s.equals("random") || !"false".equals(opts.get("dedup"));
        if (!oneShot && dedup && !info.multiFidelity() && size.compareTo(BigInteger.valueOf(n)) < 0) {
            problems.add(n + " distinct trials asked for, but the space holds only " + size + " architectures");
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("nas search: " + p));
            return null;
        }
        // A device the engine cannot give is said before a run directory exists.
        Engines.device(device.or(checked.spec().training().device()));
        Path dir = out != null ? out : Path.of("runs", checked.spec().name() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
        // The absolute path, so that files the spec names (a table) are found when the run resumes from elsewhere.
        RunSettings settings = new RunSettings(spec.toAbsolutePath().normalize().toString(),
                given.stream().map(Overrides.Override::text).toList(), s, n, seed, opts,
                oneShot ? null : epochs != null ? epochs : checked.spec().search().trialEpochs(),
                !oneShot ? null : epochs != null ? epochs : checked.spec().search().epochs() != null ? checked.spec().search().epochs() : 1,
                Plugins.installed());
        byte[] specBytes;
        try {
            specBytes = Files.readAllBytes(spec);
        } catch (IOException e) {
            throw new InputException("cannot read " + spec + ": " + IoReason.of(e));
        }
        RunDirectory run = RunDirectory.create(dir, specBytes, settings);
        if (oneShot) {
            o.printf("search: %s, supernet trained %d epoch%s%s, run directory %s%n", s, settings.epochs(),
                    settings.epochs() == 1 ? "" : "s", n > 0 ? ", then " + n + " paths scored" : "", dir);
        } else {
            o.printf("search: %s, %d trials, run directory %s%n", s, n, dir);
        }
        return run;
    }

    /**
     * Writes DIR/report.html: {@code now}, or at most every few seconds and never more often than
     * 20 times its last drawing time apart, so that drawing a large run's report takes under 5% of
     * the search. A report that cannot be written is said once, not fatal.
     */
    private Runnable reporter(RunDirectory run, PrintWriter err, boolean now) {
        if (noReport) {
            return () -> { };
        }
        long[] last = {now ? 0 : System.nanoTime(), 0};
        return () -> {
            long gap = Math.max(3_000_000_000L, 20 * last[1]);
            if (!now && System.nanoTime() - last[0] < gap) {
                return;
            }
            long start = System.nanoTime();
            try {
                org.nas4j.report.RunReport.write(run);
            } catch (Exception e) {
                if (!reportFailed) {
                    err.println("nas search: could not write the report: " + IoReason.describe(e));
                    reportFailed = true;
                }
            }
            last[0] = System.nanoTime();
            last[1] = last[0] - start;
        };
    }

    private boolean reportFailed;

    /** Training progress inside trials: a line redrawn in place on a terminal, nothing in logs. */
    private static org.nas4j.train.Progress trialProgress(PrintWriter o) {
        return org.nas4j.report.ProgressLine.onTerminal() ? new org.nas4j.report.ProgressLine(o, true) : org.nas4j.train.Progress.SILENT;
    }

    /** "90s", "30m", "2h" or plain seconds, as seconds. */
    private long seconds(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([smh]?)").matcher(text.trim());
        if (!m.matches()) {
            throw new CommandLine.ParameterException(self.commandLine(), "--max-duration takes a number of s, m or h, e.g. 30m; got '" + text + "'");
        }
        long unit = switch (m.group(2)) {
            case "m" -> 60;
            case "h" -> 3600;
            default -> 1;
        };
        long n;
        try {
            n = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            n = Long.MAX_VALUE;
        }
        if (n > MAX_DURATION_HOURS * 3600) {
            throw usage("--max-duration must be from 0s to " + MAX_DURATION_HOURS + "h, got '" + text + "'");
        }
        return n;
    }

    private static void printTop(List<Trial> trials, PrintWriter o) {
        List<Trial> top = trials.stream().filter(Trial::ok)
                .sorted(Comparator.comparingDouble(Trial::score).reversed()).limit(5).toList();
        o.println("top trials:");
        for (Trial t : top) {
            o.printf(Locale.ROOT, "  #%-4d %.4f  %s%n", t.id(), t.score(), t.architecture());
        }
        long failed = trials.stream().filter(t -> Double.isNaN(t.score())).count();
        if (failed > 0) {
            o.printf("%d trial%s failed (see trials.jsonl)%n", failed, failed == 1 ? "" : "s");
        }
    }
}

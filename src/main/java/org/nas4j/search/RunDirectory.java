package org.nas4j.search;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.nas4j.space.Architecture;
import org.nas4j.space.ArchitectureException;
import org.nas4j.space.Architectures;
import org.nas4j.space.BoundedFile;
import org.nas4j.space.InputException;
import org.nas4j.space.IoReason;
import org.nas4j.spec.Overrides;
import org.nas4j.spec.SpecLoader;
import org.nas4j.spec.YamlReader;

/**
 * A run directory and the only code that reads or writes inside one. Its layout: spec.yaml (the
 * spec as given), run.json ({@link RunSettings}), trials.jsonl, proposals.jsonl and epochs.jsonl
 * (append-only journals, see {@link Journal}), architecture.json (the best or current choice),
 * checkpoint/ (a one-shot supernet), children/ (children a multi-fidelity search may train
 * further, see {@link ChildStates}), report.html, logs/ (worker processes) and run.lock.
 *
 * <p>A writer ({@link #create}, {@link #resume}) holds an OS lock on run.lock for the life of the
 * process, so a second writer is refused while the first runs, and a killed process's lock goes
 * with it. A reader ({@link #read}: export, report, worker processes) takes no lock. Every file
 * other than the journals is replaced in one step (written under a unique temporary name, forced
 * to disk, then renamed), so a reader or a crash sees the old content or the new, never half.
 *
 * <p>About 520 lines, kept whole on purpose: it is the one place that knows the layout and the
 * rules of every file in a run (settings, spec, journals, architecture, report, checkpoint), so
 * that nothing else writes inside one; the mechanics are in {@link RunFolders}, {@link RunLock},
 * {@link AtomicFiles}, {@link RunCheckpoint}, {@link JournalRepair}, {@link Journal} and
 * {@link ChildCounts}.
 */
public final class RunDirectory implements AutoCloseable {
    static final String SPEC = "spec.yaml";
    static final String SETTINGS = "run.json";
    static final String TRIALS = "trials.jsonl";
    static final String PROPOSALS = "proposals.jsonl";
    static final String EPOCHS = "epochs.jsonl";
    static final String ARCHITECTURE = "architecture.json";
    static final String CHECKPOINT = "checkpoint";
    static final String CHILDREN = "children";
    static final String REPORT = "report.html";
    static final String LOGS = "logs";
    static final String LOCK = "run.lock";
    /** run.json is a few hundred bytes; anything near this is not ours. */
    private static final long SETTINGS_BYTES = 1 << 20;

    private final Path dir;
    private final RunLock lock;
    private final Path createdRoot;
    private RunSettings settings;
    private boolean settingsChanged;
    private SpecLoader.Checked checked;
    /** A writer's finished trials once read (see {@link #trials}); null before. */
    private List<Trial> knownTrials;
    /** The run's children's counts, each counted once per opening; null until asked for. */
    private ChildCounts counts;

    private RunDirectory(Path dir, RunLock lock, Path createdRoot, RunSettings settings) {
        this.dir = dir;
        this.lock = lock;
        this.createdRoot = createdRoot;
        this.settings = settings;
    }

    /**
     * Makes a new run in {@code dir} and locks it: {@code dir} must not exist, or be empty. A
     * directory that holds a run, a saved model or anything else is refused untouched, and a
     * start that fails leaves nothing behind.
     */
    public static RunDirectory create(Path dir, byte[] spec, RunSettings settings) throws InputException {
        String foreign = RunFolders.refusal(dir);
        if (foreign != null) {
            throw new InputException(foreign);
        }
        Path createdRoot = null;
        if (!Files.isDirectory(dir)) {
            createdRoot = dir.toAbsolutePath().normalize();
            while (createdRoot.getParent() != null && !Files.exists(createdRoot.getParent())) {
                createdRoot = createdRoot.getParent();
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new InputException("cannot create run directory " + RunFolders.failedPart(dir) + ": " + IoReason.of(e));
            }
        }
        RunLock lock = null;
        try {
            lock = RunLock.acquire(dir, dir.toRealPath());
            if (Files.exists(dir.resolve(SETTINGS))) {
                throw new InputException(dir + " already holds a run; continue it with nas search --resume " + dir);
            }
            RunDirectory run = new RunDirectory(dir, lock, createdRoot, settings);
            run.replace(SPEC, spec);
            // run.json last: its presence is what makes the directory a run.
            run.replace(SETTINGS, settings.toJson().getBytes(StandardCharsets.UTF_8));
            return run;
        } catch (InputException | IOException | RuntimeException e) {
            if (lock != null) {
                lock.release();
            }
            RunFolders.undo(dir, createdRoot);
            if (e instanceof InputException d) {
                throw d;
            }
            throw new InputException("cannot write the run directory " + dir + ": "
                    + (e instanceof IOException io ? IoReason.of(io) : e.toString()));
        }
    }

    /** Opens an existing run to continue it, and locks it. */
    public static RunDirectory resume(Path dir) throws InputException {
        requireRun(dir);
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new InputException("cannot open the run directory " + dir + ": " + IoReason.of(e));
        }
        RunLock lock = RunLock.acquire(dir, real);
        try {
            return new RunDirectory(dir, lock, null, readSettings(dir));
        } catch (InputException e) {
            lock.release();
            throw e;
        }
    }

    /** Opens an existing run to read it, without locking it (it may be running). */
    public static RunDirectory read(Path dir) throws InputException {
        requireRun(dir);
        return new RunDirectory(dir, null, null, readSettings(dir));
    }

    /** Whether {@code dir} holds a run (its run.json). */
    public static boolean holdsRun(Path dir) {
        return Files.isRegularFile(dir.resolve(SETTINGS));
    }

    private static void requireRun(Path dir) throws InputException {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + (Files.exists(dir) ? " is not a directory" : " does not exist") + "; it is not a search run");
        }
        if (!holdsRun(dir)) {
            throw new InputException(dir + " is not a search run: it has no " + SETTINGS);
        }
    }

    private static RunSettings readSettings(Path dir) throws InputException {
        Path file = dir.resolve(SETTINGS);
        try {
            return RunSettings.parse(file.toString(), new String(BoundedFile.read(file, SETTINGS_BYTES, "a run's settings"),
                    StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + IoReason.of(e));
        }
    }

    /**
     * Removes the run when this process created it and it holds no finished work yet (no trial,
     * epoch or checkpoint): a search that fails before its first result leaves nothing behind.
     */
    public void discardIfUnstarted() {
        if (createdRoot == null || lock == null) {
            return;
        }
        for (String f : List.of(TRIALS, EPOCHS)) {
            try {
                if (Files.size(dir.resolve(f)) > 0) {
                    return;
                }
            } catch (IOException e) {
                // absent: nothing finished there
            }
        }
        if (Files.exists(dir.resolve(CHECKPOINT))) {
            return;
        }
        lock.release();
        RunFolders.undo(dir, createdRoot);
    }

    @Override
    public void close() {
        if (lock != null) {
            lock.release();
        }
    }

    // ---- settings and spec ----

    /** The run's directory. */
    public Path path() {
        return dir;
    }

    /** The run's settings (run.json). */
    public RunSettings settings() {
        return settings;
    }

    /**
     * Takes new settings (--resume --trials N); run.json gets them only once the run's journals
     * have been read back whole ({@link #saveSettings}), so a refused resume changes nothing.
     */
    public void updateSettings(RunSettings s) {
        requireWriter();
        settingsChanged |= !s.equals(settings);
        settings = s;
    }

    /** Writes settings taken by {@link #updateSettings} to run.json. */
    void saveSettings() throws IOException {
        if (settingsChanged) {
            replace(SETTINGS, settings.toJson().getBytes(StandardCharsets.UTF_8));
            settingsChanged = false;
        }
    }

    /** The run's spec with its overrides, checked once per opening (after loading the plug-ins the run was started with). */
    public SpecLoader.Checked spec() throws InputException {
        if (checked == null) {
            try {
                Plugins.install(settings.plugins().stream().map(Path::of).toList());
            } catch (InputException e) {
                throw new InputException(dir.resolve(SETTINGS) + ": the run was started with plug-ins; " + e.getMessage());
            }
            Path file = dir.resolve(SPEC);
            byte[] bytes;
            try {
                bytes = BoundedFile.read(file, YamlReader.MAX_BYTES, "a spec");
            } catch (IOException e) {
                throw new InputException("cannot read " + file + ": " + IoReason.of(e));
            }
            List<Overrides.Override> overrides = new ArrayList<>();
            for (String o : settings.overrides()) {
                try {
                    overrides.add(Overrides.parse(o));
                } catch (RuntimeException e) {
                    throw new InputException(dir.resolve(SETTINGS) + ": override '" + o + "' cannot be read: " + e.getMessage());
                }
            }
            SpecLoader.Checked c = SpecLoader.check(file.toString(), bytes, overrides);
            if (!c.ok()) {
                throw new InputException(file + " no longer validates: " + c.errors().get(0));
            }
            checked = c;
        }
        return checked;
    }

    /**
     * The parameters and FLOPs of the run's children, each counted once per opening (a report
     * redrawn during a long run counts only the new trials; constraints and objectives ask too).
     */
    public synchronized ChildCounts childCounts() throws InputException {
        if (counts == null) {
            counts = new ChildCounts(spec().spec());
        }
        return counts;
    }

    // ---- journals ----

    /** Reads trials.jsonl. */
    Journal.Contents trialLines() throws InputException {
        return journal(TRIALS, "id");
    }

    /** Reads proposals.jsonl. */
    Journal.Contents proposalLines() throws InputException {
        return journal(PROPOSALS, "id");
    }

    /** Reads epochs.jsonl. */
    Journal.Contents epochLines() throws InputException {
        return journal(EPOCHS, "epoch");
    }

    private Journal.Contents journal(String name, String idField) throws InputException {
        try {
            return Journal.read(dir.resolve(name), idField);
        } catch (IOException e) {
            throw new InputException("cannot read " + dir.resolve(name) + ": " + IoReason.of(e));
        }
    }

    /** Opens a journal read by {@link #trialLines()} (or the others) to append to (a writer only). */
    Journal append(Journal.Contents contents) throws IOException {
        requireWriter();
        return Journal.append(contents);
    }

    /**
     * The finished trials, in the order they finished. Any unreadable line stops with FILE:LINE
     * (a torn last line is left out: it may be a write in progress).
     */
    public List<Trial> trials() throws InputException {
        if (knownTrials != null) {
            return List.copyOf(knownTrials);
        }
        Journal.Contents c = trialLines();
        if (!c.bad().isEmpty()) {
            throw new InputException(c.firstProblem() + "; nas runs repair " + dir + " sets unreadable lines aside");
        }
        return trials(c);
    }

    /** The trials of the readable lines of trials.jsonl as read by {@link #trialLines}, in order. */
    List<Trial> trials(Journal.Contents c) throws InputException {
        List<Trial> trials = new ArrayList<>();
        for (Journal.Line line : c.lines()) {
            trials.add(trial(c, line));
        }
        if (lock != null) {
            // A writer's trials change only through appendTrial: a report redrawn as trials
            // finish reads the journal once, not once per drawing.
            knownTrials = new ArrayList<>(trials);
        }
        return trials;
    }

    /** Appends a finished trial to trials.jsonl, opened by {@link #append}, and to the trials this writer knows. */
    void appendTrial(Journal journal, Trial t) throws IOException {
        journal.append(t.toJson());
        if (knownTrials != null) {
            knownTrials.add(t);
        }
    }

    /** A journal line as a trial; a line that does not fit the spec is named by FILE:LINE. */
    private Trial trial(Journal.Contents c, Journal.Line line) throws InputException {
        try {
            return Trial.fromJson(line.json(), spec().space());
        } catch (IllegalArgumentException e) {
            throw new InputException(c.file() + ":" + line.number() + ": " + e.getMessage());
        }
    }

    /** The epochs of a one-shot run; unreadable lines stop with FILE:LINE as for trials. */
    public List<com.google.gson.JsonObject> epochs() throws InputException {
        Journal.Contents c = epochLines();
        if (!c.bad().isEmpty()) {
            throw new InputException(c.firstProblem() + "; nas runs repair " + dir + " sets unreadable lines aside");
        }
        return c.entries();
    }

    /**
     * Checks epochs.jsonl before a one-shot run resumes: every line readable, epochs 1, 2, ... in
     * order (unless a repair set lines aside); FILE:LINE otherwise, nothing changed.
     */
    public void checkEpochs() throws InputException {
        Journal.Contents c = epochLines();
        if (!c.bad().isEmpty()) {
            throw new InputException(c.firstProblem() + "; nothing was changed. `nas runs repair " + dir
                    + "` (or --resume with --skip-bad-lines) sets unreadable lines aside in " + EPOCHS + ".rejected");
        }
        for (int i = 0; i < c.lines().size() && !repaired(); i++) {
            int epoch = c.lines().get(i).json().get("epoch").getAsInt();
            if (epoch != i + 1) {
                throw new InputException(c.file() + ":" + c.lines().get(i).number() + ": epoch " + epoch + " where epoch " + (i + 1)
                        + " was expected; was the file edited?");
            }
        }
    }

    /**
     * Opens epochs.jsonl to append the epochs after {@code done} (the checkpoint's): lines of
     * later epochs, which a crash cut off before their checkpoint, are dropped first (those epochs
     * run again), the rest kept byte for byte.
     */
    public Journal appendEpochs(int done) throws InputException, IOException {
        requireWriter();
        Journal.Contents c = epochLines();
        if (c.lines().size() > done) {
            ByteBuffer kept = ByteBuffer.allocate(c.lines().stream().limit(done).mapToInt(l -> l.bytes().length + 1).sum());
            c.lines().stream().limit(done).forEach(l -> kept.put(l.bytes()).put((byte) '\n'));
            replace(EPOCHS, kept.array());
            c = epochLines();
        }
        return Journal.append(c);
    }

    /** Whether some journal line was ever set aside by a repair (the run then cannot replay exactly). */
    boolean repaired() {
        return Stream.of(TRIALS, PROPOSALS, EPOCHS).anyMatch(f -> Files.exists(dir.resolve(f + ".rejected")));
    }

    /**
     * {@code nas runs repair}: moves every unreadable journal line (and every trial line that does
     * not fit the run's spec) to FILE.rejected, keeping the rest byte for byte; returns what it
     * did, one line per journal it changed. A torn last line goes to FILE.torn as on resume.
     */
    public List<String> repair() throws InputException, IOException {
        requireWriter();
        knownTrials = null;
        List<String> done = new ArrayList<>();
        for (String name : List.of(TRIALS, PROPOSALS, EPOCHS)) {
            Journal.Contents c = journal(name, name.equals(EPOCHS) ? "epoch" : "id");
            SpecLoader.Checked checked = name.equals(TRIALS) ? spec() : null;
            done.addAll(JournalRepair.repair(c, line -> {
                if (checked == null) {
                    return null;
                }
                try {
                    Trial.fromJson(line.json(), checked.space());
                    return null;
                } catch (IllegalArgumentException e) {
                    return e.getMessage();
                }
            }));
        }
        return done;
    }

    // ---- architecture, report, logs ----

    /** The best (multi-trial) or current (one-shot) architecture, if one was written. */
    public Optional<Architecture> architecture() throws InputException, ArchitectureException {
        Path file = dir.resolve(ARCHITECTURE);
        try {
            return Optional.of(Architectures.read(new String(BoundedFile.read(file, Architectures.MAX_FILE_BYTES, "an architecture file"),
                    StandardCharsets.UTF_8), spec().space()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + IoReason.of(e));
        }
    }

    /** Replaces architecture.json (a writer only). */
    public void writeArchitecture(Architecture architecture) throws IOException {
        requireWriter();
        replace(ARCHITECTURE, Architectures.write(architecture).getBytes(StandardCharsets.UTF_8));
    }

    /** Where the report is written. */
    public Path reportFile() {
        return dir.resolve(REPORT);
    }

    /** Replaces report.html (any process may: the write is atomic). */
    public void writeReport(String html) throws IOException {
        replace(REPORT, html.getBytes(StandardCharsets.UTF_8));
    }

    /** When the run began (run.json written) and when it last finished something, in milliseconds. */
    public long[] startedAndLastWritten() throws IOException {
        long start = Files.getLastModifiedTime(dir.resolve(SETTINGS)).toMillis();
        long last = start;
        for (String f : List.of(TRIALS, EPOCHS, ARCHITECTURE)) {
            if (Files.exists(dir.resolve(f))) {
                last = Math.max(last, Files.getLastModifiedTime(dir.resolve(f)).toMillis());
            }
        }
        return new long[] {start, last};
    }

    /** The log file of worker process {@code k} (made with its folder on first use). */
    public Path workerLog(int k) throws IOException {
        Path logs = dir.resolve(LOGS);
        Files.createDirectories(logs);
        return logs.resolve("worker-" + k + ".log");
    }

    // ---- the one-shot checkpoint ----

    /** The last epoch the checkpoint holds (0: none), after finishing a swap a crash cut short (see {@link RunCheckpoint}). */
    public int checkpointEpoch() throws InputException {
        return checkpoint().epoch(lock != null);
    }

    /** Reads the checkpoint; a damaged one is named, with the way out. */
    public void loadCheckpoint(RunCheckpoint.Reader reader) throws InputException {
        checkpoint().load(reader);
    }

    /** Writes a checkpoint beside the old one, then swaps it in: a crash never leaves half of one (a writer only). */
    public void saveCheckpoint(int epoch, RunCheckpoint.Writer writer) throws IOException {
        requireWriter();
        checkpoint().save(epoch, writer);
    }

    // ---- children a multi-fidelity search may train further (written by the search or its workers) ----

    /** The children's saved states. */
    ChildStates childStates() {
        return new ChildStates(dir.resolve(CHILDREN));
    }

    private RunCheckpoint checkpoint() {
        return new RunCheckpoint(dir.resolve(CHECKPOINT));
    }

    private void requireWriter() {
        if (lock == null) {
            throw new IllegalStateException("a run opened for reading was written to");
        }
    }

    /** Replaces a file of the run in one step (see {@link AtomicFiles#replace}). */
    private void replace(String name, byte[] content) throws IOException {
        AtomicFiles.replace(dir.resolve(name), content);
    }
}

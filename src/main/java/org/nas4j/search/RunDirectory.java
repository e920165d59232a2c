package org.nas4j.search;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.nas4j.space.Architecture;
import org.nas4j.space.ArchitectureException;
import org.nas4j.space.Architectures;
import org.nas4j.space.BoundedFile;
import org.nas4j.space.IoReason;
import org.nas4j.space.Json;
import org.nas4j.spec.Overrides;
import org.nas4j.spec.SpecLoader;
import org.nas4j.spec.YamlReader;
import org.nas4j.train.DataException;

/**
 * A run directory and the only code that reads or writes inside one. Its layout: spec.yaml (the
 * spec as given), run.json ({@link RunSettings}), trials.jsonl, proposals.jsonl and epochs.jsonl
 * (append-only journals, see {@link Journal}), architecture.json (the best or current choice),
 * checkpoint/ (a one-shot supernet), report.html, logs/ (worker processes) and run.lock.
 *
 * <p>A writer ({@link #create}, {@link #resume}) holds an OS lock on run.lock for the life of the
 * process, so a second writer is refused while the first runs, and a killed process's lock goes
 * with it. A reader ({@link #read}: export, report, worker processes) takes no lock. Every file
 * other than the journals is replaced in one step (written under a unique temporary name, forced
 * to disk, then renamed), so a reader or a crash sees the old content or the new, never half.
 */
public final class RunDirectory implements AutoCloseable {
    static final String SPEC = "spec.yaml";
    static final String SETTINGS = "run.json";
    static final String TRIALS = "trials.jsonl";
    static final String PROPOSALS = "proposals.jsonl";
    static final String EPOCHS = "epochs.jsonl";
    static final String ARCHITECTURE = "architecture.json";
    static final String CHECKPOINT = "checkpoint";
    static final String REPORT = "report.html";
    static final String LOGS = "logs";
    static final String LOCK = "run.lock";
    private static final String CHECKPOINT_STATE = "state.json";
    /** run.json is a few hundred bytes; anything near this is not ours. */
    private static final long SETTINGS_BYTES = 1 << 20;

    /** Run directories this process writes to (another channel's close could drop a POSIX lock, so check here first). */
    private static final Set<Path> LOCKED_HERE = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel lock;
    private final Path lockedAs;
    private final Path createdRoot;
    private RunSettings settings;
    private boolean settingsChanged;
    private SpecLoader.Checked checked;

    private RunDirectory(Path dir, FileChannel lock, Path lockedAs, Path createdRoot, RunSettings settings) {
        this.dir = dir;
        this.lock = lock;
        this.lockedAs = lockedAs;
        this.createdRoot = createdRoot;
        this.settings = settings;
    }

    /**
     * Makes a new run in {@code dir} and locks it: {@code dir} must not exist, or be empty. A
     * directory that holds a run, a saved model or anything else is refused untouched, and a
     * start that fails leaves nothing behind.
     */
    public static RunDirectory create(Path dir, byte[] spec, RunSettings settings) throws DataException {
        String foreign = refusal(dir);
        if (foreign != null) {
            throw new DataException(foreign);
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
                throw new DataException("cannot create run directory " + failedPart(dir) + ": " + IoReason.of(e));
            }
        }
        FileChannel lock = null;
        Path lockedAs = null;
        try {
            lockedAs = dir.toRealPath();
            lock = lock(dir, lockedAs);
            if (Files.exists(dir.resolve(SETTINGS))) {
                throw new DataException(dir + " already holds a run; continue it with nas search --resume " + dir);
            }
            RunDirectory run = new RunDirectory(dir, lock, lockedAs, createdRoot, settings);
            run.replace(SPEC, spec);
            // run.json last: its presence is what makes the directory a run.
            run.replace(SETTINGS, settings.toJson().getBytes(StandardCharsets.UTF_8));
            return run;
        } catch (DataException | IOException | RuntimeException e) {
            release(lock, lockedAs);
            undo(dir, createdRoot);
            if (e instanceof DataException d) {
                throw d;
            }
            throw new DataException("cannot write the run directory " + dir + ": "
                    + (e instanceof IOException io ? IoReason.of(io) : e.toString()));
        }
    }

    /** Opens an existing run to continue it, and locks it. */
    public static RunDirectory resume(Path dir) throws DataException {
        requireRun(dir);
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new DataException("cannot open the run directory " + dir + ": " + IoReason.of(e));
        }
        FileChannel lock = lock(dir, real);
        try {
            return new RunDirectory(dir, lock, real, null, readSettings(dir));
        } catch (DataException e) {
            release(lock, real);
            throw e;
        }
    }

    /** Opens an existing run to read it, without locking it (it may be running). */
    public static RunDirectory read(Path dir) throws DataException {
        requireRun(dir);
        return new RunDirectory(dir, null, null, null, readSettings(dir));
    }

    /** Whether {@code dir} holds a run (its run.json). */
    public static boolean holdsRun(Path dir) {
        return Files.isRegularFile(dir.resolve(SETTINGS));
    }

    /** Why a new run may not be made in {@code dir}, or null when it may. */
    private static String refusal(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return dir + " exists and is not a directory; use another --out";
        }
        if (!Files.isDirectory(dir)) {
            return null;
        }
        if (holdsRun(dir)) {
            return dir + " already holds a run; continue it with nas search --resume " + dir + ", or use another --out";
        }
        if (Files.exists(dir.resolve("model.json"))) {
            return dir + " holds a saved model (model.json); use another --out";
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                return dir + " is not empty and holds no nas4j run; use another --out or --resume";
            }
        } catch (IOException e) {
            return "cannot read " + dir + ": " + IoReason.of(e);
        }
        return null;
    }

    private static void requireRun(Path dir) throws DataException {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + (Files.exists(dir) ? " is not a directory" : " does not exist") + "; it is not a search run");
        }
        if (!holdsRun(dir)) {
            throw new DataException(dir + " is not a search run: it has no " + SETTINGS);
        }
    }

    private static RunSettings readSettings(Path dir) throws DataException {
        Path file = dir.resolve(SETTINGS);
        try {
            return RunSettings.parse(file.toString(), new String(BoundedFile.read(file, SETTINGS_BYTES, "a run's settings"),
                    StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + IoReason.of(e));
        }
    }

    /** The deepest existing ancestor's child that could not be made (where "Permission denied" happened). */
    private static Path failedPart(Path dir) {
        Path p = dir.toAbsolutePath().normalize();
        while (p.getParent() != null && !Files.exists(p.getParent())) {
            p = p.getParent();
        }
        return p;
    }

    // ---- the lock ----

    private static FileChannel lock(Path dir, Path real) throws DataException {
        long me = ProcessHandle.current().pid();
        if (!LOCKED_HERE.add(real)) {
            throw new DataException(dir + " is in use by process " + me + " (this one)");
        }
        Path file = dir.resolve(LOCK);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock held;
            try {
                held = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                held = null;
            }
            if (held == null) {
                String owner = owner(file);
                channel.close();
                LOCKED_HERE.remove(real);
                throw new DataException(dir + " is in use by process " + owner + "; wait for it to finish, or stop it first");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return channel;
        } catch (IOException e) {
            LOCKED_HERE.remove(real);
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // Closing a channel that failed to lock: nothing more to undo.
                }
            }
            throw new DataException("cannot lock the run directory " + dir + " (" + LOCK + "): " + IoReason.of(e));
        }
    }

    private static String owner(Path lockFile) {
        try {
            String pid = Files.readString(lockFile, StandardCharsets.UTF_8).trim();
            return pid.matches("\\d+") ? pid : "(unknown)";
        } catch (IOException e) {
            return "(unknown)";
        }
    }

    private static void release(FileChannel lock, Path real) {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                // The OS drops the lock with the process anyway.
            }
            LOCKED_HERE.remove(real);
        }
    }

    /** Removes what a failed start made: the directories it created, or the files it wrote into an empty one. */
    private static void undo(Path dir, Path createdRoot) {
        try {
            if (createdRoot != null) {
                deleteTree(createdRoot);
            } else {
                for (String f : List.of(SETTINGS, SPEC, LOCK)) {
                    Files.deleteIfExists(dir.resolve(f));
                }
            }
        } catch (IOException e) {
            // Best effort: the start already failed with its own message.
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
        release(lock, lockedAs);
        undo(dir, createdRoot);
    }

    @Override
    public void close() {
        release(lock, lockedAs);
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

    /** The run's spec with its overrides, checked once per opening. */
    public SpecLoader.Checked spec() throws DataException {
        if (checked == null) {
            Path file = dir.resolve(SPEC);
            byte[] bytes;
            try {
                bytes = BoundedFile.read(file, YamlReader.MAX_BYTES, "a spec");
            } catch (IOException e) {
                throw new DataException("cannot read " + file + ": " + IoReason.of(e));
            }
            List<Overrides.Override> overrides = new ArrayList<>();
            for (String o : settings.overrides()) {
                try {
                    overrides.add(Overrides.parse(o));
                } catch (RuntimeException e) {
                    throw new DataException(dir.resolve(SETTINGS) + ": override '" + o + "' cannot be read: " + e.getMessage());
                }
            }
            SpecLoader.Checked c = SpecLoader.check(file.toString(), bytes, overrides);
            if (!c.ok()) {
                throw new DataException(file + " no longer validates: " + c.errors().get(0));
            }
            checked = c;
        }
        return checked;
    }

    // ---- journals ----

    /** Reads trials.jsonl. */
    Journal.Contents trialLines() throws DataException {
        return journal(TRIALS, "id");
    }

    /** Reads proposals.jsonl. */
    Journal.Contents proposalLines() throws DataException {
        return journal(PROPOSALS, "id");
    }

    /** Reads epochs.jsonl. */
    Journal.Contents epochLines() throws DataException {
        return journal(EPOCHS, "epoch");
    }

    private Journal.Contents journal(String name, String idField) throws DataException {
        try {
            return Journal.read(dir.resolve(name), idField);
        } catch (IOException e) {
            throw new DataException("cannot read " + dir.resolve(name) + ": " + IoReason.of(e));
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
    public List<Trial> trials() throws DataException {
        Journal.Contents c = trialLines();
        if (!c.bad().isEmpty()) {
            throw new DataException(c.firstProblem() + "; nas runs repair " + dir + " sets unreadable lines aside");
        }
        List<Trial> trials = new ArrayList<>();
        for (Journal.Line line : c.lines()) {
            trials.add(trial(c, line));
        }
        return trials;
    }

    /** A journal line as a trial; a line that does not fit the spec is named by FILE:LINE. */
    Trial trial(Journal.Contents c, Journal.Line line) throws DataException {
        try {
            return Trial.fromJson(line.json(), spec().space());
        } catch (IllegalArgumentException e) {
            throw new DataException(c.file() + ":" + line.number() + ": " + e.getMessage());
        }
    }

    /** The epochs of a one-shot run; unreadable lines stop with FILE:LINE as for trials. */
    public List<com.google.gson.JsonObject> epochs() throws DataException {
        Journal.Contents c = epochLines();
        if (!c.bad().isEmpty()) {
            throw new DataException(c.firstProblem() + "; nas runs repair " + dir + " sets unreadable lines aside");
        }
        return c.entries();
    }

    /**
     * Checks epochs.jsonl before a one-shot run resumes: every line readable, epochs 1, 2, ... in
     * order (unless a repair set lines aside); FILE:LINE otherwise, nothing changed.
     */
    public void checkEpochs() throws DataException {
        Journal.Contents c = epochLines();
        if (!c.bad().isEmpty()) {
            throw new DataException(c.firstProblem() + "; nothing was changed. `nas runs repair " + dir
                    + "` (or --resume with --skip-bad-lines) sets unreadable lines aside in " + EPOCHS + ".rejected");
        }
        for (int i = 0; i < c.lines().size() && !repaired(); i++) {
            int epoch = c.lines().get(i).json().get("epoch").getAsInt();
            if (epoch != i + 1) {
                throw new DataException(c.file() + ":" + c.lines().get(i).number() + ": epoch " + epoch + " where epoch " + (i + 1)
                        + " was expected; was the file edited?");
            }
        }
    }

    /**
     * Opens epochs.jsonl to append the epochs after {@code done} (the checkpoint's): lines of
     * later epochs, which a crash cut off before their checkpoint, are dropped first (those epochs
     * run again), the rest kept byte for byte.
     */
    public Journal appendEpochs(int done) throws DataException, IOException {
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
    public List<String> repair() throws DataException, IOException {
        requireWriter();
        List<String> done = new ArrayList<>();
        for (String name : List.of(TRIALS, PROPOSALS, EPOCHS)) {
            Journal.Contents c = journal(name, name.equals(EPOCHS) ? "epoch" : "id");
            List<Journal.Bad> rejected = new ArrayList<>(c.bad());
            List<Journal.Line> kept = new ArrayList<>();
            for (Journal.Line line : c.lines()) {
                if (name.equals(TRIALS)) {
                    try {
                        Trial.fromJson(line.json(), spec().space());
                    } catch (IllegalArgumentException e) {
                        rejected.add(new Journal.Bad(line.number(), line.bytes(), e.getMessage()));
                        continue;
                    }
                }
                kept.add(line);
            }
            if (!rejected.isEmpty()) {
                Path aside = dir.resolve(name + ".rejected");
                try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)) {
                    for (Journal.Bad b : rejected) {
                        out.write(ByteBuffer.wrap(b.bytes()));
                        out.write(ByteBuffer.wrap(new byte[] {'\n'}));
                    }
                    out.force(true);
                }
                ByteBuffer text = ByteBuffer.allocate(kept.stream().mapToInt(l -> l.bytes().length + 1).sum()
                        + (c.torn() != null ? c.torn().length : 0));
                kept.forEach(l -> text.put(l.bytes()).put((byte) '\n'));
                if (c.torn() != null) {
                    text.put(c.torn());
                }
                replace(name, text.array());
                rejected.sort(java.util.Comparator.comparingInt(Journal.Bad::number));
                done.add(String.format("%s: %d line%s moved to %s (line %s: %s)", dir.resolve(name), rejected.size(),
                        rejected.size() == 1 ? "" : "s", aside.getFileName(), rejected.get(0).number(), rejected.get(0).problem()));
            }
            if (c.torn() != null) {
                try (Journal j = Journal.append(journal(name, name.equals(EPOCHS) ? "epoch" : "id"))) {
                    done.add(dir.resolve(name) + ": its torn last line moved to " + name + ".torn");
                }
            }
        }
        return done;
    }

    // ---- architecture, report, logs ----

    /** The best (multi-trial) or current (one-shot) architecture, if one was written. */
    public Optional<Architecture> architecture() throws DataException, ArchitectureException {
        Path file = dir.resolve(ARCHITECTURE);
        try {
            return Optional.of(Architectures.read(new String(BoundedFile.read(file, Architectures.MAX_FILE_BYTES, "an architecture file"),
                    StandardCharsets.UTF_8), spec().space()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + IoReason.of(e));
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
    Path workerLog(int k) throws IOException {
        Path logs = dir.resolve(LOGS);
        Files.createDirectories(logs);
        return logs.resolve("worker-" + k + ".log");
    }

    // ---- the one-shot checkpoint ----

    /** Writes the files of a checkpoint into the folder it is given. */
    @FunctionalInterface
    public interface CheckpointWriter {
        /** Writes into {@code folder}. */
        void write(Path folder) throws IOException;
    }

    /** Reads a checkpoint's files from the folder it is given. */
    @FunctionalInterface
    public interface CheckpointReader {
        /** Reads from {@code folder}. */
        void read(Path folder) throws IOException;
    }

    /** The last epoch the checkpoint holds (0: none), after finishing a swap a crash cut short. */
    public int checkpointEpoch() throws DataException {
        Path checkpoint = dir.resolve(CHECKPOINT);
        Path previous = dir.resolve(CHECKPOINT + ".old");
        try {
            if (lock != null && !Files.exists(checkpoint) && Files.exists(previous.resolve(CHECKPOINT_STATE))) {
                // A crash between the two renames of saveCheckpoint: the previous checkpoint is whole.
                Files.move(previous, checkpoint, StandardCopyOption.ATOMIC_MOVE);
            }
            Path state = checkpoint.resolve(CHECKPOINT_STATE);
            if (!Files.exists(state)) {
                return 0;
            }
            com.google.gson.JsonElement epoch = Json.parseStrict(Files.readString(state)).getAsJsonObject().get("epoch");
            int e = epoch.getAsInt();
            if (e < 1) {
                throw new IllegalStateException();
            }
            return e;
        } catch (IOException e) {
            throw new DataException("cannot read " + checkpoint.resolve(CHECKPOINT_STATE) + ": " + IoReason.of(e));
        } catch (RuntimeException e) {
            throw new DataException(checkpoint.resolve(CHECKPOINT_STATE) + ": damaged (no whole-number 'epoch' from 1); remove "
                    + checkpoint + " to train the supernet again from the start");
        }
    }

    /** Reads the checkpoint; a damaged one is named, with the way out. */
    public void loadCheckpoint(CheckpointReader reader) throws DataException {
        Path checkpoint = dir.resolve(CHECKPOINT);
        try {
            reader.read(checkpoint);
        } catch (IOException | RuntimeException e) {
            String why = e instanceof java.io.EOFException ? "it ends too early: cut off or damaged"
                    : e.getMessage() != null ? e.getMessage() : "damaged";
            throw new DataException("the checkpoint " + checkpoint + " cannot be read (" + why
                    + "); remove it to train the supernet again from the start");
        }
    }

    /** Writes a checkpoint beside the old one, then swaps it in: a crash never leaves half of one. */
    public void saveCheckpoint(int epoch, CheckpointWriter writer) throws IOException {
        requireWriter();
        Path checkpoint = dir.resolve(CHECKPOINT);
        Path fresh = dir.resolve(CHECKPOINT + ".new");
        Path old = dir.resolve(CHECKPOINT + ".old");
        deleteTree(fresh);
        Files.createDirectories(fresh);
        writer.write(fresh);
        Files.writeString(fresh.resolve(CHECKPOINT_STATE), "{\"epoch\": " + epoch + "}\n");
        try (Stream<Path> files = Files.list(fresh)) {
            for (Path f : files.toList()) {
                force(f);
            }
        }
        deleteTree(old);
        if (Files.exists(checkpoint)) {
            Files.move(checkpoint, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, checkpoint, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
    }

    // ---- writing ----

    private void requireWriter() {
        if (lock == null) {
            throw new IllegalStateException("a run opened for reading was written to");
        }
    }

    /** Replaces a file in one step: a unique temporary file beside it, forced to disk, then renamed over it. */
    private void replace(String name, byte[] content) throws IOException {
        Path target = dir.resolve(name);
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                out.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void force(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
                c.force(true);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.toList();
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(all.get(i));
        }
    }
}

package org.nas4j.search;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.nas4j.space.InputException;
import org.nas4j.space.IoReason;
import org.nas4j.space.Json;

/**
 * A one-shot run's checkpoint/ folder: the supernet's and the algorithm's files (written by them
 * into the folder they are handed) and state.json with the last finished epoch. A new checkpoint
 * is written as checkpoint.new/ and swapped in by two renames; a crash between them is finished
 * on the next resume from checkpoint.old/.
 */
public final class RunCheckpoint {
    private static final String STATE = "state.json";

    private final Path folder;

    RunCheckpoint(Path folder) {
        this.folder = folder;
    }

    /** Writes the files of a checkpoint into the folder it is given. */
    @FunctionalInterface
    public interface Writer {
        /** Writes into {@code folder}. */
        void write(Path folder) throws IOException;
    }

    /** Reads a checkpoint's files from the folder it is given. */
    @FunctionalInterface
    public interface Reader {
        /** Reads from {@code folder}. */
        void read(Path folder) throws IOException;
    }

    /** The last epoch it holds (0: none); a writer ({@code mayRepair}) first finishes a swap a crash cut short. */
    int epoch(boolean mayRepair) throws InputException {
        Path previous = sibling(".old");
        Path state = folder.resolve(STATE);
        try {
            if (mayRepair && !Files.exists(folder) && Files.exists(previous.resolve(STATE))) {
                // A crash between the two renames of save: the previous checkpoint is whole.
                Files.move(previous, folder, StandardCopyOption.ATOMIC_MOVE);
            }
            if (!Files.exists(state)) {
                return 0;
            }
            int e = Json.parseStrict(Files.readString(state)).getAsJsonObject().get("epoch").getAsInt();
            if (e < 1) {
                throw new IllegalStateException();
            }
            return e;
        } catch (IOException e) {
            throw new InputException("cannot read " + state + ": " + IoReason.of(e));
        } catch (RuntimeException e) {
            throw new InputException(state + ": damaged (no whole-number 'epoch' from 1); remove " + folder
                    + " to train the supernet again from the start");
        }
    }

    /** Reads it; a damaged one is named, with the way out. */
    void load(Reader reader) throws InputException {
        try {
            reader.read(folder);
        } catch (IOException | RuntimeException e) {
            String why = e instanceof EOFException ? "it ends too early: cut off or damaged" : e.getMessage() != null ? e.getMessage() : "damaged";
            throw new InputException("the checkpoint " + folder + " cannot be read (" + why + "); remove it to train the supernet again "
                    + "from the start");
        }
    }

    /** Writes a new one beside the old, forced to disk, then swaps it in. */
    void save(int epoch, Writer writer) throws IOException {
        Path fresh = sibling(".new");
        Path old = sibling(".old");
        AtomicFiles.deleteTree(fresh);
        Files.createDirectories(fresh);
        writer.write(fresh);
        Files.writeString(fresh.resolve(STATE), "{\"epoch\": " + epoch + "}\n");
        try (Stream<Path> files = Files.list(fresh)) {
            for (Path f : files.toList()) {
                AtomicFiles.force(f);
            }
        }
        AtomicFiles.deleteTree(old);
        if (Files.exists(folder)) {
            Files.move(folder, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, folder, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.deleteTree(old);
    }

    private Path sibling(String suffix) {
        return folder.resolveSibling(folder.getFileName() + suffix);
    }
}

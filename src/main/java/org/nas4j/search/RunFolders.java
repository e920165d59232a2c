package org.nas4j.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.nas4j.space.IoReason;

/** The folder a new run is to be made in: whether it may be, what to name when it cannot be made, and undoing a failed start. */
final class RunFolders {
    private RunFolders() {
    }

    /** Why a new run may not be made in {@code dir}, or null when it may. */
    static String refusal(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return dir + " exists and is not a directory; use another --out";
        }
        if (!Files.isDirectory(dir)) {
            return null;
        }
        if (RunDirectory.holdsRun(dir)) {
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

    /** The deepest existing ancestor's child that could not be made (where "Permission denied" happened). */
    static Path failedPart(Path dir) {
        Path p = dir.toAbsolutePath().normalize();
        while (p.getParent() != null && !Files.exists(p.getParent())) {
            p = p.getParent();
        }
        return p;
    }

    /** Removes what a failed start made: the directories it created, or the files it wrote into an empty one. */
    static void undo(Path dir, Path createdRoot) {
        try {
            if (createdRoot != null) {
                AtomicFiles.deleteTree(createdRoot);
            } else {
                for (String f : List.of(RunDirectory.SETTINGS, RunDirectory.SPEC, RunDirectory.LOCK)) {
                    Files.deleteIfExists(dir.resolve(f));
                }
            }
        } catch (IOException e) {
            // Best effort: the start already failed with its own message.
        }
    }
}

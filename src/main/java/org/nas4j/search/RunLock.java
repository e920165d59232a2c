package org.nas4j.search;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.nas4j.space.InputException;
import org.nas4j.space.IoReason;

/**
 * The one-writer lock of a run directory: an OS lock on its run.lock, held by an open channel for
 * as long as the writer runs, with the holder's process id in the file for the message another
 * writer gets. The OS drops the lock with its process, so a killed writer never blocks the next.
 */
final class RunLock {
    /** Run directories this process writes to (closing another channel on the file could drop a POSIX lock, so check here first). */
    private static final Set<Path> LOCKED_HERE = ConcurrentHashMap.newKeySet();

    private final FileChannel channel;
    private final Path real;

    private RunLock(FileChannel channel, Path real) {
        this.channel = channel;
        this.real = real;
    }

    /** Locks {@code dir} (whose real path is {@code real}); "DIR is in use by process PID" when another writer holds it. */
    static RunLock acquire(Path dir, Path real) throws InputException {
        long me = ProcessHandle.current().pid();
        if (!LOCKED_HERE.add(real)) {
            throw new InputException(dir + " is in use by process " + me + " (this one)");
        }
        Path file = dir.resolve(RunDirectory.LOCK);
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
                throw new InputException(dir + " is in use by process " + owner + "; wait for it to finish, or stop it first");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new RunLock(channel, real);
        } catch (IOException e) {
            LOCKED_HERE.remove(real);
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // Closing a channel that failed to lock: nothing more to undo.
                }
            }
            throw new InputException("cannot lock the run directory " + dir + " (" + RunDirectory.LOCK + "): " + IoReason.of(e));
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

    /** Gives the lock up. */
    void release() {
        try {
            channel.close();
        } catch (IOException e) {
            // The OS drops the lock with the process anyway.
        }
        LOCKED_HERE.remove(real);
    }
}

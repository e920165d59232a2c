package org.nas4j.search;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import org.nas4j.space.Architecture;
import org.nas4j.space.Json;

/**
 * A run's children/ folder: the state of each child a multi-fidelity strategy may train further
 * (its parameters and optimizer state after its last budget, its validation curve), so a child
 * promoted to a larger budget continues where it stopped. One {@link RunCheckpoint} per child,
 * in a folder named by a digest of its architecture, which it also holds (a digest collision is
 * then a missing state, never a wrong one). Written by whichever process trained the child: the
 * search or one of its workers.
 */
final class ChildStates {
    private static final String CURVE = "curve.json";

    /** A child's saved state: the epochs it was trained, the folder holding its files, and its curve. */
    record Saved(int epochs, Path folder, List<Double> curve) { }

    private final Path root;

    ChildStates(Path root) {
        this.root = root;
    }

    /** The saved state of {@code a}, or null when there is none (or it is unreadable: the child then trains afresh). */
    Saved of(Architecture a) {
        RunCheckpoint c = new RunCheckpoint(folder(a));
        try {
            int epochs = c.epoch(false);
            Path f = folder(a);
            JsonObject o = Json.parseStrict(Files.readString(f.resolve(CURVE), StandardCharsets.UTF_8)).getAsJsonObject();
            if (epochs < 1 || !o.get("architecture").toString().equals(canonical(a))) {
                return null;
            }
            List<Double> curve = new ArrayList<>();
            o.getAsJsonArray("curve").forEach(v -> curve.add(v.getAsDouble()));
            return new Saved(epochs, f, List.copyOf(curve));
        } catch (org.nas4j.space.InputException | IOException | RuntimeException e) {
            return null;
        }
    }

    /** Saves {@code a}'s state after {@code epochs} epochs, replacing its previous one in one step. */
    void save(Architecture a, int epochs, List<Double> curve, RunCheckpoint.Writer writer) throws IOException {
        Files.createDirectories(root);
        new RunCheckpoint(folder(a)).save(epochs, f -> {
            writer.write(f);
            JsonObject o = new JsonObject();
            o.add("architecture", Json.parseStrict(canonical(a)));
            JsonArray c = new JsonArray();
            curve.forEach(c::add);
            o.add("curve", c);
            Files.writeString(f.resolve(CURVE), o + "\n", StandardCharsets.UTF_8);
        });
    }

    /** Deletes {@code a}'s state (it will not train further). */
    void drop(Architecture a) throws IOException {
        AtomicFiles.deleteTree(folder(a));
    }

    /** Deletes every child's state (the search is over). */
    void dropAll() throws IOException {
        AtomicFiles.deleteTree(root);
    }

    private Path folder(Architecture a) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical(a).getBytes(StandardCharsets.UTF_8));
            return root.resolve(HexFormat.of().formatHex(d, 0, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The architecture as JSON with its keys sorted: the same text however its map was built. */
    private static String canonical(Architecture a) {
        return Json.LINE.toJson(new TreeMap<>(a.asMap()));
    }
}

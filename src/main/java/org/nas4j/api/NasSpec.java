package org.nas4j.api;

import ai.djl.nn.Block;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nas4j.search.ChildCounts;
import org.nas4j.space.Architecture;
import org.nas4j.space.Architectures;
import org.nas4j.space.InputException;
import org.nas4j.space.Json;
import org.nas4j.spec.SpecLoader;
import org.nas4j.supernet.SupernetCompiler;

/**
 * A spec, read and checked as {@code nas validate-spec} checks it. Its problems are values, each
 * with its position; the rest of its methods need a spec without problems.
 */
public final class NasSpec {
    private final SpecLoader.Checked checked;
    private final byte[] bytes;
    private ChildCounts counts;

    private NasSpec(SpecLoader.Checked checked, byte[] bytes) {
        this.checked = checked;
        this.bytes = bytes;
    }

    /** Reads and checks a spec file; a file that cannot be read is one problem, at its start. */
    public static NasSpec load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            bytes = new byte[0];
        }
        return new NasSpec(SpecLoader.load(file), bytes);
    }

    /** Checks a spec given as text; {@code name} stands for its file in problems and is where relative paths start. */
    public static NasSpec parse(String name, String yaml) {
        byte[] bytes = yaml.getBytes(StandardCharsets.UTF_8);
        return new NasSpec(SpecLoader.check(name, bytes), bytes);
    }

    /** Whether the spec has no problems. */
    public boolean ok() {
        return checked.ok();
    }

    /** Everything wrong with the spec, in file order (empty when it is fine). */
    public List<Problem> problems() {
        return checked.errors().stream()
                .map(e -> new Problem(e.pos().file(), e.pos().line(), e.pos().column(), e.message(), e.hint())).toList();
    }

    /** The spec's file name (or the name it was parsed under). */
    public String file() {
        return checked.file();
    }

    /** The shape of one input sample (no batch axis). */
    public List<Integer> input() throws NasException {
        return valid().spec().input().dims();
    }

    /** How many classes the model tells apart. */
    public int classes() throws NasException {
        return valid().shapes().outputs().iterator().next().dim(0);
    }

    /** The space's decisions, by key. */
    public List<Decision> decisions() throws NasException {
        return valid().space().decisions().values().stream().map(d -> new Decision(d.key(), d.kind(), d.count())).toList();
    }

    /** How many children the space has. */
    public BigInteger size() throws NasException {
        return valid().space().size();
    }

    /** A new, uninitialised DJL block of the child {@code architecture} (decision key to value, as an architecture file has them). */
    public Block child(Map<String, ?> architecture) throws NasException {
        Architecture arch = architecture(architecture);
        try {
            return SupernetCompiler.child(checked.spec(), arch.asMap());
        } catch (InputException e) {
            throw new NasException(e.getMessage());
        }
    }

    /** The child's trainable parameter count. */
    public long parameters(Map<String, ?> architecture) throws NasException {
        return counts().of(architecture(architecture)).params();
    }

    /** Checks an architecture against the space: every decision given, each value one it can take. */
    Architecture architecture(Map<String, ?> values) throws NasException {
        try {
            return Architectures.read(Json.LINE.toJson(values), valid().space());
        } catch (InputException e) {
            throw new NasException("architecture " + values + ": " + e.getMessage());
        }
    }

    synchronized ChildCounts counts() throws NasException {
        if (counts == null) {
            counts = new ChildCounts(valid().spec());
        }
        return counts;
    }

    /** The checked spec, refusing one with problems. */
    SpecLoader.Checked valid() throws NasException {
        if (!checked.ok()) {
            throw new NasException(file() + " has " + checked.errors().size() + " problem" + (checked.errors().size() == 1 ? "" : "s")
                    + ", the first: " + problems().get(0));
        }
        return checked;
    }

    /** The text of a spec without problems, as read. */
    byte[] bytes() throws NasException {
        valid();
        return bytes;
    }
}

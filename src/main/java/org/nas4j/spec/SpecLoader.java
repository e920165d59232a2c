package org.nas4j.spec;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;
import org.nas4j.space.BoundedFile;
import org.nas4j.space.SearchSpace;
import org.nas4j.space.Suggest;

/** Reads, parses and checks a spec file: the one entry point from a path to a checked spec. */
public final class SpecLoader {
    private SpecLoader() {
    }

    /**
     * What checking a spec found: the spec, its search space and shape summary when it is valid,
     * and every error otherwise.
     */
    public record Checked(String file, Spec spec, SearchSpace space, ShapeChecker.Result shapes, List<SpecError> errors) {
        /** Whether the spec has no error. */
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** Reads and checks a spec file; never throws for bad input: problems are in {@link Checked#errors()}. */
    public static Checked load(Path path) {
        return load(path, List.of());
    }

    /** Reads a spec file, applies {@code --set} overrides, and checks the result. */
    public static Checked load(Path path, List<Overrides.Override> overrides) {
        String file = path.toString();
        byte[] bytes;
        try {
            bytes = BoundedFile.read(path, YamlReader.MAX_BYTES, "a spec");
        } catch (FileSystemException e) {
            return failed(file, e.getReason());
        } catch (IOException | SecurityException e) {
            return failed(file, "cannot read the file: " + e.getMessage());
        }
        return check(file, bytes, overrides);
    }

    /** Checks the bytes of a spec, named {@code file} in messages. */
    public static Checked check(String file, byte[] bytes) {
        return check(file, bytes, List.of());
    }

    /** Checks the bytes of a spec with overrides applied, named {@code file} in messages. */
    public static Checked check(String file, byte[] bytes, List<Overrides.Override> overrides) {
        Diagnostics diag = new Diagnostics();
        YNode root = YamlReader.read(file, bytes, diag);
        if (root != null && !overrides.isEmpty()) {
            root = Overrides.apply(root, overrides, diag);
        }
        if (root == null) {
            return new Checked(file, null, null, null, diag.errors());
        }
        SpecParser.Result parsed = SpecParser.parse(file, root, diag);
        Spec spec = parsed.spec();
        if (spec == null) {
            return new Checked(file, null, null, null, diag.errors());
        }
        SearchSpace space = DecisionCollector.collect(spec.model(), diag);
        if (parsed.modelSound() && spec.model().stream().noneMatch(Node.InvalidNode.class::isInstance)) {
            // A node that could not be read may hold a decision the key rightly names: its own error says why.
            checkTableKey(spec, space, diag);
        }
        // Shapes are checked even when other parts of the file have errors, so that all are shown at once.
        ShapeChecker.Result shapes = parsed.modelSound() ? ShapeChecker.check(spec, diag) : null;
        return new Checked(file, spec, space, diag.hasErrors() ? null : shapes, diag.errors());
    }

    /** A table evaluator's key template may only name decisions of the space. */
    private static void checkTableKey(Spec spec, SearchSpace space, Diagnostics diag) {
        Spec.EvaluatorSpec e = spec.search().evaluator();
        if (e == null || e.key() == null) {
            return;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([^}]*)}").matcher(e.key());
        while (m.find()) {
            if (!space.decisions().containsKey(m.group(1))) {
                diag.error(e.keyPos(), "the table key names {" + m.group(1) + "}, which is not a decision of this spec",
                        Suggest.hint(m.group(1), space.decisions().keySet()));
            }
        }
    }

    private static Checked failed(String file, String message) {
        return new Checked(file, null, null, null, List.of(new SpecError(Pos.start(file), message, null)));
    }
}

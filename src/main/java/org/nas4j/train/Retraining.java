package org.nas4j.train;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.nas4j.space.Architecture;
import org.nas4j.space.Architectures;
import org.nas4j.space.InputException;
import org.nas4j.spec.Diagnostics;
import org.nas4j.spec.ShapeChecker;
import org.nas4j.spec.Spec;
import org.nas4j.spec.SpecLoader;
import org.nas4j.supernet.CompileException;
import org.nas4j.supernet.GraphBlock;
import org.nas4j.supernet.SupernetCompiler;

/**
 * {@code nas retrain}'s work: builds the child an architecture selects, trains it on all the
 * training data, tests it, and saves it; and {@code nas evaluate}'s: reloads a saved child and
 * tests it again.
 */
public final class Retraining {
    private Retraining() {
    }

    /** What retraining ended with. */
    public record Outcome(Path dir, long parameters, ChildTraining.Result training, double testAccuracy) { }

    /**
     * Trains and saves the child. {@code checked} is a valid spec, {@code architecture} already read
     * against its space; {@code specBytes} are saved beside the model with {@code overrides}.
     */
    public static Outcome retrain(SpecLoader.Checked checked, byte[] specBytes, List<String> overrides,
                                  Architecture architecture, int epochs, long seed, String device, Path out,
                                  Progress progress, PrintWriter log)
            throws InputException, CompileException, IOException, ChildTraining.DivergedException {
        Spec spec = checked.spec();
        Engines.seed(seed);
        var dev = Engines.device(device);
        ShapeChecker.Child child = ShapeChecker.child(spec, architecture.asMap(), new Diagnostics());
        GraphBlock block = SupernetCompiler.child(spec, architecture.asMap());
        int classes = child.output().dim(0);
        // Retraining uses all the training data: validation is only for searching.
        Spec.DataSpec data = spec.data().withValidation(null);
        try (Model model = Model.newInstance(SavedChild.MODEL_NAME, dev); NDManager manager = NDManager.newBaseManager(dev)) {
            Datasets.Splits splits = Datasets.load(data, spec.input(), classes, 0, seed, manager);
            model.setBlock(block);
            log.printf(Locale.ROOT, "child of %s: %,d parameters; %s: %,d training and %,d test samples%n", spec.name(),
                    child.params(), spec.data().dataset(), splits.trainSize(), splits.testSize());
            if (splits.note() != null) {
                log.println(splits.note());
            }
            ChildTraining.Result result = ChildTraining.train(model, spec.training(), epochs, splits, spec.data().batchSize(),
                    spec.input(), progress);
            long counted = SupernetCompiler.trainableParameters(block);
            if (counted != child.params()) {
                // A bug, not bad input; the trained model is still saved rather than lost.
                log.printf("warning: the built child has %d parameters, validate-spec counts %d (please report it)%n", counted,
                        child.params());
            }
            double test = ChildTraining.accuracy(model, splits.test(), manager);
            Files.createDirectories(out);
            model.save(out, SavedChild.MODEL_NAME);
            SavedChild.write(out, specBytes, Architectures.write(architecture), new SavedChild.Info(spec.file(), overrides,
                    counted, epochs, seed, spec.data().dataset(), result.loss(), result.accuracy(), test, splits.testSize(),
                    splits.normalization()));
            return new Outcome(out, counted, result, test);
        }
    }

    /** Reloads a saved child and measures its test accuracy again, on {@code device} (null: its spec's training.device, else cpu). */
    public static double evaluate(Path dir, String device) throws InputException, CompileException, IOException {
        SavedChild.Info info = SavedChild.info(dir);
        byte[] specBytes = Files.readAllBytes(dir.resolve("spec.yaml"));
        SpecLoader.Checked checked = SpecLoader.check(dir.resolve("spec.yaml").toString(), specBytes,
                info.overrides().stream().map(org.nas4j.spec.Overrides::parse).toList());
        if (!checked.ok()) {
            throw new InputException(dir + "/spec.yaml no longer validates: " + checked.errors().get(0));
        }
        Architecture architecture;
        try {
            architecture = Architectures.read(Files.readString(dir.resolve("architecture.json")), checked.space());
        } catch (org.nas4j.space.ArchitectureException e) {
            throw new InputException(dir + "/architecture.json: " + e.getMessage());
        }
        Engines.seed(info.seed());
        var dev = Engines.device(device != null ? device : checked.spec().training().device());
        GraphBlock block = SupernetCompiler.child(checked.spec(), architecture.asMap());
        ShapeChecker.Child child = ShapeChecker.child(checked.spec(), architecture.asMap(), new Diagnostics());
        Spec.DataSpec data = checked.spec().data();
        try (Model model = Model.newInstance(SavedChild.MODEL_NAME, dev); NDManager manager = NDManager.newBaseManager(dev)) {
            model.setBlock(block);
            try {
                model.load(dir, SavedChild.MODEL_NAME);
            } catch (ai.djl.MalformedModelException e) {
                throw new InputException(dir + ": the saved parameters do not fit the child: " + e.getMessage());
            }
            Datasets.Splits splits = Datasets.load(data.withValidation(null),
                    checked.spec().input(), child.output().dim(0), 0, info.seed(), manager);
            return ChildTraining.accuracy(model, splits.test(), manager);
        }
    }
}

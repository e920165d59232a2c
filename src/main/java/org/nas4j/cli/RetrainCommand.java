package org.nas4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nas4j.report.ProgressLine;
import org.nas4j.report.SpecSummary;
import org.nas4j.search.RunDirectory;
import org.nas4j.space.Architecture;
import org.nas4j.space.ArchitectureException;
import org.nas4j.space.Architectures;
import org.nas4j.space.InputException;
import org.nas4j.space.IoReason;
import org.nas4j.spec.Overrides;
import org.nas4j.spec.SpecLoader;
import org.nas4j.train.ChildTraining;
import org.nas4j.train.Retraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code nas retrain}: trains the child an architecture file selects, tests it, saves it. */
@Command(name = "retrain", mixinStandardHelpOptions = true,
        description = {"Build the child that an architecture file selects (only its chosen candidates), train it on all "
                + "the training data as the spec's training section says, test it, and save it with DJL (Model.save) beside "
                + "the architecture and the spec. `nas evaluate --model DIR` reloads it."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:trained and saved", "1:invalid spec, architecture or data, or training failed", "2:usage error"})
public final class RetrainCommand implements Callable<Integer> {
    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The spec (YAML).")
    private Path spec;

    @Option(names = "--arch", required = true, paramLabel = "FILE",
            description = "The architecture (JSON; nas4j's flat form or NNI's one-hot/index forms).")
    private Path arch;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: the spec's training.epochs).")
    private Integer epochs;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to save the model (default: models/<spec>-<time>).")
    private Path outDir;

    @Option(names = "--force", description = "Write into --out even if it already holds a saved model or other files "
            + "(never into a search run's directory).")
    private boolean force;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @CommandLine.Mixin
    private PluginOption plugins;

    @CommandLine.Mixin
    private ThreadsOption threads;

    @CommandLine.Mixin
    private DeviceOption device;

    @CommandLine.Mixin
    private OverrideOptions overrides;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec self;

    @Override
    public Integer call() {
        PrintWriter out = self.commandLine().getOut();
        PrintWriter err = self.commandLine().getErr();
        if (epochs != null && epochs < 1) {
            throw new CommandLine.ParameterException(self.commandLine(), "--epochs must be at least 1, got " + epochs);
        }
        threads.apply();
        SpecLoader.Checked checked = SpecLoader.load(spec, overrides.overrides());
        if (!checked.ok()) {
            SpecSummary.errors(checked, err);
            return 1;
        }
        try {
            Architecture architecture = Architectures.read(arch, checked.space());
            Path dir = outDir != null ? outDir : Path.of("models", checked.spec().name() + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
            String refusal = refusal(dir);
            if (refusal != null) {
                err.println("nas retrain: " + refusal);
                return 1;
            }
            Retraining.Outcome o = Retraining.retrain(checked, Files.readAllBytes(spec),
                    overrides.overrides().stream().map(Overrides.Override::text).toList(), architecture,
                    epochs != null ? epochs : checked.spec().training().epochs(), seed, device.or(checked.spec().training().device()), dir,
                    new ProgressLine(out, ProgressLine.onTerminal()), out);
            out.printf(Locale.ROOT, "test accuracy %.4f; saved to %s%n", o.testAccuracy(), o.dir());
            return 0;
        } catch (NoSuchFileException e) {
            err.println(arch + ": no such file");
        } catch (ArchitectureException e) {
            e.problems().forEach(p -> err.println(arch + ": " + p));
        } catch (InputException | ChildTraining.DivergedException e) {
            err.println("nas retrain: " + IoReason.describe(e));
        } catch (IOException e) {
            err.println("nas retrain: " + IoReason.describe(e));
        }
        return 1;
    }

    /** Why the model may not be saved in {@code dir} (checked before training, so no work is lost), or null. */
    private String refusal(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return dir + " exists and is not a directory; use another --out";
        }
        if (!Files.isDirectory(dir)) {
            return null;
        }
        if (RunDirectory.holdsRun(dir)) {
            return dir + " is a search run's directory; saving a model there would overwrite its spec.yaml and architecture.json: "
                    + "use another --out";
        }
        if (force) {
            return null;
        }
        if (Files.exists(dir.resolve("model.json"))) {
            return dir + " already holds a saved model; use another --out, or --force to replace it";
        }
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                return dir + " is not empty; use another --out, or --force to write into it";
            }
        } catch (IOException e) {
            return "cannot read " + dir + ": " + org.nas4j.space.IoReason.of(e);
        }
        return null;
    }
}

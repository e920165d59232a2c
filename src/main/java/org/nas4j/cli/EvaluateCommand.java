package org.nas4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nas4j.space.InputException;
import org.nas4j.space.IoReason;
import org.nas4j.train.Retraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code nas evaluate}: reloads a child saved by retrain and reports its test accuracy. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Reload a child saved by `nas retrain` (its parameters, architecture and spec) and report its test accuracy.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:evaluated", "1:not a saved model, or its data is missing", "2:usage error"})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A directory written by nas retrain --out.")
    private Path model;

    @CommandLine.Mixin
    private PluginOption plugins;

    @CommandLine.Mixin
    private ThreadsOption threads;

    @CommandLine.Mixin
    private DeviceOption device;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec self;

    @Override
    public Integer call() {
        threads.apply();
        try {
            double accuracy = Retraining.evaluate(model, device.given() ? device.or(null) : null);
            self.commandLine().getOut().printf(Locale.ROOT, "test accuracy %.4f%n", accuracy);
            return 0;
        } catch (InputException | IOException e) {
            self.commandLine().getErr().println("nas evaluate: " + IoReason.describe(e));
            return 1;
        }
    }
}

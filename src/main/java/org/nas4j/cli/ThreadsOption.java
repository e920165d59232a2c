package org.nas4j.cli;

import org.nas4j.train.Engines;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The {@code --threads N} option of every command that runs the engine. */
public final class ThreadsOption {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    private CommandLine.Model.CommandSpec command;

    private Integer threads;

    /** Takes --threads N; fewer than 1 is a usage error. */
    @Option(names = "--threads", paramLabel = "N", description = "Engine threads (default: DJL's).")
    void threads(int n) {
        if (n < 1) {
            throw new CommandLine.ParameterException(command.commandLine(), "--threads must be at least 1, got " + n);
        }
        threads = n;
    }

    /** The threads asked for, or null for DJL's default. */
    public Integer threads() {
        return threads;
    }

    /** Sets the engine's threads; call before anything touches the engine. */
    public void apply() {
        Engines.threads(threads);
    }
}

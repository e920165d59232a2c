package org.nas4j.cli;

import org.nas4j.train.Engines;
import picocli.CommandLine.Option;

/** The {@code --threads N} option of every command that runs the engine. */
public final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "Engine threads (default: DJL's).")
    private Integer threads;

    /** The threads asked for, or null for DJL's default. */
    public Integer threads() {
        return threads;
    }

    /** Sets the engine's threads; call before anything touches the engine. */
    public void apply() {
        Engines.threads(threads);
    }
}

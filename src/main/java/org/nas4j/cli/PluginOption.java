package org.nas4j.cli;

import java.nio.file.Path;
import org.nas4j.search.Plugins;
import org.nas4j.space.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The {@code --plugin JAR} option of every command that reads a spec: the jar's dataset kinds and evaluators join nas4j's. */
public final class PluginOption {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    private CommandLine.Model.CommandSpec command;

    /** Loads the jar as soon as it is given, so the spec is read with what it adds; a bad jar is a usage error naming it. */
    @Option(names = "--plugin", paramLabel = "JAR", description = "A plug-in jar adding dataset kinds or evaluator types (repeatable; "
            + "also NAS4J_PLUGINS, a list separated by ':'). Worker processes load it too. See docs/api.md.")
    void plugin(Path jar) {
        try {
            Plugins.install(java.util.List.of(jar));
        } catch (InputException e) {
            throw new CommandLine.ParameterException(command.commandLine(), e.getMessage());
        }
    }
}

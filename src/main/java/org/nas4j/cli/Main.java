package org.nas4j.cli;

import java.io.PrintWriter;
import org.nas4j.search.Plugins;
import org.nas4j.space.InputException;
import org.nas4j.train.Engines;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code nas} command: neural architecture search from a YAML spec. */
@Command(name = "nas", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Neural architecture search for the JVM: a YAML spec describes a model and where it may vary.",
        subcommands = {ValidateSpecCommand.class, SpaceCommand.class, SearchCommand.class, ExportCommand.class,
            RetrainCommand.class, EvaluateCommand.class, StrategiesCommand.class, ReportCommand.class, RunsCommand.class, DoctorCommand.class,
            AutoComplete.GenerateCompletion.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 invalid input or a failed run, 2 usage error.",
                "Docs: docs/spec.md (the spec format), docs/gpu.md (GPUs; `nas doctor` checks a machine)."})
public final class Main implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec self;

    /** Runs the CLI and exits with its exit code. */
    public static void main(String[] args) {
        // Which libtorch the engine loads (NAS4J_LIBTORCH), before anything touches it.
        Engines.select(System.getenv());
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code;
        try {
            Plugins.installFromEnvironment(System.getenv());
            code = run(args, out, err);
        } catch (InputException e) {
            err.println("nas: " + e.getMessage());
            code = 1;
        }
        // Auto-flush covers println only: what a command print()s (nas export's JSON) must not be lost at exit.
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the CLI with the given streams and returns its exit code (for tests and embedding). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, args2) -> {
            // The error and where to read more: the whole help would bury the one line that matters.
            CommandLine c = e.getCommandLine();
            err.println(c.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("see " + c.getCommandSpec().qualifiedName() + " --help");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (causedBy(e, ai.djl.engine.EngineException.class) || causedBy(e, LinkageError.class)) {
                // The native engine could not load where a command touched it first: the machine's setup, not a bug.
                err.println("nas: " + Engines.loadFailure(e));
                return 1;
            }
            // Bad input never gets here (commands report it themselves); this is a bug in nas4j.
            err.println("nas: internal error: " + e + " (please report it with the command you ran)");
            if (System.getenv("NAS_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return 1;
        });
        try {
            return cli.execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) {
            err.println("nas: internal error: " + e + " (please report it with the command you ran)");
            return 1;
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> kind) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (kind.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(self.commandLine(), "a command is required");
    }

    /** The version, from the jar's manifest when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"nas4j " + (v == null ? "(development build)" : v)};
        }
    }
}

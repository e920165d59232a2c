package org.nas4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nas4j.search.RunDirectory;
import org.nas4j.space.InputException;
import org.nas4j.space.IoReason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code nas runs}: looking after run directories. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Look after run directories.",
        subcommands = {RunsCommand.Repair.class})
public final class RunsCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec self;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(self.commandLine(), "a subcommand is required: repair");
    }

    /** {@code nas runs repair DIR}: sets unreadable journal lines aside so the run can resume. */
    @Command(name = "repair", mixinStandardHelpOptions = true,
            description = {"Move every unreadable line of a run's journals (trials.jsonl, proposals.jsonl, epochs.jsonl: blank, not "
                    + "JSON, a duplicated id, a trial that does not fit the run's spec) to FILE.rejected, keeping every other line "
                    + "byte for byte, and a torn last line to FILE.torn; then `nas search --resume DIR` continues. The finished trials "
                    + "are taught to the strategy as they are (a repaired run no longer replays exactly)."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:repaired, or nothing to repair", "1:not a run, in use, or cannot be written", "2:usage error"})
    static final class Repair implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The run directory.")
        private Path dir;

        @CommandLine.Spec
        private CommandLine.Model.CommandSpec self;

        @Override
        public Integer call() {
            PrintWriter out = self.commandLine().getOut();
            try (RunDirectory run = RunDirectory.resume(dir)) {
                List<String> done = run.repair();
                if (done.isEmpty()) {
                    out.println(dir + ": every journal line is readable; nothing to repair");
                } else {
                    done.forEach(out::println);
                    out.println("continue with nas search --resume " + dir);
                }
                return 0;
            } catch (InputException | IOException e) {
                self.commandLine().getErr().println("nas runs repair: " + IoReason.describe(e));
                return 1;
            }
        }
    }
}

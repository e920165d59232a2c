package org.nas4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nas4j.report.RunReport;
import org.nas4j.search.RunDirectory;
import org.nas4j.space.InputException;
import org.nas4j.space.IoReason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code nas report}: the HTML report of a run directory. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the report of a search run (finished or not) as one self-contained HTML file: settings, best score "
                + "against trials or epochs, score against parameters, DARTS's probabilities per epoch, the chosen architecture "
                + "drawn, and a sortable table of trials. nas search writes DIR/report.html itself as it goes.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "1:not a run, or the file could not be written", "2:usage error"})
public final class ReportCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "DIR", description = "A run directory of nas search.")
    private Path run;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write it (default: DIR/report.html).")
    private Path out;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec self;

    @Override
    public Integer call() {
        try {
            RunDirectory dir = RunDirectory.read(run);
            Path file;
            if (out == null) {
                RunReport.write(dir);
                file = dir.reportFile();
            } else {
                file = out;
                String html = RunReport.render(dir);
                try {
                    Files.writeString(out, html);
                } catch (IOException e) {
                    throw new InputException("cannot write " + out + ": " + IoReason.of(e));
                }
            }
            self.commandLine().getOut().println("wrote " + file);
            return 0;
        } catch (InputException | IOException e) {
            self.commandLine().getErr().println("nas report: " + IoReason.describe(e));
            return 1;
        }
    }
}

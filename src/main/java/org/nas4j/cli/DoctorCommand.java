package org.nas4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.nas4j.train.EngineReport;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code nas doctor}: what this machine gives nas4j (engine, libraries, devices, threads, data). */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Report the engine nas4j runs (PyTorch's version and flavor, cpu or cuNNN), where its libraries come from "
                + "(the bundled CPU build, or NAS4J_LIBTORCH), the devices it sees, its threads, and the data directory. "
                + "Run it first on a new machine, and when --device gpu is refused."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the engine loads", "1:the engine does not load (the report says why)"})
public final class DoctorCommand implements Callable<Integer> {
    @CommandLine.Mixin
    private ThreadsOption threads;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec self;

    @Override
    public Integer call() {
        threads.apply();
        PrintWriter out = self.commandLine().getOut();
        EngineReport.Report report = EngineReport.gather(System.getenv());
        for (EngineReport.Line line : report.lines()) {
            out.printf("%-10s %s%n", line.label(), line.value());
        }
        return report.engineLoaded() ? 0 : 1;
    }
}

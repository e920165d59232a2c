package org.nas4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nas4j.report.SpaceTree;
import org.nas4j.report.SpecSummary;
import org.nas4j.report.SupernetDot;
import org.nas4j.space.IoReason;
import org.nas4j.spec.SpecLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code nas space}: a spec's decisions as a tree, and a picture of its supernet. */
@Command(name = "space", mixinStandardHelpOptions = true,
        description = {"Print a spec's decisions as a tree (keys split at '/', so a shared scope's decisions sit together).",
                "--dot writes the supernet as a Graphviz graph: ops as boxes, layer choices as clusters of their candidates, "
                        + "input choices as diamonds, block uses as clusters; decisions shared by several nodes share a colour.",
                "--svg renders that graph with Graphviz's dot, which must be installed (apt-get install graphviz)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:invalid spec, or a file could not be written", "2:usage error"})
public final class SpaceCommand implements Callable<Integer> {
    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The spec (YAML).")
    private Path spec;

    @Option(names = "--dot", paramLabel = "FILE", description = "Write the supernet as Graphviz DOT.")
    private Path dot;

    @Option(names = "--svg", paramLabel = "FILE", description = "Write the supernet as SVG (with Graphviz's dot when installed, else drawn by nas4j).")
    private Path svg;

    @CommandLine.Mixin
    private PluginOption plugins;

    @CommandLine.Mixin
    private OverrideOptions overrides;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec self;

    @Override
    public Integer call() {
        PrintWriter out = self.commandLine().getOut();
        PrintWriter err = self.commandLine().getErr();
        SpecLoader.Checked c = SpecLoader.load(spec, overrides.overrides());
        if (!c.ok()) {
            SpecSummary.errors(c, err);
            return 1;
        }
        SpaceTree.write(c.spec().name(), c.space(), out);
        StringWriter graph = new StringWriter();
        SupernetDot.write(c.spec(), c.space(), new PrintWriter(graph));
        try {
            if (dot != null) {
                Files.writeString(dot, graph.toString(), StandardCharsets.UTF_8);
                out.println("wrote " + dot);
            }
            if (svg != null) {
                String problem = Graphviz.render(graph.toString(), svg);
                if (problem != null) {
                    // Without Graphviz: the report's own layered drawing.
                    Files.writeString(svg, org.nas4j.report.GraphSvg.render(c.spec(), null, null), StandardCharsets.UTF_8);
                    out.println("wrote " + svg + " (drawn by nas4j: " + problem.replaceFirst(":.*", "") + ")");
                } else {
                    out.println("wrote " + svg);
                }
            }
        } catch (IOException e) {
            err.println("nas space: cannot write " + IoReason.describe(e));
            return 1;
        }
        return 0;
    }
}

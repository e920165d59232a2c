package org.nas4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nas4j.report.SpecSummary;
import org.nas4j.search.Preflight;
import org.nas4j.spec.SpecLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code nas validate-spec}: checks specs without training and describes their search spaces. */
@Command(name = "validate-spec", mixinStandardHelpOptions = true,
        description = {"Parse, check and shape-infer every spec without training anything.",
                "Prints each spec's search space: keys, candidates, sharing nodes, space size, and the "
                        + "parameter counts of the smallest and largest child. Errors are printed as FILE:LINE:COL: message."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every spec is valid", "1:a spec has errors", "2:usage error"})
public final class ValidateSpecCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Spec files (YAML).")
    private List<Path> files;

    @Option(names = "--json", description = "Print one JSON array describing every spec (errors included) instead of text.")
    private boolean json;

    @CommandLine.Mixin
    private PluginOption plugins;

    @CommandLine.Mixin
    private OverrideOptions overrides;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec self;

    @Override
    public Integer call() {
        List<SpecLoader.Checked> checked = new ArrayList<>();
        for (Path file : files) {
            checked.add(SpecLoader.load(file, overrides.overrides()));
        }
        var out = self.commandLine().getOut();
        var err = self.commandLine().getErr();
        if (json) {
            SpecSummary.json(checked, out);
        } else {
            for (SpecLoader.Checked c : checked) {
                if (c.ok()) {
                    SpecSummary.text(c, out);
                } else {
                    SpecSummary.errors(c, err);
                }
            }
        }
        // What would stop `nas search` on the spec as it stands (its own strategy and options, constraints,
        // supernet) is an error here too; a table or data file missing on this machine is a note (the spec is fine).
        boolean searchable = true;
        for (SpecLoader.Checked c : checked) {
            if (c.ok()) {
                String strategy = c.spec().search().strategy() != null ? c.spec().search().strategy() : "random";
                Preflight.Problems problems = Preflight.problems(c, c.file(), strategy, c.spec().search().options());
                problems.spec().forEach(p -> err.println(c.file() + ": " + p));
                problems.files().forEach(p -> err.println(c.file() + ": note: nas search would stop here: " + p));
                searchable &= problems.spec().isEmpty();
            }
        }
        out.flush();
        err.flush();
        return checked.stream().allMatch(SpecLoader.Checked::ok) && searchable ? 0 : 1;
    }
}

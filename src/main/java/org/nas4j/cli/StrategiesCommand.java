package org.nas4j.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nas4j.search.Strategies;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nas strategies}: the search strategies of this build, with their options and defaults. */
@Command(name = "strategies", mixinStandardHelpOptions = true,
        description = "List the search strategies this build runs, with their options and defaults "
                + "(set them in the spec's search.options or with nas search --option K=V).")
public final class StrategiesCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec self;

    @Override
    public Integer call() {
        var out = self.commandLine().getOut();
        List<String> all = new java.util.ArrayList<>(Strategies.MULTI_TRIAL);
        all.addAll(Strategies.ONE_SHOT);
        for (String name : all) {
            Map<String, String> options = Strategies.OPTIONS.get(name);
            StringBuilder line = new StringBuilder(String.format("%-15s %-11s", name, Strategies.ONE_SHOT.contains(name) ? "one-shot" : "multi-trial"));
            if (!options.isEmpty()) {
                line.append("  options:");
                options.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
            }
            out.println(line);
        }
        return 0;
    }
}

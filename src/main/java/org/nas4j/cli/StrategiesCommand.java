package org.nas4j.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.nas4j.search.Strategies;
import org.nas4j.search.StrategyInfo;
import org.nas4j.search.StrategyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code nas strategies}: the search strategies of this build, with their options and defaults. */
@Command(name = "strategies", mixinStandardHelpOptions = true,
        description = "List the search strategies this build runs, with their options, types and defaults "
                + "(set them in the spec's search.options or with nas search --option K=V).")
public final class StrategiesCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec self;

    @Override
    public Integer call() {
        var out = self.commandLine().getOut();
        for (StrategyInfo s : Strategies.ALL) {
            out.printf(Locale.ROOT, "%-15s %-11s  %s%n", s.name(), s.oneShot() ? "one-shot" : "multi-trial", s.summary());
            for (StrategyOption o : s.options()) {
                out.printf(Locale.ROOT, "    %-34s %s%n", o.name() + "=" + o.dflt() + " (" + type(o) + ")", o.help());
            }
        }
        return 0;
    }

    private static String type(StrategyOption o) {
        return switch (o.type()) {
            case WHOLE -> o.max() == Integer.MAX_VALUE ? "whole >= " + o.min() : "whole " + o.min() + ".." + o.max();
            case NUMBER -> "number >= 0";
            case FRACTION -> "in (0, 1)";
            case FLAG -> "true|false";
        };
    }
}

package org.nas4j.search;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What nas4j knows about a strategy before running it: its name, whether it trains one supernet
 * (one-shot) or one model per trial, a summary, its options, a check across options, and its
 * default budget. The single source for {@code nas strategies}, option parsing, validate-spec and
 * docs/search.md.
 *
 * @param name          the name given to --strategy
 * @param oneShot       whether it trains one supernet instead of one model per trial
 * @param summary       one line on what it does
 * @param options       its options, in the order they are listed
 * @param check         a check across options (evolution's sample at most its population); throws IllegalArgumentException
 * @param defaultTrials trials (or paths scored) when neither --trials nor search.trials says; -1: the whole space; 0: none
 */
public record StrategyInfo(String name, boolean oneShot, String summary, List<StrategyOption> options, Consumer<StrategyOptions> check,
                           int defaultTrials) {

    /** A strategy whose options need no check across them. */
    public StrategyInfo(String name, boolean oneShot, String summary, List<StrategyOption> options, int defaultTrials) {
        this(name, oneShot, summary, options, o -> { }, defaultTrials);
    }

    /** The option of that name, or null. */
    public StrategyOption option(String name) {
        return options.stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
    }

    /** Parses option values given as text; an IllegalArgumentException (for users) on an unknown option or a bad value. */
    public StrategyOptions parse(Map<String, String> given) {
        return StrategyOptions.parse(this, given);
    }

    /** Whether the strategy gives each trial its budget (hyperband, asha, bohb: they take a max-budget). */
    public boolean multiFidelity() {
        return option("max-budget") != null;
    }

    /** Whether the strategy scores paths or trials at all (darts and proxyless read their choice off the weights). */
    public boolean hasTrials() {
        return defaultTrials != 0;
    }

    /**
     * The trials of a run: {@code asked} (--trials, else search.trials) or the default; one-shot
     * strategies score no more paths than the space holds.
     */
    public int trials(Integer asked, BigInteger spaceSize) {
        if (!hasTrials()) {
            return 0;
        }
        int whole = spaceSize.min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
        int n = asked != null ? asked : defaultTrials < 0 ? whole : defaultTrials;
        return oneShot ? Math.min(n, whole) : n;
    }
}

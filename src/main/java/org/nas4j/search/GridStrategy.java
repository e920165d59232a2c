package org.nas4j.search;

import java.math.BigInteger;
import java.util.List;
import java.util.function.Predicate;
import org.nas4j.space.Architecture;
import org.nas4j.space.Sampler;
import org.nas4j.space.SearchSpace;

/** Every admissible architecture once, in a stable order (decisions by key, values as listed). */
final class GridStrategy implements Strategy {
    /** Its description. */
    static final StrategyInfo INFO = new StrategyInfo("grid", false, "every architecture once, in a stable order", List.of(), -1);

    private final Sampler sampler;
    private final BigInteger size;
    private final Predicate<Architecture> admissible;
    private BigInteger next = BigInteger.ZERO;

    GridStrategy(SearchSpace space, Predicate<Architecture> admissible) {
        this.sampler = new Sampler(space);
        this.size = space.size();
        this.admissible = admissible;
    }

    @Override
    public Architecture propose() {
        while (next.compareTo(size) < 0) {
            Architecture arch = sampler.at(next);
            next = next.add(BigInteger.ONE);
            if (admissible.test(arch)) {
                return arch;
            }
        }
        return null;
    }

    @Override
    public void report(Architecture architecture, double score) {
    }
}

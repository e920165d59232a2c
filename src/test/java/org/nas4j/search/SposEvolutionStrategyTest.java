package org.nas4j.search;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.nas4j.space.Architecture;
import org.nas4j.space.Decision;
import org.nas4j.space.SearchSpace;

/** SPOS's evolution over paths proposes every path of a small space before it says none is left. */
class SposEvolutionStrategyTest {

    /** Four layer choices of three candidates: 81 paths. */
    private static SearchSpace space() {
        TreeMap<String, Decision> d = new TreeMap<>();
        for (String key : List.of("l1", "l2", "l3", "l4")) {
            d.put(key, new Decision.LayerChoice(key, List.of("a", "b", "c"), List.of(key)));
        }
        return new SearchSpace(d);
    }

    @Test
    void proposesEveryPathOnceThenNothing() {
        SposEvolutionStrategy spos = new SposEvolutionStrategy(space(), 7, a -> true, 10, 5, 0.1, true);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 81; i++) {
            Architecture arch = spos.propose();
            assertNotNull(arch, "ran dry after " + i + " of 81 paths");
            assertTrue(seen.add(arch.toString()), "proposed twice: " + arch);
            // Scores that favour one corner, so that breeding keeps landing on paths already scored.
            spos.report(arch, arch.asMap().values().stream().filter("a"::equals).count());
        }
        assertNull(spos.propose());
    }

    @Test
    void withoutDedupItNeverRunsDry() {
        SposEvolutionStrategy spos = new SposEvolutionStrategy(space(), 7, a -> true, 10, 5, 0.1, false);
        for (int i = 0; i < 200; i++) {
            Architecture arch = spos.propose();
            assertNotNull(arch);
            spos.report(arch, 0.5);
        }
    }
}

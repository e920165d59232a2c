package org.nas4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.nas4j.space.Decision;
import org.nas4j.space.SearchSpace;
import org.nas4j.spec.Spec;

/** The strategy registry: one description per strategy, typed options parsed once. */
class StrategiesTest {

    @Test
    void theSpecAcceptsExactlyTheRegisteredStrategies() {
        assertEquals(Strategies.ALL.stream().map(StrategyInfo::name).sorted().toList(),
                Spec.SearchSpec.STRATEGIES.stream().sorted().toList());
    }

    @Test
    void everyDefaultParsesAndEveryMultiTrialStrategyProposes() {
        TreeMap<String, Decision> d = new TreeMap<>();
        d.put("a", new Decision.LayerChoice("a", List.of("x", "y", "z"), List.of("a")));
        SearchSpace space = new SearchSpace(d);
        for (StrategyInfo info : Strategies.ALL) {
            StrategyOptions o = info.parse(Map.of());
            for (StrategyOption option : info.options()) {
                assertEquals(option.parse(option.dflt()), switch (option.type()) {
                    case WHOLE -> o.whole(option.name());
                    case FLAG -> o.flag(option.name());
                    default -> o.number(option.name());
                }, info.name() + " " + option.name());
            }
            if (!info.oneShot()) {
                assertNotNull(Strategies.create(info, o, space, 1, a -> true,
                        List.of(new Objective("acc", true), new Objective("params", false))).propose(), info.name());
            }
        }
    }

    @Test
    void badOptionsAreRefusedWithTheirName() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Strategies.info("evolution").parse(Map.of("populaton", "3")));
        assertTrue(unknown.getMessage().contains("has no option 'populaton'; options: population, sample"), unknown.getMessage());
        for (Map.Entry<String, String> bad : Map.of("population", "0", "sample", "2.5").entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Strategies.info("evolution").parse(Map.of(bad.getKey(), bad.getValue())));
            assertTrue(e.getMessage().startsWith("option " + bad.getKey() + " must be a whole number"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Strategies.info("darts").parse(Map.of("order", "3")));
        assertThrows(IllegalArgumentException.class, () -> Strategies.info("tpe").parse(Map.of("gamma", "1")));
        assertThrows(IllegalArgumentException.class, () -> Strategies.info("spos").parse(Map.of("dedup", "yes")));
        assertThrows(IllegalArgumentException.class, () -> Strategies.info("no-such-strategy"));
    }
}

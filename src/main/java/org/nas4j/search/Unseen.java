package org.nas4j.search;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.nas4j.space.Architecture;

/**
 * The rule every strategy proposes by: an architecture must be admissible (within the spec's
 * constraints) and, unless repeats are allowed, not one proposed or heard of before.
 */
public final class Unseen {
    private final Predicate<Architecture> admissible;
    private final boolean dedup;
    private final Set<Architecture> seen = new HashSet<>();

    /** A rule over {@code admissible}; {@code dedup} false allows repeats. */
    public Unseen(Predicate<Architecture> admissible, boolean dedup) {
        this.admissible = admissible;
        this.dedup = dedup;
    }

    /** Whether {@code a} may be proposed now. */
    public boolean fits(Architecture a) {
        return admissible.test(a) && (!dedup || !seen.contains(a));
    }

    /** Records an architecture proposed, or heard of on replay. */
    public void saw(Architecture a) {
        seen.add(a);
    }

    /** The first of up to {@code tries} draws that fits, recorded as seen; null when none did. */
    public Architecture first(int tries, Supplier<Architecture> draw) {
        for (int i = 0; i < tries; i++) {
            Architecture a = draw.get();
            if (a != null && fits(a)) {
                seen.add(a);
                return a;
            }
        }
        return null;
    }
}

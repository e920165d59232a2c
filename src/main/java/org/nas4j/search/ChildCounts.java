package org.nas4j.search;

import java.util.HashMap;
import java.util.Map;
import org.nas4j.space.Architecture;
import org.nas4j.spec.Diagnostics;
import org.nas4j.spec.ShapeChecker;
import org.nas4j.spec.Spec;

/**
 * The parameters and FLOPs of a spec's children, each child counted once, with one shape check
 * reused for all of them: a run's constraints, its objectives and its report ask about the same
 * children again and again.
 */
public final class ChildCounts {
    /** One child's counts. */
    public record Counts(long params, long flops) {
    }

    /** What a child whose shapes do not work out counts as: nothing. */
    private static final Counts NONE = new Counts(-1, -1);

    private final ShapeChecker.Children children;
    private final Map<Architecture, Counts> known = new HashMap<>();

    /** Counts for the children of {@code spec}. */
    public ChildCounts(Spec spec) {
        this.children = ShapeChecker.children(spec);
    }

    /** A child's parameters and FLOPs; -1 for both when its shapes do not work out. */
    public synchronized Counts of(Architecture architecture) {
        return known.computeIfAbsent(architecture, a -> {
            ShapeChecker.Child child = children.child(a.asMap(), new Diagnostics());
            return child == null ? NONE : new Counts(child.params(), child.flops());
        });
    }
}

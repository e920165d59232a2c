package org.nas4j.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nas4j.spec.Spec;

/**
 * The median stopping rule (Golovin et al., 2017, as Vizier and Katib describe it, with the true
 * median): after epoch e, beyond a warm-up, a trial stops when its best validation score so far
 * is below the median of the scores the finished trials had at epoch e, once enough have one.
 * It learns each trial's learning curve as the trial finishes, and a resumed run's from its journal.
 */
final class MedianStop {
    private final Spec.EarlyStopSpec rule;
    /** Per epoch (from 1), the validation scores finished trials had after it. */
    private final Map<Integer, List<Double>> scores = new HashMap<>();

    MedianStop(Spec.EarlyStopSpec rule) {
        this.rule = rule;
    }

    /** Whether a trial whose best score so far after {@code epoch} is {@code best} trains on. */
    boolean keepGoing(int epoch, double best) {
        if (epoch <= rule.warmup()) {
            return true;
        }
        List<Double> others = scores.get(epoch);
        return others == null || others.size() < rule.minTrials() || !(best < median(others));
    }

    /** A finished trial's validation scores, epoch by epoch (NaN where it had none). */
    void heard(List<Double> curve) {
        for (int e = 0; e < curve.size(); e++) {
            if (!Double.isNaN(curve.get(e))) {
                scores.computeIfAbsent(e + 1, k -> new ArrayList<>()).add(curve.get(e));
            }
        }
    }

    /** The median: the middle value, or the mean of the two middle values. */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}

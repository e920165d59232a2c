package org.nas4j.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nas4j.spec.Spec;

/**
 * The median stopping rule (Golovin et al., 2017, as Vizier and Katib describe it, with the true
 * median): after report r (an epoch, or 1/n of one with search.report-every), beyond a warm-up
 * in epochs, a trial stops when its best validation score so far is below the median of the
 * scores the finished trials had at report r, once enough have one.
 * It learns each trial's learning curve as the trial finishes, and a resumed run's from its journal.
 */
final class MedianStop {
    private final Spec.EarlyStopSpec rule;
    private final int reportsPerEpoch;
    /** Per report (from 1), the validation scores finished trials had at it. */
    private final Map<Integer, List<Double>> scores = new HashMap<>();

    MedianStop(Spec.EarlyStopSpec rule, int reportsPerEpoch) {
        this.rule = rule;
        this.reportsPerEpoch = reportsPerEpoch;
    }

    /** Whether a trial whose best score so far at {@code report} is {@code best} trains on. */
    boolean keepGoing(int report, double best) {
        if (report <= rule.warmup() * reportsPerEpoch) {
            return true;
        }
        List<Double> others = scores.get(report);
        return others == null || others.size() < rule.minTrials() || !(best < median(others));
    }

    /** A finished trial's validation scores, report by report (NaN where it had none). */
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

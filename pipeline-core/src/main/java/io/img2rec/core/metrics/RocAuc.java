package io.img2rec.core.metrics;

/**
 * Area under the ROC curve from scores, as the Mann-Whitney U statistic divided by {@code positives * negatives}:
 * the fraction of positive-negative pairs where the positive scores higher, a tie counting one half (the
 * average-rank treatment of ties). Matches scikit-learn's {@code roc_auc_score} for binary truth. Undefined, with a
 * reason, when either class is absent.
 */
public final class RocAuc {

    private RocAuc() {
    }

    public static MetricValue of(ScoredLabels sample) {
        var reason = sample.missingClassReason();
        if (reason.isPresent()) {
            return MetricValue.undefined(reason.get());
        }
        ScoreGroups groups = ScoreGroups.of(sample);
        return MetricValue.of(ScoreGroups.mannWhitneyAuc(groups.positives, groups.negatives));
    }

    public static MetricValue of(boolean[] truth, double[] scores) {
        return of(ScoredLabels.of(truth, scores));
    }

    public static MetricValue of(int[] truth, double[] scores) {
        return of(ScoredLabels.of(truth, scores));
    }
}

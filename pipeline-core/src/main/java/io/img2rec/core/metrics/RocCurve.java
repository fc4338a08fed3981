package io.img2rec.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A ROC curve and its area, following scikit-learn's {@code roc_curve(..., drop_intermediate=False)}: one point per
 * distinct score in decreasing order, preceded by the point {@code (fpr 0, tpr 0)} at threshold {@code +Infinity}
 * (scikit-learn 1.3 and later use {@code np.inf} there too). The area is the Mann-Whitney statistic (ties count one
 * half), which equals the trapezoidal area under these points and scikit-learn's {@code roc_auc_score}.
 *
 * <p>With a single class (or no examples) the curve has no points and {@link #auc()} says why.
 *
 * @param points      the curve; empty when undefined
 * @param auc         area under the curve
 * @param positives   positive examples used
 * @param negatives   negative examples used
 * @param excludedNaN examples dropped for NaN scores
 */
public record RocCurve(List<RocPoint> points, MetricValue auc, int positives, int negatives, int excludedNaN) {

    public RocCurve {
        points = List.copyOf(points);
        Objects.requireNonNull(auc, "auc");
    }

    public static RocCurve of(ScoredLabels sample) {
        var reason = sample.missingClassReason();
        if (reason.isPresent()) {
            return new RocCurve(List.of(), MetricValue.undefined(reason.get()), sample.positives(),
                    sample.negatives(), sample.excludedNaN());
        }
        ScoreGroups groups = ScoreGroups.of(sample);
        double p = sample.positives();
        double n = sample.negatives();
        List<RocPoint> points = new ArrayList<>(groups.size() + 1);
        points.add(new RocPoint(Double.POSITIVE_INFINITY, 0.0, 0.0));
        long tp = 0;
        long fp = 0;
        for (int g = 0; g < groups.size(); g++) {
            tp += groups.positives[g];
            fp += groups.negatives[g];
            points.add(new RocPoint(groups.thresholds[g], fp / n, tp / p));
        }
        MetricValue auc = MetricValue.of(ScoreGroups.mannWhitneyAuc(groups.positives, groups.negatives));
        return new RocCurve(points, auc, sample.positives(), sample.negatives(), sample.excludedNaN());
    }

    public static RocCurve of(boolean[] truth, double[] scores) {
        return of(ScoredLabels.of(truth, scores));
    }

    public static RocCurve of(int[] truth, double[] scores) {
        return of(ScoredLabels.of(truth, scores));
    }

    public boolean isDefined() {
        return auc.isDefined();
    }

    /** False positive rates, in curve order (for plotting). */
    public double[] fpr() {
        return points.stream().mapToDouble(RocPoint::fpr).toArray();
    }

    /** True positive rates, in curve order. */
    public double[] tpr() {
        return points.stream().mapToDouble(RocPoint::tpr).toArray();
    }

    /** Thresholds, decreasing, the first being {@code +Infinity}. */
    public double[] thresholds() {
        return points.stream().mapToDouble(RocPoint::threshold).toArray();
    }
}

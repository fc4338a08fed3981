package io.img2rec.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A precision-recall curve and its average precision.
 *
 * <p>Points are in decreasing threshold order, one per distinct score, preceded by the anchor point
 * {@code (recall 0, precision 1)} at threshold {@code +Infinity}. scikit-learn's {@code precision_recall_curve}
 * returns the same points in the opposite order, with the anchor last and without a threshold; some of its
 * releases also stop at the first threshold that reaches full recall, which leaves average precision unchanged
 * because later points add no recall.
 *
 * <p>Average precision is scikit-learn's {@code average_precision_score}: {@code AP = sum_n (R_n - R_{n-1}) P_n}
 * over distinct thresholds (tied scores form one step), with {@code R_0 = 0}. It is undefined when there are no
 * positive examples; with no negatives it is 1.
 *
 * @param points           the curve; empty when undefined
 * @param averagePrecision AP as above
 * @param positives        positive examples used
 * @param negatives        negative examples used
 * @param excludedNaN      examples dropped for NaN scores
 */
public record PrCurve(List<PrPoint> points, MetricValue averagePrecision, int positives, int negatives,
                      int excludedNaN) {

    public PrCurve {
        points = List.copyOf(points);
        Objects.requireNonNull(averagePrecision, "averagePrecision");
    }

    public static PrCurve of(ScoredLabels sample) {
        var reason = sample.missingPositivesReason();
        if (reason.isPresent()) {
            return new PrCurve(List.of(), MetricValue.undefined(reason.get()), sample.positives(),
                    sample.negatives(), sample.excludedNaN());
        }
        ScoreGroups groups = ScoreGroups.of(sample);
        double p = sample.positives();
        List<PrPoint> points = new ArrayList<>(groups.size() + 1);
        points.add(new PrPoint(Double.POSITIVE_INFINITY, 1.0, 0.0));
        long tp = 0;
        long fp = 0;
        double ap = 0.0;
        for (int g = 0; g < groups.size(); g++) {
            tp += groups.positives[g];
            fp += groups.negatives[g];
            double precision = (double) tp / (tp + fp);
            ap += (groups.positives[g] / p) * precision;
            points.add(new PrPoint(groups.thresholds[g], precision, tp / p));
        }
        return new PrCurve(points, MetricValue.of(ap), sample.positives(), sample.negatives(),
                sample.excludedNaN());
    }

    public static PrCurve of(boolean[] truth, double[] scores) {
        return of(ScoredLabels.of(truth, scores));
    }

    public static PrCurve of(int[] truth, double[] scores) {
        return of(ScoredLabels.of(truth, scores));
    }

    public boolean isDefined() {
        return averagePrecision.isDefined();
    }

    /** Precisions, in curve order (for plotting). */
    public double[] precision() {
        return points.stream().mapToDouble(PrPoint::precision).toArray();
    }

    /** Recalls, in curve order (increasing). */
    public double[] recall() {
        return points.stream().mapToDouble(PrPoint::recall).toArray();
    }

    /** Thresholds, decreasing, the first being {@code +Infinity}. */
    public double[] thresholds() {
        return points.stream().mapToDouble(PrPoint::threshold).toArray();
    }
}

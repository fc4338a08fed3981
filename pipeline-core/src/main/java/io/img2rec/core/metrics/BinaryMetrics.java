package io.img2rec.core.metrics;

import java.util.Objects;

/**
 * Thresholded metrics for one binary label, predicting positive when {@code score >= threshold}. The numbers
 * equal scikit-learn's {@code precision_recall_fscore_support(..., average='binary', zero_division=0)} and
 * {@code accuracy_score} on {@code score >= threshold}, except that a zero-division case is an undefined
 * {@link MetricValue} with a reason ({@link MetricValue#orZero()} gives scikit-learn's 0).
 *
 * @param threshold   the cut used
 * @param confusion   the counts
 * @param precision   tp / (tp + fp)
 * @param recall      tp / (tp + fn)
 * @param f1          2 tp / (2 tp + fp + fn)
 * @param accuracy    (tp + tn) / total
 * @param specificity tn / (tn + fp)
 * @param support     actual positives, tp + fn
 * @param excludedNaN examples dropped for NaN scores
 */
public record BinaryMetrics(double threshold, ConfusionMatrix confusion, MetricValue precision, MetricValue recall,
                            MetricValue f1, MetricValue accuracy, MetricValue specificity, long support,
                            int excludedNaN) {

    public BinaryMetrics {
        ConfusionMatrix.requireThreshold(threshold);
        Objects.requireNonNull(confusion, "confusion");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(recall, "recall");
        Objects.requireNonNull(f1, "f1");
        Objects.requireNonNull(accuracy, "accuracy");
        Objects.requireNonNull(specificity, "specificity");
    }

    public static BinaryMetrics of(ScoredLabels sample, double threshold) {
        return of(ConfusionMatrix.of(sample, threshold), threshold, sample.excludedNaN(), sample.about());
    }

    public static BinaryMetrics of(boolean[] truth, double[] scores, double threshold) {
        return of(ScoredLabels.of(truth, scores), threshold);
    }

    public static BinaryMetrics of(int[] truth, double[] scores, double threshold) {
        return of(ScoredLabels.of(truth, scores), threshold);
    }

    /** Metrics from counts already made (e.g. a micro-average's pooled matrix). */
    public static BinaryMetrics of(ConfusionMatrix confusion, double threshold) {
        return of(confusion, threshold, 0, "");
    }

    private static BinaryMetrics of(ConfusionMatrix c, double threshold, int excludedNaN, String about) {
        return new BinaryMetrics(threshold, c, c.precision().withReasonSuffix(about),
                c.recall().withReasonSuffix(about), c.f1().withReasonSuffix(about),
                c.accuracy().withReasonSuffix(about), c.specificity().withReasonSuffix(about), c.support(),
                excludedNaN);
    }
}

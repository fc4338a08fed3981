package io.img2rec.core.metrics;

/**
 * Average precision as scikit-learn's {@code average_precision_score}; see {@link PrCurve} for the definition.
 * Undefined, with a reason, when there are no positive examples.
 */
public final class AveragePrecision {

    private AveragePrecision() {
    }

    public static MetricValue of(ScoredLabels sample) {
        return PrCurve.of(sample).averagePrecision();
    }

    public static MetricValue of(boolean[] truth, double[] scores) {
        return of(ScoredLabels.of(truth, scores));
    }

    public static MetricValue of(int[] truth, double[] scores) {
        return of(ScoredLabels.of(truth, scores));
    }
}
